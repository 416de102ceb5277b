import { randomUUID } from "node:crypto";
import { PostHog } from "posthog-node";
import { cleanProperties, pseudonymousId } from "./privacy.ts";
import type { AnalyticsService } from "./types.ts";

export interface PostHogAnalyticsOptions {
  apiKey: string;
  host: string;
  /** ANALYTICS_ID_SECRET: the HMAC key for pseudonymous ids. */
  idSecret: string;
  /** Batch size before an automatic send (tests use 1000 and flush by hand). */
  flushAt?: number;
}

const EVENT_NAME = /^[a-z][a-z0-9_:.$-]{0,99}$/i;

/**
 * PostHog with consent, pseudonymous ids and no person profiles: events describe usage, not people.
 * GeoIP is disabled and `$ip` is nulled so PostHog does not attach the sender's address.
 */
export function createPostHogAnalytics(options: PostHogAnalyticsOptions): AnalyticsService {
  const client = new PostHog(options.apiKey, {
    host: options.host,
    flushAt: options.flushAt ?? 20,
    flushInterval: 10_000,
    disableGeoip: true,
  });
  return {
    provider: "posthog",
    capture(event) {
      if (event.consent !== true) return false;
      if (typeof event.event !== "string" || !EVENT_NAME.test(event.event)) return false;
      client.capture({
        // Anonymous events get a throwaway id so they can never be joined to each other or a person.
        distinctId: event.userId ? pseudonymousId(options.idSecret, event.userId) : randomUUID(),
        event: event.event,
        properties: { ...cleanProperties(event.properties), $process_person_profile: false, $ip: null },
        disableGeoip: true,
      });
      return true;
    },
    flush: () => client.flush(),
    shutdown: () => client.shutdown(),
  };
}

/** Analytics off (no POSTHOG_KEY): nothing is collected. */
export function createOffAnalytics(): AnalyticsService {
  return {
    provider: "off",
    capture: () => false,
    flush: async () => {},
    shutdown: async () => {},
  };
}
