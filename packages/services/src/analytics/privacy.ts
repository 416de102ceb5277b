import { createHmac } from "node:crypto";
import { isSensitiveName, scrubString } from "../monitoring/scrub.ts";
import type { AnalyticsValue } from "./types.ts";

/** HMAC-SHA256(secret, userId): stable per user, not reversible without the secret, never the user id itself. */
export function pseudonymousId(secret: string, userId: string): string {
  return createHmac("sha256", secret).update(userId).digest("hex");
}

/** Property names that identify a person even when the value looks harmless. */
const IDENTIFYING_NAMES =
  /^(name|first_?name|last_?name|full_?name|user_?name|display_?name|ip|user_?agent|user_?id|\$ip)$/i;

/**
 * Keeps only properties that cannot identify someone: no emails, names, IPs, phone numbers or secrets,
 * by field name or by the look of the value. Dropped, not masked: a masked email is still a signal.
 */
export function cleanProperties(
  properties: Record<string, unknown> | undefined,
): Record<string, AnalyticsValue> {
  const out: Record<string, AnalyticsValue> = {};
  for (const [name, value] of Object.entries(properties ?? {})) {
    if (isSensitiveName(name) || IDENTIFYING_NAMES.test(name)) continue;
    if (typeof value === "string") {
      if (scrubString(value) !== value || /\b\d{1,3}(?:\.\d{1,3}){3}\b/.test(value)) continue;
      out[name] = value.slice(0, 200);
    } else if (typeof value === "number" || typeof value === "boolean" || value === null) {
      out[name] = value;
    }
  }
  return out;
}
