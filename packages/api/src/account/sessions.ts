import { recordAudit } from "@ktizo/db";
import { type Executor, inTransaction, notFound, type UserActor } from "../kernel/index.ts";

export interface SessionView {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  /** The session this request came with. */
  current: boolean;
}

/** The user's live sessions, most recently used first. Tokens never leave the database. */
export async function listSessions(db: Executor, actor: UserActor, now: Date): Promise<SessionView[]> {
  const rows = await db
    .selectFrom("session")
    .select(["id", "createdAt", "updatedAt", "expiresAt", "ipAddress", "userAgent"])
    .where("userId", "=", actor.userId)
    .where("expiresAt", ">", now)
    .orderBy("updatedAt", "desc")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
}

/** Signs one of the user's sessions out. Another user's session id is NOT_FOUND. */
export async function revokeSession(
  db: Executor,
  actor: UserActor,
  sessionId: string,
): Promise<{ revoked: 1; current: boolean }> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx
      .deleteFrom("session")
      .where("id", "=", sessionId)
      .where("userId", "=", actor.userId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound("Session not found");
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: "session.revoked",
      subjectType: "user",
      subjectId: actor.userId,
      data: { sessionId },
    });
    return { revoked: 1, current: sessionId === actor.sessionId };
  });
}

/** Signs out every other session of the user ("sign out everywhere else"). */
export async function revokeOtherSessions(db: Executor, actor: UserActor): Promise<{ revoked: number }> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx
      .deleteFrom("session")
      .where("userId", "=", actor.userId)
      .where("id", "!=", actor.sessionId)
      .executeTakeFirst();
    const revoked = Number(deleted.numDeletedRows);
    if (revoked > 0) {
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: "session.revoked_others",
        subjectType: "user",
        subjectId: actor.userId,
        data: { revoked },
      });
    }
    return { revoked };
  });
}
