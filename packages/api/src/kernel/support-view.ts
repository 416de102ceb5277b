import type { Executor } from "./executor.ts";

/**
 * Support view (issue 16, req. 8): a platform admin's session opened a shop's workspace under the
 * owner's grant. While the grant is live every organization procedure of that session acts in the shop,
 * read-only (trpc.ts refuses every mutation); once it has expired or been revoked the session's
 * organization procedures answer NOT_FOUND until the admin leaves the support view.
 */
export interface SupportView {
  grantId: string;
  organizationId: string;
  organizationName: string;
  /** The owner who granted access (their name when they granted it). */
  grantedByName: string;
  expiresAt: Date;
}

/** The session's support view: live, ended (expired, revoked, or the shop is gone), or none. */
export type SupportViewState = { live: SupportView } | { ended: { grantId: string } } | null;

/** Reads the session's support visit and whether its grant is still live at `now`. */
export async function supportViewOf(db: Executor, sessionId: string, now: Date): Promise<SupportViewState> {
  const row = await db
    .selectFrom("supportVisit as v")
    .innerJoin("supportGrant as g", "g.id", "v.grantId")
    .innerJoin("organization as o", "o.id", "g.organizationId")
    .select([
      "g.id as grantId",
      "g.organizationId",
      "o.name as organizationName",
      "g.grantedByName",
      "g.expiresAt",
      "g.revokedAt",
    ])
    .where("v.sessionId", "=", sessionId)
    .executeTakeFirst();
  // A visit whose grant (or shop) was deleted went with it (cascade): no support view any more.
  if (!row) return null;
  const { revokedAt, ...view } = row;
  if (revokedAt !== null || view.expiresAt.getTime() <= now.getTime())
    return { ended: { grantId: row.grantId } };
  return { live: view };
}

/** What every organization mutation answers in a support view (FORBIDDEN). */
export const SUPPORT_VIEW_READ_ONLY = "Support view is read only: the shop's data cannot be changed";
