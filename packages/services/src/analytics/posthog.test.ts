import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { createOffAnalytics, createPostHogAnalytics } from "./posthog.ts";
import { cleanProperties, pseudonymousId } from "./privacy.ts";

const SECRET = "analytics-id-secret-0123456789abcdef";
let server: LoopbackServer;

interface CapturedEvent {
  event: string;
  distinct_id: string;
  properties: Record<string, unknown>;
}

function capturedEvents(): CapturedEvent[] {
  return server.received.flatMap((req) => {
    const body = JSON.parse(req.text) as { api_key?: string; batch?: CapturedEvent[] };
    return body.batch ?? [];
  });
}

beforeAll(async () => {
  server = await startLoopback(() => ({ body: { status: 1 } }));
});
afterAll(() => server.close());

describe("PostHog analytics against a loopback capture endpoint", () => {
  it("sends only consented events, pseudonymous and without personal data", async () => {
    const analytics = createPostHogAnalytics({
      apiKey: "phc_test_key",
      host: server.url,
      idSecret: SECRET,
      flushAt: 1000,
    });
    const properties = {
      plan: "pro",
      quoteValueMinor: 4200,
      email: "jane@example.com",
      name: "Jane Doe",
      ip: "203.0.113.7",
      note: "contact me at jane@example.com",
      referrer: "from 198.51.100.3",
      phone_number: "+447911123456",
    };
    expect(
      analytics.capture({ event: "quote_requested", userId: "usr_jane", properties, consent: true }),
    ).toBe(true);
    expect(
      analytics.capture({ event: "quote_requested", userId: "usr_jane", properties, consent: false }),
    ).toBe(false);
    expect(
      analytics.capture({ event: "quote_requested", userId: "usr_jane", properties, consent: undefined }),
    ).toBe(false);
    expect(
      analytics.capture({ event: "quote_requested", userId: "usr_jane", properties, consent: null }),
    ).toBe(false);
    expect(analytics.capture({ event: "order_paid", userId: "usr_jane", consent: true })).toBe(true);
    await analytics.flush();

    const events = capturedEvents();
    expect(events.map((e) => e.event)).toEqual(["quote_requested", "order_paid"]);
    const request = server.received.find((r) => r.text.includes("quote_requested"))!;
    expect(request.path).toMatch(/^\/batch\/?$/);
    expect(JSON.parse(request.text).api_key).toBe("phc_test_key");
    const [first] = events;
    expect(first!.distinct_id).toBe(pseudonymousId(SECRET, "usr_jane"));
    expect(first!.distinct_id).toBe(createHmac("sha256", SECRET).update("usr_jane").digest("hex"));
    expect(first!.distinct_id).not.toContain("usr_jane");
    expect(first!.properties).toMatchObject({
      plan: "pro",
      quoteValueMinor: 4200,
      $process_person_profile: false,
      $ip: null,
      $geoip_disable: true,
    });
    for (const leaked of [
      "jane@example.com",
      "Jane Doe",
      "203.0.113.7",
      "198.51.100.3",
      "+447911123456",
      "usr_jane",
    ]) {
      expect(request.text).not.toContain(leaked);
    }
    await analytics.shutdown();
  });

  it("sends nothing at all without consent", async () => {
    const before = server.received.length;
    const analytics = createPostHogAnalytics({
      apiKey: "phc_test_key",
      host: server.url,
      idSecret: SECRET,
      flushAt: 1000,
    });
    analytics.capture({ event: "page_viewed", userId: "usr_1", consent: false });
    analytics.capture({ event: "page_viewed", userId: "usr_1", consent: undefined });
    await analytics.flush();
    await analytics.shutdown();
    expect(server.received.length).toBe(before);
  });

  it("gives anonymous events unlinkable ids", async () => {
    const analytics = createPostHogAnalytics({
      apiKey: "phc_test_key",
      host: server.url,
      idSecret: SECRET,
      flushAt: 1000,
    });
    const before = capturedEvents().length;
    analytics.capture({ event: "widget_opened", userId: null, consent: true });
    analytics.capture({ event: "widget_opened", userId: null, consent: true });
    await analytics.flush();
    const [a, b] = capturedEvents().slice(before);
    expect(a!.distinct_id).not.toBe(b!.distinct_id);
    await analytics.shutdown();
  });
});

describe("analytics privacy helpers", () => {
  it("pseudonymous ids are stable per user and secret", () => {
    expect(pseudonymousId(SECRET, "u1")).toBe(pseudonymousId(SECRET, "u1"));
    expect(pseudonymousId(SECRET, "u1")).not.toBe(pseudonymousId(SECRET, "u2"));
    expect(pseudonymousId(`${SECRET}x`, "u1")).not.toBe(pseudonymousId(SECRET, "u1"));
  });

  it("drops identifying properties and nested objects", () => {
    expect(
      cleanProperties({
        firstName: "A",
        userAgent: "UA",
        count: 2,
        nested: { a: 1 },
        ok: true,
        label: "shop page",
      }),
    ).toEqual({ count: 2, ok: true, label: "shop page" });
  });

  it("the off stand-in collects nothing", () => {
    expect(createOffAnalytics().capture({ event: "x", userId: "u", consent: true })).toBe(false);
  });
});
