import { recordAudit } from "@ktizo/db";
import { z } from "zod";
import {
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type SupportView,
  supportViewOf,
} from "../kernel/index.ts";

/**
 * Support view (issue 16, req. 8), the platform's side. A platform admin opens a shop's workspace
 * read-only while the shop's owner has granted access: the admin's session is tied to the grant
 * (`support_visit`), and from then on the session's organization procedures act in the shop for reads
 * only (trpc.ts). Opening, every page viewed and leaving are written to the shop's audit log, which the
 * shop sees in its workspace. Once the grant has expired or been revoked the view answers NOT_FOUND.
 */

export const openSupportViewInput = z.object({ organizationId: idSchema });
export const supportPageInput = z.object({
  /** The workspace page (path and query) the admin opened. */
  path: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .regex(/^\/[^\s]*$/, "A path on the site"),
});

interface AdminSession {
  sessionId: string;
  userId: string;
}

/** A shop's live grant as the admin's shop page shows it, or null. */
export interface SupportGrantStatus {
  grant: { id: string; grantedByName: string; expiresAt: Date } | null;
}

async function liveGrant(db: Executor, organizationId: string, now: Date) {
  return db
    .selectFrom("supportGrant")
    .select(["id", "grantedByName", "expiresAt"])
    .where("organizationId", "=", organizationId)
    .where("revokedAt", "is", null)
    .where("expiresAt", ">", now)
    .orderBy("createdAt", "desc")
    .executeTakeFirst();
}

/** Whether the shop has granted support access now (no shop: NOT_FOUND). */
export async function supportGrantStatus(
  db: Executor,
  organizationId: string,
  now: Date,
): Promise<SupportGrantStatus> {
  const org = await db
    .selectFrom("organization")
    .select("id")
    .where("id", "=", organizationId)
    .executeTakeFirst();
  if (!org) throw notFound("No such shop");
  return { grant: (await liveGrant(db, organizationId, now)) ?? null };
}

/**
 * Opens the shop's workspace read-only in this session. NOT_FOUND unless the shop's owner has granted
 * access and it has not ended. Audited for the shop.
 */
export async function openSupportView(
  db: Executor,
  session: AdminSession,
  input: z.infer<typeof openSupportViewInput>,
  now: Date,
): Promise<SupportView> {
  await inTransaction(db, async (trx) => {
    const grant = await liveGrant(trx, input.organizationId, now);
    if (!grant) throw notFound("This shop has not granted support access");
    await trx
      .insertInto("supportVisit")
      .values({
        sessionId: session.sessionId,
        grantId: grant.id,
        adminUserId: session.userId,
        startedAt: now,
      })
      .onConflict((oc) =>
        oc
          .column("sessionId")
          .doUpdateSet({ grantId: grant.id, adminUserId: session.userId, startedAt: now }),
      )
      .execute();
    await recordAudit(trx, {
      organizationId: input.organizationId,
      actorUserId: session.userId,
      action: "support.view_opened",
      subjectType: "support_grant",
      subjectId: grant.id,
    });
  });
  const state = await supportViewOf(db, session.sessionId, now);
  if (!state || !("live" in state)) throw notFound("This shop has not granted support access");
  return state.live;
}

/** This session's support view: none, live (with the banner's facts) or ended. */
export async function currentSupportView(
  db: Executor,
  sessionId: string,
  now: Date,
): Promise<{ state: "none" | "ended" } | { state: "live"; view: SupportView }> {
  const state = await supportViewOf(db, sessionId, now);
  if (!state) return { state: "none" };
  if ("ended" in state) return { state: "ended" };
  return { state: "live", view: state.live };
}

/** Writes a page viewed in the support view to the shop's audit log; NOT_FOUND once the grant ended. */
export async function recordSupportPageView(
  db: Executor,
  session: AdminSession,
  input: z.infer<typeof supportPageInput>,
  now: Date,
): Promise<{ recorded: true }> {
  const state = await supportViewOf(db, session.sessionId, now);
  if (!state || !("live" in state)) throw notFound("Support access to this shop has ended");
  await recordAudit(db, {
    organizationId: state.live.organizationId,
    actorUserId: session.userId,
    action: "support.page_viewed",
    subjectType: "support_grant",
    subjectId: state.live.grantId,
    data: { path: input.path },
  });
  return { recorded: true };
}

/** Leaves the support view (the session is the admin's own again); audited when there was one. */
export async function leaveSupportView(db: Executor, session: AdminSession): Promise<{ left: boolean }> {
  return inTransaction(db, async (trx) => {
    const visit = await trx
      .deleteFrom("supportVisit")
      .where("sessionId", "=", session.sessionId)
      .returning("grantId")
      .executeTakeFirst();
    if (!visit) return { left: false };
    const grant = await trx
      .selectFrom("supportGrant")
      .select("organizationId")
      .where("id", "=", visit.grantId)
      .executeTakeFirst();
    if (grant) {
      await recordAudit(trx, {
        organizationId: grant.organizationId,
        actorUserId: session.userId,
        action: "support.view_closed",
        subjectType: "support_grant",
        subjectId: visit.grantId,
      });
    }
    return { left: true };
  });
}
