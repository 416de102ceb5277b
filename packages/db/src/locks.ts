import { sql } from "kysely";
import type { Database } from "./connect.ts";

/**
 * Runs `fn` while this process holds a PostgreSQL session advisory lock named `name`, so the same
 * start-up step (creating pg-boss queues and schedules) never runs in two processes at once; on
 * PostgreSQL that race deadlocks. The lock is held on one pooled connection and released after `fn`,
 * even when it throws. PGlite has one process: `fn` runs directly.
 */
export async function withAdvisoryLock<T>(
  db: Database,
  kind: "pglite" | "postgresql",
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (kind !== "postgresql") return fn();
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${name}))`.execute(connection);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(connection);
    }
  });
}
