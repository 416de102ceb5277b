import type { Executor } from "../kernel/index.ts";

/** Rate-limit counters (keyed by client IP) are kept this long after their last request (P16). */
export const RATE_LIMIT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Usage and device data kept only for its documented period (P16): sessions (IP address, user agent)
 * once they expire, one-time tokens once they expire, and rate-limit counters (keys carry client IPs)
 * a day after their last request. Run daily by the privacy-purge job; safe to run any number of times.
 */
export async function pruneExpiredRecords(
  db: Executor,
  now: Date,
): Promise<{ sessions: number; verifications: number; rateLimits: number }> {
  const sessions = await db.deleteFrom("session").where("expiresAt", "<", now).executeTakeFirst();
  const verifications = await db.deleteFrom("verification").where("expiresAt", "<", now).executeTakeFirst();
  const rateLimits = await db
    .deleteFrom("rateLimit")
    .where("lastRequest", "<", now.getTime() - RATE_LIMIT_RETENTION_MS)
    .executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    verifications: Number(verifications.numDeletedRows),
    rateLimits: Number(rateLimits.numDeletedRows),
  };
}
