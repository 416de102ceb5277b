import type { Database } from "@ktizo/db";
import type { Clock } from "@ktizo/services";

/** 10 failed sign-ins within 15 minutes lock the account for 15 minutes, whatever the IP (P5). */
export const LOCKOUT_MAX_FAILURES = 10;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_DURATION_MS = 15 * 60_000;

export async function isLockedOut(db: Database, clock: Clock, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("signInLockout")
    .select("lockedUntil")
    .where("userId", "=", userId)
    .executeTakeFirst();
  return !!row?.lockedUntil && row.lockedUntil.getTime() > clock.now().getTime();
}

/** Counts one failed sign-in; starts a new window when the last one has passed. */
export async function recordFailedSignIn(db: Database, clock: Clock, userId: string): Promise<void> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("signInLockout")
      .selectAll()
      .where("userId", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    const windowOpen = row && now.getTime() - row.windowStartedAt.getTime() < LOCKOUT_WINDOW_MS;
    const failures = windowOpen ? row.failures + 1 : 1;
    const windowStartedAt = windowOpen ? row.windowStartedAt : now;
    const lockedUntil =
      failures >= LOCKOUT_MAX_FAILURES
        ? new Date(now.getTime() + LOCKOUT_DURATION_MS)
        : (row?.lockedUntil ?? null);
    await trx
      .insertInto("signInLockout")
      .values({ userId, failures, windowStartedAt, lockedUntil })
      .onConflict((oc) => oc.column("userId").doUpdateSet({ failures, windowStartedAt, lockedUntil }))
      .execute();
  });
}

/** A successful sign-in or a password reset clears the count and any lock. */
export async function clearSignInFailures(db: Database, userId: string): Promise<void> {
  await db.deleteFrom("signInLockout").where("userId", "=", userId).execute();
}
