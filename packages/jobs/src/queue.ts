import type { DbHandle } from "@ktizo/db";
import { sql } from "kysely";
import PgBoss from "pg-boss";

/**
 * pg-boss on the platform database. On PostgreSQL it opens its own small pool (workers can be many
 * processes). On PGlite it runs through the same single connection as Kysely: each statement waits for
 * Kysely's connection, so a job query never lands inside someone else's open transaction.
 */
export async function startQueue(
  handle: DbHandle,
  options: { schedule?: boolean; supervise?: boolean; onError?: (error: unknown) => void } = {},
): Promise<PgBoss> {
  const common = {
    schema: "pgboss",
    schedule: options.schedule ?? true,
    supervise: options.supervise ?? true,
    // Finished jobs are kept a week for support questions, then deleted (P16's documented period).
    deleteAfterDays: 7,
  } as const;
  const boss =
    handle.kind === "postgresql"
      ? new PgBoss({ ...common, connectionString: handle.connectionString!, max: 4 })
      : new PgBoss({ ...common, db: pgliteExecutor(handle) });
  // pg-boss reports lost connections and failed maintenance here; without a listener Node would exit.
  boss.on(
    "error",
    options.onError ??
      ((error) => process.stderr.write(`[jobs] ${error instanceof Error ? error.message : String(error)}\n`)),
  );
  await boss.start();
  return boss;
}

function pgliteExecutor(handle: DbHandle): PgBoss.Db {
  const pglite = handle.pglite!;
  return {
    executeSql: (text, values) =>
      handle.db.connection().execute(async () => {
        // pg-boss sends multi-statement SQL without parameters, which query() refuses: use exec().
        if (!values || values.length === 0) {
          const results = await pglite.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
        const result = await pglite.query(text, values);
        return { rows: result.rows };
      }),
  };
}

/** Rows pg-boss keeps for a queue, by state (for the admin console and tests). */
export async function queueCounts(handle: DbHandle, queue: string): Promise<Record<string, number>> {
  const rows = await sql<{ state: string; n: number }>`
    select state, count(*)::int as n from pgboss.job where name = ${queue} group by state`.execute(handle.db);
  return Object.fromEntries(rows.rows.map((r) => [r.state, r.n]));
}

/** Jobs waiting, retrying or running, per queue (for the metrics endpoint). */
export async function queueDepths(
  handle: DbHandle,
): Promise<Array<{ queue: string; state: string; count: number }>> {
  const rows = await sql<{ queue: string; state: string; count: number }>`
    select name as queue, state::text as state, count(*)::int as count from pgboss.job
    where state in ('created', 'retry', 'active') group by name, state`.execute(handle.db);
  return rows.rows;
}
