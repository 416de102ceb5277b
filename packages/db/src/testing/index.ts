import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type DbHandle, openPglite, openPostgres } from "../connect.ts";
import { migrateToLatest } from "../migrate.ts";

/**
 * A fresh, migrated database for one test file. PGlite by default; PostgreSQL when the suite runs with
 * KTIZO_TEST_DB=postgresql and TEST_DATABASE_URL (the test command's second pass).
 * Migrations run once per migration set: PGlite loads a dumped snapshot, PostgreSQL clones a template.
 */
export async function createTestDb(): Promise<DbHandle> {
  return testDbKind() === "postgresql" ? createPostgresTestDb() : createPgliteTestDb();
}

export function testDbKind(): "pglite" | "postgresql" {
  if (process.env.KTIZO_TEST_DB !== "postgresql") return "pglite";
  if (!process.env.TEST_DATABASE_URL) throw new Error("KTIZO_TEST_DB=postgresql needs TEST_DATABASE_URL");
  return "postgresql";
}

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(here, "../../node_modules/.cache/ktizo-test-db");

/** Changes whenever a migration file changes, so a stale snapshot is never reused. */
function migrationsHash(): string {
  const dir = join(here, "../migrations");
  const hash = createHash("sha256");
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return hash.digest("hex").slice(0, 16);
}

async function withFileLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lockPath);
      break;
    } catch {
      if (attempt > 1200) rmSync(lockPath, { recursive: true, force: true }); // a crashed holder
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { recursive: true, force: true });
  }
}

async function pgliteSnapshot(): Promise<Buffer> {
  const file = join(cacheDir, `pglite-${migrationsHash()}.tar.gz`);
  if (existsSync(file)) return readFileSync(file);
  mkdirSync(cacheDir, { recursive: true });
  return withFileLock(`${file}.lock`, async () => {
    if (existsSync(file)) return readFileSync(file);
    const handle = await openPglite();
    await migrateToLatest(handle.db);
    const dump = await handle.pglite!.dumpDataDir("gzip");
    await handle.close();
    const bytes = Buffer.from(await dump.arrayBuffer());
    writeFileSync(`${file}.tmp`, bytes);
    renameSync(`${file}.tmp`, file);
    return bytes;
  });
}

async function createPgliteTestDb(): Promise<DbHandle> {
  const snapshot = await pgliteSnapshot();
  return openPglite({ loadDataDir: new Blob([new Uint8Array(snapshot)]) });
}

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function createPostgresTestDb(): Promise<DbHandle> {
  const base = process.env.TEST_DATABASE_URL!;
  const template = `ktizo_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(7428113)");
    try {
      const exists = await admin.query("select 1 from pg_database where datname = $1", [template]);
      if (exists.rowCount === 0) {
        await admin.query(`create database "${template}"`);
        const handle = openPostgres(databaseUrl(base, template), 2);
        try {
          await migrateToLatest(handle.db);
        } catch (error) {
          await handle.close();
          await admin.query(`drop database "${template}"`);
          throw error;
        }
        await handle.close();
      }
    } finally {
      await admin.query("select pg_advisory_unlock(7428113)");
    }
    const name = `ktizo_t_${randomBytes(6).toString("hex")}`;
    await admin.query(`create database "${name}" template "${template}"`);
    const handle = openPostgres(databaseUrl(base, name), 4);
    return {
      ...handle,
      close: async () => {
        await handle.close();
        await dropTestDatabase(base, name);
      },
    };
  } finally {
    await admin.end();
  }
}

/**
 * Drops a test database once its connections have gone. No FORCE: terminating a connection a pool is
 * still closing makes that client raise an uncaught error in the test process.
 */
async function dropTestDatabase(base: string, name: string): Promise<void> {
  const dropper = new pg.Client({ connectionString: base });
  await dropper.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await dropper.query(`drop database if exists "${name}"`);
        return;
      } catch (error) {
        // 55006: still in use by a closing connection; try again shortly.
        if ((error as { code?: string }).code !== "55006") throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await dropper.end();
  }
}
