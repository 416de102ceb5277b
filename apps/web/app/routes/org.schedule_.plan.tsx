import { Alert, actionErrors, Badge, Button, buttonClass, CheckboxField, Section } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { formatMinutes } from "~/components/shop/format";
import { PlanGantt } from "~/components/shop/plan-gantt";
import { ExplainLate, PlanSteering } from "~/components/shop/plan-steering";
import { proposeSteered } from "~/components/shop/plan-steering.server";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Plan the schedule · Ktizo" }];

/** Proposed on every visit; nothing changes until the user accepts some or all of it. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const url = new URL(request.url);
  const allowMoves = url.searchParams.get("moves") === "1";
  const [{ proposal, steering, ai }, timeline, offers] = await Promise.all([
    proposeSteered(org.api, allowMoves, url.searchParams.getAll("c")),
    org.api.job.schedule.timeline({ from: new Date(), to: new Date(Date.now() + 14 * 86_400_000) }),
    org.api.job.plan.offers(),
  ]);
  return json({
    ...shellData(org),
    proposal,
    allowMoves,
    offers: offers.offers,
    steering,
    ai,
    printers: timeline.lanes.map((l) => l.printer),
    maintenance: timeline.lanes.flatMap((l) => l.maintenance.map((w) => ({ ...w, printerId: l.printer.id }))),
  });
}

/** Each checked box carries the assignment the user saw: job, printer, start and end. */
export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const form = await request.formData();
  const assignments = form.getAll("assignment").flatMap((value) => {
    const [jobId, printerId, start, end] = String(value).split("|");
    return jobId && printerId && start && end
      ? [{ jobId, printerId, startAt: new Date(Number(start)), endAt: new Date(Number(end)) }]
      : [];
  });
  try {
    const result = await org.api.job.plan.accept({ assignments });
    if (result.refused.length === 0) {
      return redirect(`/org/schedule?planned=${result.scheduled.length}`);
    }
    return json({
      refused: result.refused,
      scheduled: result.scheduled.length,
      formError: null,
      fieldErrors: {},
    });
  } catch (error) {
    return json(
      { refused: [], scheduled: 0, ...actionErrors(error, "The plan could not be applied.") },
      { status: 400 },
    );
  }
}

