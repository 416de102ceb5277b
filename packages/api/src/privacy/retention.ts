import type { Executor } from "../kernel/index.ts";

/** Rate-limit counters (keyed by client IP) are kept this long after their last request (P16). */
export const RATE_LIMIT_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * The admin console's webhook log (`webhook_event`: each Stripe or Twilio event received, with its payload
 * while it failed) is kept this long after it arrived: long enough to answer a dispute or a shop's
 * question, and to replay a failure, then deleted by the same daily job.
 */
export const WEBHOOK_EVENT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Usage and device data kept only for its documented period (P16): sessions (IP address, user agent)
 * once they expire, one-time tokens once they expire, and rate-limit counters (keys carry client IPs)
 * a day after their last request, and the webhook log after `WEBHOOK_EVENT_RETENTION_MS`. Run daily by the privacy-purge job; safe to run any number of times.
 */
export async function pruneExpiredRecords(
  db: Executor,
  now: Date,
): Promise<{ sessions: number; verifications: number; rateLimits: number; webhookEvents: number }> {
  const sessions = await db.deleteFrom("session").where("expiresAt", "<", now).executeTakeFirst();
  const verifications = await db.deleteFrom("verification").where("expiresAt", "<", now).executeTakeFirst();
  const rateLimits = await db
    .deleteFrom("rateLimit")
    .where("lastRequest", "<", now.getTime() - RATE_LIMIT_RETENTION_MS)
    .executeTakeFirst();
  const webhookEvents = await db
    .deleteFrom("webhookEvent")
    .where("receivedAt", "<", new Date(now.getTime() - WEBHOOK_EVENT_RETENTION_MS))
    .executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    verifications: Number(verifications.numDeletedRows),
    rateLimits: Number(rateLimits.numDeletedRows),
    webhookEvents: Number(webhookEvents.numDeletedRows),
  };
}
