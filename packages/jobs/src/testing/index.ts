import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import type PgBoss from "pg-boss";
import { startQueue } from "../queue.ts";

/** Test helpers (not used by production code): pg-boss on a fresh test database. */

/** A fresh test database with pg-boss started on it, without the schedules and the supervisor a worker runs. */
export async function startTestQueue(): Promise<{ handle: DbHandle; boss: PgBoss }> {
  const handle = await createTestDb();
  const boss = await startQueue(handle, { schedule: false, supervise: false });
  return { handle, boss };
}

/** Stops pg-boss at once (no grace for running work), then closes the test database. */
export async function stopTestQueue(handle: DbHandle, boss: PgBoss): Promise<void> {
  await boss.stop({ graceful: false, wait: true });
  await handle.close();
}
