import { sql } from "kysely";
import { DomainError } from "./errors.ts";
import type { Executor } from "./executor.ts";

/**
 * Rate limits declared in one place. Counters live in the database (better-auth's `rate_limit` table,
 * keys namespaced `ktizo:` so they never meet better-auth's own `<ip>/<path>` keys), so any number of
 * stateless app servers share them. Fixed windows: `last_request` holds the start of the current window
 * in epoch milliseconds for these keys.
 */
export const RATE_LIMITS = {
  /** Model uploads through a shop's widget, per shop and client IP. */
  embedUpload: { limit: 20, windowMs: 10 * 60 * 1000, what: "uploads from your network for this shop" },
  /** Priced quotes (options and stored quotes) through a shop's widget, per shop and client IP. */
  embedQuote: { limit: 120, windowMs: 10 * 60 * 1000, what: "quotes from your network for this shop" },
  /** Guest checkouts through a shop's widget, per shop and client IP. */
  embedCheckout: { limit: 10, windowMs: 10 * 60 * 1000, what: "orders from your network for this shop" },
  /** Purchase orders read by the AI intake, per organization and user (each call costs a provider request). */
  aiIntake: { limit: 20, windowMs: 60 * 60 * 1000, what: "purchase orders read for you in this shop" },
  /** AI help in the workspace (plan steering, late-job explanations, reply drafts), per organization and user. */
  aiAssist: { limit: 60, windowMs: 60 * 60 * 1000, what: "AI requests for you in this shop" },
  /** Model uploads on the marketplace, per client IP (each is stored and analysed). */
  marketplaceUpload: { limit: 60, windowMs: 10 * 60 * 1000, what: "uploads from your network" },
  /** Quote pages and stored quotes on the marketplace, per client IP (each prices every shop). */
  marketplaceQuote: { limit: 300, windowMs: 10 * 60 * 1000, what: "quotes from your network" },
  /** Order messages, per author (each one emails the other side). */
  orderMessage: { limit: 30, windowMs: 10 * 60 * 1000, what: "messages from you" },
  /** Customer-portal requests (views, approvals, payments) on one document link, per client IP. */
  billingPortal: { limit: 120, windowMs: 10 * 60 * 1000, what: "requests on this link from your network" },
} as const;

export type RateLimitName = keyof typeof RATE_LIMITS;

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  limit: number;
  /** Seconds until the current window ends. */
  retryAfterSeconds: number;
}

/** The counter key: namespaced, with each part length-capped so a long header cannot bloat the table. */
export function rateLimitKey(name: RateLimitName, parts: string[]): string {
  return ["ktizo", name, ...parts.map((p) => p.slice(0, 100))].join(":");
}

/**
 * Counts one request against `name` for `parts` (e.g. shop id and client IP), atomically, so concurrent
 * requests on different servers cannot both take the last slot: the key's row is updated in place (its
 * row lock orders them), or inserted by the first request of all. An upsert (`on conflict (key) do
 * update`) raced there: the table has two unique indexes with the same value (better-auth's `id` and
 * `key`), an upsert resolves conflicts on one only, and two first requests at once made one of them a
 * unique violation (a 500) on the other. `on conflict do nothing` resolves conflicts on every index.
 */
export async function hitRateLimit(
  db: Executor,
  name: RateLimitName,
  parts: string[],
  now: Date,
): Promise<RateLimitResult> {
  const rule = RATE_LIMITS[name];
  const key = rateLimitKey(name, parts);
  const windowStart = Math.floor(now.getTime() / rule.windowMs) * rule.windowMs;
  const bump = () =>
    db
      .updateTable("rateLimit")
      .set({
        count: sql<number>`case when rate_limit.last_request = ${windowStart} then rate_limit.count + 1 else 1 end`,
        lastRequest: windowStart,
      })
      .where("key", "=", key)
      .returning("count")
      .executeTakeFirst();
  const row =
    (await bump()) ??
    (await db
      .insertInto("rateLimit")
      .values({ id: key, key, count: 1, lastRequest: windowStart })
      .onConflict((oc) => oc.doNothing())
      .returning("count")
      .executeTakeFirst()) ??
    // another request inserted the row between the two: it is there to update now
    (await bump());
  if (!row) throw new Error(`The rate-limit counter ${key} could not be written.`);
  const count = Number(row.count);
  return {
    allowed: count <= rule.limit,
    count,
    limit: rule.limit,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now.getTime()) / 1000)),
  };
}

/** As hitRateLimit, but throws TOO_MANY_REQUESTS (with when to try again) once the limit is passed. */
export async function enforceRateLimit(
  db: Executor,
  name: RateLimitName,
  parts: string[],
  now: Date,
): Promise<void> {
  const r = await hitRateLimit(db, name, parts, now);
  if (r.allowed) return;
  const minutes = Math.ceil(r.retryAfterSeconds / 60);
  throw new DomainError(
    "TOO_MANY_REQUESTS",
    `Too many ${RATE_LIMITS[name].what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  );
}