export default function PlanSchedule() {
  const { proposal, allowMoves, printers, offers, maintenance, steering, ai, ...shell } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { dateTime, timeZone } = useFormat();
  const busy = useNavigation().state === "submitting";
  const changes = proposal.assignments.filter((a) => a.change !== "kept");
  const [searchParams] = useSearchParams();
  const late = proposal.assignments.filter((a) => a.lateMinutes > 0);
  const from = Math.min(Date.now(), ...proposal.assignments.map((a) => new Date(a.startAt).getTime()));
  const to = Math.min(new Date(proposal.finishesAt).getTime(), from + 14 * 86_400_000);
  return (
    <ShopPage
      shell={shell}
      title="Plan the schedule"
      description={`A proposal for every approved job (times in ${timeZone}). Nothing changes until you accept it.`}
      actions={
        <>
          <Link to={withMoves(searchParams, !allowMoves)} className={buttonClass("secondary")}>
            {allowMoves ? "Keep scheduled jobs where they are" : "Also move scheduled jobs"}
          </Link>
          <Link to="/org/schedule" className={buttonClass("secondary")}>
            Back to the schedule
          </Link>
        </>
      }
    >
      {result?.refused.length ? (
        <Alert tone="warning">
          {result.scheduled} scheduled; these changed meanwhile and were left as they are:
          <ul className="mt-1 list-disc pl-5">
            {result.refused.map((r) => (
              <li key={r?.jobId}>{r?.reason}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <ErrorSummary result={result} />
      {offers.length ? (
        <Section id="why-replan" title="Why re-plan now">
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {offers.map((o) => (
              <li key={`${o.kind}:${o.subjectId}`}>{o.reason}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      {steering.error ? <Alert tone="warning">{steering.error}</Alert> : null}
      {ai.available ? <PlanSteering allowMoves={allowMoves} confirmed={steering.confirmed} /> : null}
      <Alert tone={proposal.lateJobs ? "warning" : "success"}>
        {changes.length} {changes.length === 1 ? "job" : "jobs"} to schedule or move;{" "}
        {proposal.lateJobs === 0
          ? "every job finishes by its due date"
          : `${proposal.lateJobs} will be late (${formatMinutes(proposal.totalLatenessMinutes)} in all)`}
        ; the last one ends {dateTime(proposal.finishesAt)}.
      </Alert>

      {late.length ? (
        <Section id="late" title="Late jobs and why">
          <ul className="space-y-2 text-sm">
            {late.map((a) => (
              <li key={a.jobId}>
                <Link to={`/org/jobs/${a.jobId}`} className={linkClass}>
                  #{a.jobNumber} {a.title}
                </Link>{" "}
                <Badge tone="red">{formatMinutes(a.lateMinutes)} late</Badge>{" "}
                <span className="text-slate-700 dark:text-slate-300">{a.lateBecause}</span>
                {ai.available ? (
                  <ExplainLate jobId={a.jobId} allowMoves={allowMoves} confirmed={steering.confirmed} />
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <Section
        id="proposal"
        title="Proposed timeline"
        description="New jobs in blue, moved ones in amber, late ones outlined in red."
      >
        <Form method="post" className="space-y-4">
          {printers.map((printer) => {
            const own = proposal.assignments.filter((a) => a.printerId === printer.id);
            return (
              <div key={printer.id} className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
                <h3 className="font-semibold">{printer.name}</h3>
                <PlanGantt
                  bars={own}
                  from={from}
                  to={to}
                  maintenance={maintenance.filter((w) => w.printerId === printer.id)}
                />
                <ul className="mt-2 divide-y divide-slate-100 text-sm dark:divide-slate-800">
                  {own.map((a) => (
                    <li key={a.jobId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                      {a.change === "kept" ? (
                        <span>
                          #{a.jobNumber} {a.title} · stays {dateTime(a.startAt)}
                        </span>
                      ) : (
                        <CheckboxField
                          name="assignment"
                          value={`${a.jobId}|${a.printerId}|${new Date(a.startAt).getTime()}|${new Date(a.endAt).getTime()}`}
                          defaultChecked
                          label={`#${a.jobNumber} ${a.title}: ${dateTime(a.startAt)} → ${dateTime(a.endAt)}`}
                        />
                      )}
                      <span className="flex gap-1">
                        <Badge tone={a.change === "new" ? "blue" : a.change === "moved" ? "amber" : "slate"}>
                          {a.change === "new" ? "New" : a.change === "moved" ? "Moved" : "Kept"}
                        </Badge>
                        {a.waitsForMaterial ? <Badge tone="amber">Waits for material</Badge> : null}
                        {a.lateMinutes > 0 ? <Badge tone="red">Late</Badge> : null}
                      </span>
                    </li>
                  ))}
                  {own.length === 0 ? (
                    <li className="py-2 text-slate-600 dark:text-slate-400">Nothing planned.</li>
                  ) : null}
                </ul>
              </div>
            );
          })}
          {changes.length ? (
            <Button type="submit" disabled={busy}>
              {busy ? "Scheduling…" : "Accept the checked jobs"}
            </Button>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">Nothing to change.</p>
          )}
        </Form>
      </Section>

      {proposal.unplanned.length ? (
        <Section id="unplanned" title="Not planned">
          <ul className="space-y-1 text-sm">
            {proposal.unplanned.map((u) => (
              <li key={u.jobId}>
                <Link to={`/org/jobs/${u.jobId}`} className={linkClass}>
                  #{u.jobNumber} {u.title}
                </Link>
                : {u.reason}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </ShopPage>
  );
}

/** The same page with or without moving scheduled jobs, keeping the confirmed steering (`c`). */
function withMoves(params: URLSearchParams, moves: boolean): string {
  const next = new URLSearchParams(params);
  if (moves) next.set("moves", "1");
  else next.delete("moves");
  return `?${next.toString()}`;
}
