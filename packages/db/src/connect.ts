import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { CamelCasePlugin, Kysely, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { DB } from "./schema/index.ts";

export type Database = Kysely<DB>;
export type DatabaseKind = "pglite" | "postgresql";

export interface DbHandle {
  db: Database;
  kind: DatabaseKind;
  /** The embedded engine, when kind is "pglite" (pg-boss and snapshots need it). */
  pglite?: PGlite;
  /** The connection string, when kind is "postgresql". */
  connectionString?: string;
  close(): Promise<void>;
}

// int8 (counts, sums of minor units) and numeric read as numbers in both engines so code and tests
// see the same values on PGlite and PostgreSQL.
const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (value: string) => Number(value);

function kysely(dialect: PGliteDialect | PostgresDialect): Database {
  return new Kysely<DB>({ dialect, plugins: [new CamelCasePlugin()] });
}

export function openPostgres(
  connectionString: string,
  poolMax = 10,
  onIdleError?: (error: Error) => void,
): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max: poolMax,
    // While PostgreSQL is down a request fails in seconds instead of waiting for a connection forever.
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8 || oid === NUMERIC
          ? toNumber
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server drops (a restart, a failover) emits "error" on the pool; without
  // a listener Node would end the process. The pool discards that client and the next query reconnects.
  pool.on("error", (error) => onIdleError?.(error));
  const db = kysely(new PostgresDialect({ pool }));
  return { db, kind: "postgresql", connectionString, close: () => db.destroy() };
}

export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<DbHandle> {
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
  });
  await pglite.waitReady;
  const db = kysely(new PGliteDialect(pglite));
  return {
    db,
    kind: "pglite",
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/**
 * Opens the database named by the settings: PostgreSQL when DATABASE_URL is set, otherwise an
 * embedded PGlite kept in `<dataDir>/pglite`. Only one process may own a PGlite folder.
 */
export async function createDb(
  settings: {
    DATABASE_URL?: string | undefined;
    KTIZO_DATA_DIR: string;
    DATABASE_POOL_MAX?: number;
  },
  options: { onIdleError?: (error: Error) => void } = {},
): Promise<DbHandle> {
  if (settings.DATABASE_URL) {
    return openPostgres(settings.DATABASE_URL, settings.DATABASE_POOL_MAX, options.onIdleError);
  }
  const dataDir = join(resolve(settings.KTIZO_DATA_DIR), "pglite");
  mkdirSync(dataDir, { recursive: true });
  return openPglite({ dataDir });
}
