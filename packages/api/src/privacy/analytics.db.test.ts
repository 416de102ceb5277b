import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createServices, fixedClock, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../root.ts";
import { createTestContext, createTestUser, type TestActor } from "../testing/index.ts";
import { startLoopback } from "../testing/loopback.ts";
import { CONSENT_COOKIE } from "./consent.ts";
import { updatePrivacySettings } from "./settings.ts";

/**
 * Product code reports its events (P14): creating a shop through the API sends "shop_created" to a
 * loopback PostHog only when the request carries the accepted consent cookie and the user has not
 * switched analytics off.
 */
let handle: DbHandle;
const clock = fixedClock("2026-05-01T12:00:00Z");
let posthog: Awaited<ReturnType<typeof startLoopback>>;
let services: Services;

beforeAll(async () => {
  handle = await createTestDb();
  posthog = await startLoopback(() => ({ body: { status: 1 } }));
  services = createServices({
    settings: {
      KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-analytics-")),
      POSTHOG_KEY: "phc_loopback",
      POSTHOG_HOST: posthog.url,
      ANALYTICS_ID_SECRET: "y".repeat(40),
    },
    db: handle.db,
    clock,
  }).services;
});
afterAll(async () => {
  await services.analytics.shutdown();
  await posthog.close();
  await handle.close();
});

/** The API as this user, on a request carrying this Cookie header. */
function apiWithCookie(actor: TestActor, cookie: string | null) {
  const ctx = createTestContext(handle, actor, { services, clock });
  return createCaller({ ...ctx, headers: new Headers(cookie ? { cookie } : {}) });
}

async function eventsReceived(): Promise<string[]> {
  await services.analytics.flush();
  return posthog.received.flatMap((r) =>
    ((JSON.parse(r.text) as { batch?: { event: string }[] }).batch ?? []).map((e) => e.event),
  );
}

describe("product events through the API (P14)", () => {
  it("shop_created arrives with consent and not without; the in-app switch wins over the cookie", async () => {
    const person = await createTestUser(handle.db, { name: "Evi Dent", email: "evi.dent@example.test" });
    const create = (cookie: string | null, n: number) =>
      apiWithCookie(person, cookie).account.organizations.create({
        name: `Evi Prints ${n}`,
        companyName: `Evi Prints ${n} Ltd`,
        country: "GB",
        currency: "GBP",
      });

    await create(null, 1);
    await create(`${CONSENT_COOKIE}=rejected`, 2);
    expect(await eventsReceived()).toEqual([]);

    await create(`ktizo-theme=dark; ${CONSENT_COOKIE}=accepted`, 3);
    expect(await eventsReceived()).toEqual(["shop_created"]);

    await updatePrivacySettings(handle.db, person.userId, { analyticsOff: true }, clock.now());
    await create(`${CONSENT_COOKIE}=accepted`, 4);
    expect(await eventsReceived()).toEqual(["shop_created"]);

    const all = posthog.received.map((r) => r.text).join("\n");
    expect(all).not.toContain(person.userId);
    expect(all).not.toContain("evi.dent@example.test");
    expect(all).not.toContain("Evi Prints");
  });
});
