import { requireSession } from "@ktizo/runtime/remix";
import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/**
 * The signed-in user's active organization with their memberships (for the switcher). Without an
 * active one the user is sent to pick one, or to create their first.
 */
export async function requireOrg(request: Request, context: AppLoadContext) {
  const { api, session } = await requireSession(request, context);
  const me = await api.account.me();
  if (!me.activeOrganizationId) {
    throw redirect(me.memberships.length > 0 ? "/org/switch" : "/org/new");
  }
  const organization = await api.account.organization.get();
  return { api, session, organization, memberships: me.memberships };
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
