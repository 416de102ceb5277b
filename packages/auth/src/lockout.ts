import type { Database } from "@ktizo/db";
import type { Clock } from "@ktizo/services";

/**
 * Lockout per account AND per source (P5, ASVS 6.3). 10 failed sign-ins for one account from one source
 * (a client IP, or a device the account signed in on before) within 15 minutes pause that source for
 * that account for 15 minutes: an attacker elsewhere only locks themselves out. When an account is
 * attacked from many sources (50 failures across them), unknown devices are paused too; the account's
 * own known devices still sign in, and a password reset (an emailed one-time link) always works.
 */
export const LOCKOUT_MAX_FAILURES = 10;
export const ACCOUNT_ATTACK_FAILURES = 50;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_DURATION_MS = 15 * 60_000;

/** Where a sign-in attempt comes from: a known device of the account, else the client IP. */
export interface SignInSource {
  key: string;
  knownDevice: boolean;
}

interface Count {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

const isLocked = (row: { lockedUntil: Date | null } | undefined, now: Date) =>
  !!row?.lockedUntil && row.lockedUntil.getTime() > now.getTime();

/** The count after one more failure: a new window when the last one has passed, a lock at `max`. */
function nextCount(row: Count | undefined, now: Date, max: number): Count {
  const windowOpen = row && now.getTime() - row.windowStartedAt.getTime() < LOCKOUT_WINDOW_MS;
  const failures = windowOpen ? row.failures + 1 : 1;
  return {
    failures,
    windowStartedAt: windowOpen ? row.windowStartedAt : now,
    lockedUntil: failures >= max ? new Date(now.getTime() + LOCKOUT_DURATION_MS) : (row?.lockedUntil ?? null),
  };
}

export async function isLockedOut(
  db: Database,
  clock: Clock,
  userId: string,
  source: SignInSource,
): Promise<boolean> {
  const now = clock.now();
  const fromSource = await db
    .selectFrom("signInFailure")
    .select("lockedUntil")
    .where("userId", "=", userId)
    .where("source", "=", source.key)
    .executeTakeFirst();
  if (isLocked(fromSource, now)) return true;
  if (source.knownDevice) return false;
  const account = await db
    .selectFrom("signInLockout")
    .select("lockedUntil")
    .where("userId", "=", userId)
    .executeTakeFirst();
  return isLocked(account, now);
}

/** Counts one failed sign-in for the account from this source, and towards the account-wide count. */
export async function recordFailedSignIn(
  db: Database,
  clock: Clock,
  userId: string,
  source: SignInSource,
): Promise<void> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("signInFailure")
      .select(["failures", "windowStartedAt", "lockedUntil"])
      .where("userId", "=", userId)
      .where("source", "=", source.key)
      .forUpdate()
      .executeTakeFirst();
    const next = nextCount(row, now, LOCKOUT_MAX_FAILURES);
    await trx
      .insertInto("signInFailure")
      .values({ userId, source: source.key, ...next })
      .onConflict((oc) => oc.columns(["userId", "source"]).doUpdateSet(next))
      .execute();
    // A known device's mistakes stay its own: they never pause the account for its other devices.
    if (source.knownDevice) return;
    const account = await trx
      .selectFrom("signInLockout")
      .select(["failures", "windowStartedAt", "lockedUntil"])
      .where("userId", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    const accountNext = nextCount(account, now, ACCOUNT_ATTACK_FAILURES);
    await trx
      .insertInto("signInLockout")
      .values({ userId, ...accountNext })
      .onConflict((oc) => oc.column("userId").doUpdateSet(accountNext))
      .execute();
  });
}

/**
 * A successful sign-in clears its own source's count (not the account-wide one: the attack elsewhere
 * goes on); a password reset clears everything.
 */
export async function clearSignInFailures(
  db: Database,
  userId: string,
  source?: SignInSource,
): Promise<void> {
  if (source) {
    await db
      .deleteFrom("signInFailure")
      .where("userId", "=", userId)
      .where("source", "=", source.key)
      .execute();
    return;
  }
  await db.deleteFrom("signInFailure").where("userId", "=", userId).execute();
  await db.deleteFrom("signInLockout").where("userId", "=", userId).execute();
}
