import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appsNotBuiltReason, freePort } from "../src/testing/index.ts";
import {
  type KtizoProcess,
  type OwnPostgres,
  startKtizoProcess,
  startOwnPostgres,
  waitUntilReady,
} from "../src/testing/processes.ts";

const runnable = requireOrSkip(
  "PostgreSQL restart under traffic",
  process.env.TEST_DATABASE_URL ? appsNotBuiltReason() : "TEST_DATABASE_URL is not set (PostgreSQL)",
);

const get = (url: string) =>
  fetch(url).then(
    async (r) => ({ status: r.status, body: await r.text() }),
    (error: unknown) => ({ status: 0, body: String(error) }),
  );

/** Issue 17, requirement 2: the database goes away under traffic and comes back. */
describe.runIf(runnable)("PostgreSQL restarted under traffic", () => {
  let postgres: OwnPostgres;
  let web: KtizoProcess;
  let url = "";
  let dataDir = "";

  beforeAll(async () => {
    postgres = startOwnPostgres(await freePort());
    dataDir = mkdtempSync(join(tmpdir(), "ktizo-restart-"));
    const [port, adminPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    web = startKtizoProcess("web", "web", {
      DATABASE_URL: postgres.url,
      KTIZO_DATA_DIR: dataDir,
      BETTER_AUTH_SECRET: "restart-test-secret-restart-test-secret-restart",
      BETTER_AUTH_URL: url,
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      KTIZO_SEED_DEMO: "true",
      HOST: "127.0.0.1",
    });
    await waitUntilReady(`${url}/healthz`, 180_000);
  });

  afterAll(async () => {
    await web?.stop("SIGKILL");
    postgres?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("reports the outage while it lasts and serves again, without a restart of its own", async () => {
    expect((await get(`${url}/shops`)).status).toBe(200);
    let stop = false;
    const seen: number[] = [];
    const traffic = (async () => {
      while (!stop) {
        seen.push((await get(`${url}/shops`)).status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    postgres.stop();
    const down = await get(`${url}/healthz`);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ ok: false, database: "unreachable" });
    // Liveness does not depend on the database: an orchestrator must not restart healthy servers.
    expect((await get(`${url}/livez`)).status).toBe(200);
    const duringOutage = await get(`${url}/shops`);
    expect(duringOutage.status).toBeGreaterThanOrEqual(500);

    postgres.start();
    await waitUntilReady(`${url}/healthz`, 30_000);
    expect((await get(`${url}/shops`)).status).toBe(200);
    stop = true;
    await traffic;

    expect(web.child.exitCode).toBeNull();
    // Every request was answered (0 would be a dropped connection); the failures were the outage's 5xx.
    expect(seen.filter((status) => status === 0)).toEqual([]);
    expect(seen.filter((status) => status !== 200 && status < 500)).toEqual([]);
    expect(web.output()).not.toMatch(/failed to start|uncaught/i);
  });
});
