import { job } from "@ktizo/api";
import type { DbHandle } from "@ktizo/db";
import type { PgBoss } from "@ktizo/jobs";
import { startTestQueue, stopTestQueue } from "@ktizo/jobs/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKGROUND_JOBS, enqueueStartupWork } from "./background.ts";

let handle: DbHandle;
let boss: PgBoss;
beforeAll(async () => {
  ({ handle, boss } = await startTestQueue());
});
afterAll(() => stopTestQueue(handle, boss));

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
