import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireOrSkip, signInOverHttp } from "@ktizo/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appsNotBuiltReason, freePort } from "../src/testing/index.ts";
import {
  createScratchDatabase,
  type KtizoProcess,
  startKtizoProcess,
  waitUntilReady,
} from "../src/testing/processes.ts";

const serverUrl = process.env.TEST_DATABASE_URL;
const runnable = requireOrSkip(
  "backup and restore drill",
  serverUrl ? appsNotBuiltReason() : "TEST_DATABASE_URL is not set (PostgreSQL)",
);
const PG_BIN = "/usr/lib/postgresql/15/bin";

async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = await client.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const result = await client.query<{ n: number }>(`select count(*)::int as n from "${table_name}"`);
    counts[table_name] = result.rows[0]!.n;
  }
  await client.end();
  return counts;
}

/**
 * Issue 17, requirement 7: the backup drill operations runs (docs/operations.md): `pg_dump` of a live
 * database, restored with `pg_restore` into a new one, and the app runs on the restored copy.
 */
describe.runIf(runnable)("backup and restore drill on PostgreSQL", () => {
  const databases: Array<{ url: string; drop(): Promise<void> }> = [];
  const processes: KtizoProcess[] = [];
  let workDir = "";

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), "ktizo-backup-"));
  });
  afterAll(async () => {
    await Promise.allSettled(processes.map((p) => p.stop("SIGKILL")));
    for (const database of databases) await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function serve(databaseUrl: string, seed: boolean) {
    const [port, adminPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    const web = startKtizoProcess("web", seed ? "original" : "restored", {
      DATABASE_URL: databaseUrl,
      // The file store is backed up apart from the database; both copies share it here.
      KTIZO_DATA_DIR: join(workDir, "data"),
      BETTER_AUTH_SECRET: "backup-drill-secret-backup-drill-secret-backup",
      BETTER_AUTH_URL: url,
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      KTIZO_SEED_DEMO: String(seed),
      HOST: "127.0.0.1",
    });
    processes.push(web);
    await waitUntilReady(`${url}/healthz`, 180_000);
    return { url, web };
  }

  it("a dump of a live database restores into a new one that the app runs on", async () => {
    const original = await createScratchDatabase(serverUrl!);
    databases.push(original);
    const live = await serve(original.url, true);
    // Taken while the app runs and serves (pg_dump reads one consistent snapshot).
    const dump = join(workDir, "ktizo.dump");
    const traffic = fetch(`${live.url}/shops`);
    execFileSync(`${PG_BIN}/pg_dump`, ["--format=custom", "--no-owner", `--file=${dump}`, original.url]);
    expect((await traffic).status).toBe(200);
    expect(statSync(dump).size).toBeGreaterThan(10_000);

    const restored = await createScratchDatabase(serverUrl!);
    databases.push(restored);
    execFileSync(`${PG_BIN}/pg_restore`, ["--no-owner", "--exit-on-error", `--dbname=${restored.url}`, dump]);
    await live.web.stop("SIGTERM");

    const [before, after] = await Promise.all([rowCounts(original.url), rowCounts(restored.url)]);
    expect(after).toEqual(before);
    expect(after.user).toBeGreaterThan(0);
    expect(Object.keys(after).length).toBeGreaterThan(30);

    // The app starts on the copy with nothing to migrate, signs in and shows the shop's work.
    const copy = await serve(restored.url, false);
    const cookie = await signInOverHttp(copy.url, "owner@northside.example", "ktizo-demo-owner");
    const shops = await fetch(`${copy.url}/shops`);
    expect(await shops.text()).toContain("Northside Print Lab");
    expect(cookie).toContain("session_token");
    expect(copy.web.output()).not.toMatch(/migrat\w* (failed|error)/i);
  });
});
