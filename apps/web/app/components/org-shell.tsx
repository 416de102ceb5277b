import { Badge, Button } from "@ktizo/ui";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { SubNav } from "~/components/sub-nav";

export interface OrgShellProps {
  /** timeZone: the shop's; useFormat shows every time of a workspace page in it. */
  organization: { id: string; name: string; slug: string; role: string; timeZone: string };
  memberships: { organizationId: string; name: string; role: string }[];
}

const LINKS = [
  ["/org", "Overview"],
  ["/org/board", "Board"],
  ["/org/jobs", "Jobs"],
  ["/org/schedule", "Schedule"],
  ["/org/customers", "Customers"],
  ["/org/printers", "Printers"],
  ["/org/materials", "Materials"],
  ["/org/pricing", "Pricing"],
  ["/org/notifications", "Notifications"],
  ["/org/profile", "Shop profile"],
  ["/org/widget", "Quote widget"],
  ["/orders/shop", "Marketplace orders"],
  ["/org/payments", "Payments"],
  ["/org/members", "Members"],
  ["/org/settings", "Settings"],
] as const;

/** The frame of the workspace pages: which organization, switching to another, the section tabs. */
export function OrgShell({ organization, memberships, children }: OrgShellProps & { children: ReactNode }) {
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <span
            aria-hidden="true"
            className="grid h-10 w-10 place-items-center rounded-lg bg-brand-100 text-lg font-bold text-brand-700 dark:bg-brand-900 dark:text-brand-200"
          >
            {organization.name.slice(0, 1).toUpperCase()}
          </span>
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
              Workspace
            </p>
            <p className="flex items-center gap-2 font-semibold">
              {organization.name} <Badge tone="blue">{organization.role}</Badge>
            </p>
          </div>
        </div>
        <OrgSwitcher current={organization.id} memberships={memberships} />
      </div>
      <SubNav label="Workspace" links={LINKS} />
      {children}
    </div>
  );
}

/** Switch the active organization (posts to /org/switch), or create another. */
export function OrgSwitcher({
  current,
  memberships,
}: {
  current: string;
  memberships: OrgShellProps["memberships"];
}) {
  return (
    <div className="flex items-center gap-2">
      {memberships.length > 1 ? (
        <Form method="post" action="/org/switch" className="flex items-center gap-2">
          <label htmlFor="org-switch" className="sr-only">
            Switch organization
          </label>
          <select
            id="org-switch"
            name="organizationId"
            defaultValue={current}
            className="rounded-md border-0 bg-white py-1.5 pl-3 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600 dark:bg-slate-900 dark:ring-slate-700"
          >
            {memberships.map((m) => (
              <option key={m.organizationId} value={m.organizationId}>
                {m.name}
              </option>
            ))}
          </select>
          <Button type="submit" variant="secondary">
            Switch
          </Button>
        </Form>
      ) : null}
      <Link to="/org/new" className="text-sm font-semibold text-brand-600 hover:underline">
        New organization
      </Link>
    </div>
  );
}
