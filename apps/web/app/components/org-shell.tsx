import { Badge, Button, cx } from "@ktizo/ui";
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useFormat } from "~/lib/format";

export interface OrgShellProps {
  /** timeZone: the shop's; useFormat shows every time of a workspace page in it. */
  organization: {
    id: string;
    name: string;
    slug: string;
    role: string;
    timeZone: string;
    /** Set in a platform admin's support view (read-only, granted by the shop's owner). */
    support?: { grantedByName: string; expiresAt: string | Date } | null;
  };
  memberships: { organizationId: string; name: string; role: string }[];
}

type Role = "owner" | "admin" | "member";
type NavItem = { to: string; label: string; minRole?: "admin" };

/**
 * The workspace's sections, grouped the way a shop works (Printavo-like): the day's work first, then the
 * shop's setup, selling, and the team. Items with `minRole` are hidden from members; their pages refuse
 * members on the server too.
 */
export const WORKSPACE_NAV: readonly { group: string; items: readonly NavItem[] }[] = [
  {
    group: "Work",
    items: [
      { to: "/org", label: "Overview" },
      { to: "/org/board", label: "Board" },
      { to: "/org/jobs", label: "Jobs" },
      { to: "/org/schedule", label: "Schedule" },
      { to: "/org/customers", label: "Customers" },
      { to: "/org/inbox", label: "Inbox" },
    ],
  },
  {
    group: "Shop",
    items: [
      { to: "/org/printers", label: "Printers" },
      { to: "/org/materials", label: "Materials" },
      { to: "/org/pricing", label: "Pricing", minRole: "admin" },
      { to: "/org/profile", label: "Shop profile" },
      { to: "/org/widget", label: "Quote widget" },
    ],
  },
  {
    group: "Sales",
    items: [
      { to: "/orders/shop", label: "Marketplace orders" },
      { to: "/org/invoices", label: "Invoices" },
      { to: "/org/reports", label: "Billing reports" },
      { to: "/org/billing", label: "Billing setup", minRole: "admin" },
      { to: "/org/payments", label: "Payments", minRole: "admin" },
    ],
  },
  {
    group: "Team",
    items: [
      { to: "/org/members", label: "Members" },
      { to: "/org/notifications", label: "Notifications" },
      { to: "/org/settings", label: "Settings" },
      { to: "/org/plan", label: "Plan" },
      { to: "/org/support", label: "Support access" },
    ],
  },
];

function visibleNav(role: string) {
  return WORKSPACE_NAV.map(({ group, items }) => ({
    group,
    items: items.filter((item) => !item.minRole || (role as Role) !== "member"),
  }));
}

/** The frame of the workspace pages: which organization, switching to another, the section tabs. */
export function OrgShell({ organization, memberships, children }: OrgShellProps & { children: ReactNode }) {
  return (
    <div>
      {organization.support ? (
        <SupportBanner support={organization.support} shopName={organization.name} />
      ) : null}
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
      <div className="lg:flex lg:gap-6">
        <WorkspaceNav role={organization.role} />
        <div className="min-w-0 flex-1">{children}</div>
      </div>
    </div>
  );
}

/** On every workspace page of a support view: who granted read-only access, until when, and the way out. */
function SupportBanner({
  support,
  shopName,
}: {
  support: NonNullable<OrgShellProps["organization"]["support"]>;
  shopName: string;
}) {
  const format = useFormat();
  return (
    <section
      aria-label="Support view"
      className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>
        <strong>Support view — read only</strong>, granted by {support.grantedByName} until{" "}
        {format.dateTime(support.expiresAt)}. You are viewing {shopName}; nothing can be changed, and every
        page you open is shown to the shop.
      </p>
      <Form method="post" action="/support/leave">
        <Button type="submit" variant="secondary">
          Leave support view
        </Button>
      </Form>
    </section>
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

const navItemClass = ({ isActive }: { isActive: boolean }) =>
  cx(
    "block whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium",
    isActive
      ? "bg-brand-50 text-brand-700 dark:bg-slate-800 dark:text-white"
      : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white",
  );

function NavGroups({ role }: { role: string }) {
  return (
    <div className="space-y-4">
      {visibleNav(role).map(({ group, items }) => (
        <div key={group}>
          <p className="px-3 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
            {group}
          </p>
          <ul className="mt-1 space-y-0.5">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/org"} className={navItemClass}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/**
 * Sixteen places do not fit one row of tabs: from large screens up they are a grouped column beside the
 * page; below that, a disclosure that names the current page (no JavaScript needed to open it).
 */
function WorkspaceNav({ role }: { role: string }) {
  const { pathname, key } = useLocation();
  const current = WORKSPACE_NAV.flatMap((g) => g.items)
    .filter((item) => pathname === item.to || pathname.startsWith(`${item.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0];
  return (
    <>
      <nav aria-label="Workspace" className="mb-6 hidden w-44 shrink-0 lg:block">
        <NavGroups role={role} />
      </nav>
      {/* key: a new location renders a closed menu. */}
      <details key={key} className="mb-6 rounded-md ring-1 ring-slate-200 lg:hidden dark:ring-slate-800">
        <summary className="cursor-pointer px-3 py-2 text-sm font-semibold">
          Workspace menu
          {current ? (
            <span className="font-normal text-slate-600 dark:text-slate-400"> · {current.label}</span>
          ) : null}
        </summary>
        <nav aria-label="Workspace menu" className="border-t border-slate-200 p-2 dark:border-slate-800">
          <NavGroups role={role} />
        </nav>
      </details>
    </>
  );
}
