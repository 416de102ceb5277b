import { requireSession } from "@ktizo/runtime/remix";
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/**
 * The signed-in user's active organization with their memberships (for the switcher). Without an
 * active one: their only organization is opened, or they pick one, or create their first.
 */
export async function requireOrg(request: Request, context: AppLoadContext) {
  const { api, session } = await requireSession(request, context);
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
  const organization = await api.account.organization.get();
  return { api, session, organization, memberships: me.memberships };
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
    },
    memberships: memberships.map((m) => ({ organizationId: m.organizationId, name: m.name, role: m.role })),
  };
}
