import { parseMoney, parseRate, zonedTimeToUtc } from "@ktizo/api/shared";
import { requireSession } from "@ktizo/runtime/remix";
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { visitorLocale } from "~/lib/locale.server";

/**
 * The signed-in user's active organization with their memberships (for the switcher). Without an
 * active one: their only organization is opened, or they pick one, or create their first.
 */
export async function requireOrg(request: Request, context: AppLoadContext) {
  const { api, session } = await requireSession(request, context);
  if (session.platformRole === "admin") {
    const inSupport = await supportView(request, api);
    if (inSupport) return { api, session, ...inSupport };
  }
  const me = await api.account.me();
  if (!me.activeOrganizationId) {
    const [only, ...others] = me.memberships;
    if (!only) throw redirect("/org/new");
    if (others.length > 0) throw redirect("/org/switch");
    // One organization: nothing to choose, so a new session opens it directly. This request's
    // caller read the session before the switch, so the page loads again with it.
    await api.account.organizations.switch({ organizationId: only.organizationId });
    const url = new URL(request.url);
    throw redirect(url.pathname + url.search);
  }
  const organization = { ...(await api.account.organization.get()), support: null as SupportBanner | null };
  return { api, session, organization, memberships: me.memberships };
}

/** What the support view's banner says: who granted read-only access, and until when. */
export interface SupportBanner {
  grantedByName: string;
  expiresAt: Date;
}

export const SUPPORT_READ_ONLY = "Support view is read only: the shop's data cannot be changed.";

type Api = Awaited<ReturnType<typeof requireSession>>["api"];

/**
 * A platform admin's session in a shop's support view (granted by its owner, read-only): the shop's
 * workspace with the banner, every page viewed written to the shop's audit log. Any write is refused here
 * (403) before a route runs, and by the API for every organization mutation. Once the grant has ended
 * the page answers 404 and the session is the admin's own again.
 */
async function supportView(request: Request, api: Api) {
  const current = await api.admin.support.current();
  if (current.state !== "live") {
    if (current.state === "none") return null;
    await api.admin.support.leave();
    throw new Response("Support access to this shop has ended.", { status: 404 });
  }
  if (request.method !== "GET" && request.method !== "HEAD")
    throw new Response(SUPPORT_READ_ONLY, { status: 403 });
  const url = new URL(request.url);
  url.searchParams.delete("_data");
  await api.admin.support.recordView({ path: url.pathname + url.search });
  const support: SupportBanner = {
    grantedByName: current.view.grantedByName,
    expiresAt: current.view.expiresAt,
  };
  const organization = {
    ...(await api.account.organization.get()),
    support: support as SupportBanner | null,
  };
  // The admin's own organizations are not offered while they view the shop.
  const memberships: Awaited<ReturnType<Api["account"]["me"]>>["memberships"] = [];
  return { organization, memberships };
}

/** Pages for owners and admins (pricing, payments): members are told so, and the API refuses them too. */
export async function requireOrgAdmin(request: Request, context: AppLoadContext, page: string) {
  const org = await requireOrg(request, context);
  if (org.organization.role === "member") {
    throw new Response(`Only the shop's owners and admins can open ${page}.`, { status: 403 });
  }
  return org;
}

export type OrgShellData = Pick<Awaited<ReturnType<typeof requireOrg>>, "organization" | "memberships">;

/** Only what the shell shows: no business details in every page's payload. */
export function shellData({ organization, memberships }: OrgShellData) {
  return {
    organization: {
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      role: organization.role,
      timeZone: organization.timeZone,
      support: organization.support,
    },
    memberships: memberships.map((m) => ({ organizationId: m.organizationId, name: m.name, role: m.role })),
  };
}

/** The hour of the day, in the shop's zone, that a due date (a day) means. */
const DUE_TIME = "17:00";

/**
 * Reads a workspace form's amounts and times as its pages show them: the shop's currency in the visitor's
 * locale, wall-clock times in the shop's zone. What does not read is NaN / an invalid date, which the
 * API's input schema refuses with the field's message (so a bad value changes nothing).
 */
export function orgForm(request: Request, { organization }: Pick<OrgShellData, "organization">) {
  const locale = visitorLocale(request);
  const { currency } = organization.profile;
  const { timeZone } = organization;
  const instant = (local: string) => zonedTimeToUtc(local, timeZone) ?? new Date(Number.NaN);
  return {
    currency,
    /** An amount in the shop's currency, or in `inCurrency` (a job keeps the currency it was made in). */
    money: (text: string, inCurrency = currency) => parseMoney(text, inCurrency, locale),
    rate: (text: string) => parseRate(text, currency, locale),
    /** A datetime-local value; "" → null. */
    dateTime: (text: string) => (text ? instant(text) : null),
    /** A date input's day as the end of that working day in the shop's zone; "" → null. */
    dueAt: (day: string) => (day ? instant(`${day}T${DUE_TIME}`) : null),
  };
}
