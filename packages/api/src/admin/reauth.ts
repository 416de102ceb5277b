import { verifyPassword } from "@ktizo/auth";
import { recordAudit } from "@ktizo/db";
import { z } from "zod";
import type { Executor } from "../kernel/index.ts";
import { DomainError } from "../kernel/index.ts";

/** A destructive admin action asks for the password again when the last sign-in is older than this. */
export const REAUTH_AFTER_MS = 15 * 60_000;

export const REAUTH_MESSAGE = "Enter your password again: your last sign-in was more than 15 minutes ago";

/** The optional password a destructive admin action carries (needed only for an old sign-in). */
export const reauthPassword = z.string().max(200, "That is not your password").optional();

/** Whether the session's sign-in (better-auth's session row, created at sign-in) is older than 15 minutes. */
export async function reauthRequired(db: Executor, sessionId: string, now: Date): Promise<boolean> {
  const session = await db
    .selectFrom("session")
    .select("createdAt")
    .where("id", "=", sessionId)
    .executeTakeFirst();
  // No session row (it ended meanwhile): ask, never assume fresh.
  return !session || now.getTime() - new Date(session.createdAt).getTime() > REAUTH_AFTER_MS;
}

/**
 * Lets a destructive admin action through when the admin signed in within 15 minutes, or typed their
 * password again now (checked like sign-in: bcrypt against the credential account). A wrong password is
 * refused beside the field and audited; nothing else happens.
 */
export async function requireRecentSignIn(
  db: Executor,
  session: { sessionId: string; userId: string },
  password: string | undefined,
  now: Date,
): Promise<void> {
  if (!(await reauthRequired(db, session.sessionId, now))) return;
  if (!password) throw new DomainError("PRECONDITION_FAILED", REAUTH_MESSAGE, { password: REAUTH_MESSAGE });
  const account = await db
    .selectFrom("account")
    .select("password")
    .where("userId", "=", session.userId)
    .where("providerId", "=", "credential")
    .executeTakeFirst();
  const ok = account?.password ? await verifyPassword({ hash: account.password, password }) : false;
  if (!ok) {
    await recordAudit(db, {
      actorUserId: session.userId,
      action: "admin.reauth.failed",
      subjectType: "user",
      subjectId: session.userId,
    });
    const why = "That password is not right";
    throw new DomainError("PRECONDITION_FAILED", why, { password: why });
  }
}
