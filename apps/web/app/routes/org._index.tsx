import { Alert, buttonClass, Card } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { OrgShell } from "~/components/org-shell";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Workspace · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const [{ members }, overview] = await Promise.all([org.api.account.members.list(), org.api.job.overview()]);
  const p = org.organization.profile;
  const missing = [!p.phone && "phone", !p.addressLine1 && "address"].filter((x): x is string => Boolean(x));
  return json({ ...shellData(org), overview, memberCount: members.length, currency: p.currency, missing });
}

export default function Workspace() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const canManage = data.organization.role !== "member";
  return (
    <OrgShell organization={data.organization} memberships={data.memberships}>
      <h1 className="sr-only">{data.organization.name}</h1>
      <div className="space-y-6">
        {params.get("created") ? (
          <Alert tone="success">
            {data.organization.name} is ready. Invite your team or finish your details.
          </Alert>
        ) : null}
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
          <Stat label="Open quotes" value={data.overview.openQuotes} to="/org/jobs?status=quote" />
          <Stat
            label="Jobs in progress"
            value={data.overview.jobsInProgress}
            to="/org/board"
            note={data.overview.overdueJobs > 0 ? `${data.overview.overdueJobs} overdue` : undefined}
          />
          <Stat
            label="Printers"
            value={data.overview.printers}
            to="/org/printers"
            note={`${data.overview.printersAvailable} available`}
          />
          <Card className="p-5">
            <dt className="text-sm text-slate-600 dark:text-slate-400">Team members</dt>
            <dd className="mt-1 text-2xl font-semibold">{data.memberCount}</dd>
          </Card>
        </dl>
        <section aria-labelledby="next-steps" className="grid gap-4 md:grid-cols-2">
          <h2 id="next-steps" className="sr-only">
            Next steps
          </h2>
          <Card>
            <h3 className="font-semibold">Your team</h3>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              Invite people to quote, schedule and run jobs with you. Admins can manage members and settings.
            </p>
            <Link to="/org/members" className={buttonClass("secondary", "mt-4")}>
              {canManage ? "Invite members" : "See members"}
            </Link>
          </Card>
          <Card>
            <h3 className="font-semibold">Business details</h3>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              {data.missing.length
                ? `Add your ${data.missing.join(" and ")} so they appear on quotes and invoices.`
                : `Quotes and invoices are in ${data.currency}.`}
            </p>
            <Link to="/org/settings" className={buttonClass("secondary", "mt-4")}>
              Open settings
            </Link>
          </Card>
        </section>
      </div>
    </OrgShell>
  );
}

function Stat({ label, value, to, note }: { label: string; value: number; to: string; note?: string }) {
  return (
    <Card className="p-5">
      <dt className="text-sm text-slate-600 dark:text-slate-400">
        <Link to={to} className="hover:underline">
          {label}
        </Link>
      </dt>
      <dd className="mt-1 text-2xl font-semibold">{value}</dd>
      {note ? <dd className="text-sm text-slate-600 dark:text-slate-400">{note}</dd> : null}
    </Card>
  );
}
