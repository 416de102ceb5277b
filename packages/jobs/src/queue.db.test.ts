import type { DbHandle } from "@ktizo/db";
import { sql } from "kysely";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob } from "./definitions.ts";
import { queueCounts } from "./queue.ts";
import { startTestQueue, stopTestQueue } from "./testing/index.ts";
import { enqueue, registerJobs } from "./worker.ts";

let handle: DbHandle;
let boss: PgBoss;
beforeAll(async () => {
  ({ handle, boss } = await startTestQueue());
});
afterAll(() => stopTestQueue(handle, boss));

describe("job queue on the platform database", () => {
  it("runs sent work once, with validated data, alongside Kysely transactions", async () => {
    const seen: string[] = [];
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const greet = defineJob({
      name: "test-greet",
      schema: z.object({ name: z.string().min(1) }),
      run: async ({ name }: { name: string }, deps: { log: string[] }) => {
        deps.log.push(`hello ${name}`);
        release();
      },
    });
    await registerJobs(boss, [greet], { log: seen });
    // A transaction in flight while work is sent: neither runs inside the other. (On PGlite, send work
    // after a transaction commits, never from inside it: there is one connection.)
    await Promise.all([
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto("user").values({ id: "u-job", name: "Job", email: "job@example.com" }).execute();
        await sql`select pg_sleep(0.2)`.execute(trx);
      }),
      enqueue(boss, greet, { name: "Ada" }),
    ]);
    await done;
    expect(seen).toEqual(["hello Ada"]);
    expect(await handle.db.selectFrom("user").select("id").where("id", "=", "u-job").execute()).toHaveLength(
      1,
    );
    await expect(enqueue(boss, greet, { name: "" })).rejects.toThrow();
    let counts: Record<string, number> = {};
    for (let i = 0; i < 50 && counts.completed !== 1; i++) {
      counts = await queueCounts(handle, "test-greet");
      if (counts.completed !== 1) await new Promise((r) => setTimeout(r, 100));
    }
    expect(counts).toEqual({ completed: 1 });
  });
});
