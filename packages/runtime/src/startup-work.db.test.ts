import { job } from "@ktizo/api";
import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { type PgBoss, startQueue } from "@ktizo/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKGROUND_JOBS, enqueueStartupWork } from "./background.ts";

let handle: DbHandle;
let boss: PgBoss;
beforeAll(async () => {
  handle = await createTestDb();
  boss = await startQueue(handle, { schedule: false, supervise: false });
});
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
  await handle.close();
});

describe("work sent at start", () => {
  it("sends the customer phone backfill once however many workers start, and it is a registered job", async () => {
    const name = job.customerPhoneBackfillJob.name;
    expect(BACKGROUND_JOBS.map((j) => j.name)).toContain(name);
    await boss.createQueue(name, { name });
    await enqueueStartupWork(boss);
    await enqueueStartupWork(boss);
    const fetched = await boss.fetch(name, { batchSize: 10 });
    expect(fetched.map((j) => j.name)).toEqual([name]);
  });
});
