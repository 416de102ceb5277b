import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestUser, testServices } from "../testing/index.ts";
import { privacyPurgeJob } from "./jobs.ts";
import { pruneExpiredRecords, RATE_LIMIT_RETENTION_MS, WEBHOOK_EVENT_RETENTION_MS } from "./retention.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const NOW = new Date("2026-06-01T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

async function seed(userId: string, tag: string) {
  const at = (ms: number) => new Date(NOW.getTime() + ms);
  await handle.db
    .insertInto("session")
    .values([
      { id: `ses_old_${tag}`, token: `tok_old_${tag}`, userId, expiresAt: at(-1), ipAddress: "203.0.113.1" },
      {
        id: `ses_live_${tag}`,
        token: `tok_live_${tag}`,
        userId,
        expiresAt: at(DAY),
        ipAddress: "203.0.113.2",
      },
    ])
    .execute();
  await handle.db
    .insertInto("verification")
    .values([
      { id: `ver_old_${tag}`, identifier: `reset-${tag}`, value: "x", expiresAt: at(-1) },
      { id: `ver_live_${tag}`, identifier: `verify-${tag}`, value: "y", expiresAt: at(DAY) },
    ])
    .execute();
  await handle.db
    .insertInto("rateLimit")
    .values([
      {
        id: `rl_old_${tag}`,
        key: `203.0.113.1/sign-in-${tag}`,
        count: 3,
        lastRequest: NOW.getTime() - RATE_LIMIT_RETENTION_MS - 1,
      },
      {
        id: `rl_live_${tag}`,
        key: `ktizo:marketplaceQuote:203.0.113.2-${tag}`,
        count: 1,
        lastRequest: NOW.getTime() - 60_000,
      },
    ])
    .execute();
  await handle.db
    .insertInto("webhookEvent")
    .values([
      {
        id: `whe_old_${tag}`,
        provider: "stripe",
        signature: "valid",
        outcome: "failed",
        event: "{}",
        receivedAt: at(-WEBHOOK_EVENT_RETENTION_MS - 1),
      },
      {
        id: `whe_live_${tag}`,
        provider: "stripe",
        signature: "valid",
        outcome: "applied",
        receivedAt: at(-WEBHOOK_EVENT_RETENTION_MS + 60_000),
      },
    ])
    .execute();
}

async function ids(tag: string) {
  const [s, v, r, w] = await Promise.all([
    handle.db.selectFrom("session").select("id").where("id", "like", `%_${tag}`).orderBy("id").execute(),
    handle.db.selectFrom("verification").select("id").where("id", "like", `%_${tag}`).orderBy("id").execute(),
    handle.db.selectFrom("rateLimit").select("id").where("id", "like", `%_${tag}`).orderBy("id").execute(),
    handle.db.selectFrom("webhookEvent").select("id").where("id", "like", `%_${tag}`).orderBy("id").execute(),
  ]);
  return [...s, ...v, ...r, ...w].map((row) => row.id);
}

describe("retention of usage and device data (P16)", () => {
  it("drops expired sessions and tokens and day-old rate-limit counters, keeps the rest; twice is safe", async () => {
    const user = await createTestUser(handle.db, { email: "retention@example.com" });
    await seed(user.userId, "a");
    const first = await pruneExpiredRecords(handle.db, NOW);
    expect(first).toMatchObject({ sessions: 1, verifications: 1, webhookEvents: 1 });
    expect(first.rateLimits).toBeGreaterThanOrEqual(1);
    expect(await ids("a")).toEqual(["ses_live_a", "ver_live_a", "rl_live_a", "whe_live_a"]);
    expect(await pruneExpiredRecords(handle.db, NOW)).toEqual({
      sessions: 0,
      verifications: 0,
      rateLimits: 0,
      webhookEvents: 0,
    });
  });

  it("runs in the daily privacy-purge job", async () => {
    const user = await createTestUser(handle.db, { email: "retention-job@example.com" });
    await seed(user.userId, "b");
    const clock = fixedClock(NOW);
    await privacyPurgeJob.run({}, { db: handle.db, services: testServices(handle.db, clock), clock });
    expect(await ids("b")).toEqual(["ses_live_b", "ver_live_b", "rl_live_b", "whe_live_b"]);
  });
});
