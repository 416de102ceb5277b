import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corpusModelPath, requireOrSkip } from "@ktizo/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appsNotBuiltReason, freePort } from "../src/testing/index.ts";
import {
  createScratchDatabase,
  type KtizoProcess,
  killTree,
  startKtizoProcess,
  waitUntilReady,
} from "../src/testing/processes.ts";

const serverUrl = process.env.TEST_DATABASE_URL;
const runnable = requireOrSkip(
  "a worker killed in the middle of a job",
  serverUrl ? appsNotBuiltReason() : "TEST_DATABASE_URL is not set (PostgreSQL)",
);

/** How long a dead worker's slicing claim is kept before another worker takes it (10 minutes in production). */
const STALE_AFTER_MS = 4_000;

interface SliceRow {
  printer_id: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
}

/**
 * Issue 17, requirement 2: a worker killed with SIGKILL in the middle of its work (no drain, no clean-up,
 * its slicer child processes killed with it) → another worker takes the work over once the claim is
 * stale, and its effect happens once: one finished slice per printer, none left running, none twice.
 */
describe.runIf(runnable)("a worker killed with SIGKILL mid-job", () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let web: KtizoProcess;
  const workers: KtizoProcess[] = [];
  let sql: pg.Pool;
  let env: Record<string, string>;
  let baseUrl = "";

  beforeAll(async () => {
    database = await createScratchDatabase(serverUrl!);
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
    dataDir = mkdtempSync(join(tmpdir(), "ktizo-kill-"));
    const [port, adminPort] = (await Promise.all([freePort(), freePort()])) as [number, number];
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: database.url,
      KTIZO_DATA_DIR: dataDir,
      KTIZO_WORKERS: "external",
      BETTER_AUTH_SECRET: "kill-test-secret-kill-test-secret-kill-test-secret",
      BETTER_AUTH_URL: baseUrl,
      KTIZO_SLICE_STALE_AFTER_MS: String(STALE_AFTER_MS),
      HOST: "127.0.0.1",
    };
    web = startKtizoProcess("web", "web", {
      ...env,
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      KTIZO_SEED_DEMO: "true",
    });
    await waitUntilReady(`${baseUrl}/healthz`, 180_000);
  });

  afterAll(async () => {
    await Promise.allSettled([web, ...workers].filter(Boolean).map((p) => killTree(p)));
    await sql?.end();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const slicesOf = async (uploadId: string): Promise<SliceRow[]> =>
    (
      await sql.query<SliceRow>(
        "select printer_id, status, started_at, finished_at from model_slice where upload_id = $1 order by printer_id",
        [uploadId],
      )
    ).rows;

  async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = await probe();
      if (found !== null) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what}: not within ${timeoutMs} ms`);
  }

  it("another worker takes the work over and it is done once", async () => {
    const model = readFileSync(corpusModelPath("stl/3DBenchy_part_Bridge_roof.stl"));
    const form = new FormData();
    form.append("file", new Blob([model]), "bridge-roof.stl");
    const uploaded = await fetch(`${baseUrl}/quote/upload`, {
      method: "POST",
      headers: { accept: "application/json", origin: baseUrl },
      body: form,
    });
    expect(uploaded.status).toBe(200);
    const uploadId = ((await uploaded.json()) as { uploads: Array<{ id: string }> }).uploads[0]!.id;

    // The first worker starts slicing (its cron run starts within a minute); it is killed mid-slice.
    const first = startKtizoProcess("worker", "worker 1", env);
    workers.push(first);
    await first.waitForOutput(/worker started/, 180_000);
    const running = await waitFor(
      "a slice running on worker 1",
      async () => (await slicesOf(uploadId)).find((s) => s.status === "running") ?? null,
      150_000,
    );
    await killTree(first);
    const killedAt = Date.now();
    const afterKill = await slicesOf(uploadId);
    expect(afterKill.filter((s) => s.status === "running").map((s) => s.printer_id)).toContain(
      running.printer_id,
    );

    // A second worker finds the abandoned claim once it is stale and finishes the work.
    const second = startKtizoProcess("worker", "worker 2", env);
    workers.push(second);
    const done = await waitFor(
      "every slice finished by worker 2",
      async () => {
        const rows = await slicesOf(uploadId);
        return rows.length > 0 && rows.every((s) => s.status !== "running") ? rows : null;
      },
      200_000,
    );

    // Once per printer: no duplicate rows, nothing failed, and the killed slice was redone after the kill.
    const printers = done.map((s) => s.printer_id);
    expect(new Set(printers).size).toBe(printers.length);
    expect(done.filter((s) => s.status !== "sliced")).toEqual([]);
    const redone = done.find((s) => s.printer_id === running.printer_id)!;
    expect(redone.started_at.getTime()).toBeGreaterThanOrEqual(killedAt - 1_000);
    expect(second.output()).not.toMatch(/"level":(50|60)|"level":"(error|fatal)"/);
  });
});
