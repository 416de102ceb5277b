import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signTestWebhook } from "@ktizo/services";
import { corpusModelPath, mergeCookies, requireOrSkip, signInOverHttp } from "@ktizo/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appsNotBuiltReason, freePort } from "../src/testing/index.ts";
import {
  type Balancer,
  createScratchDatabase,
  type KtizoProcess,
  startBalancer,
  startKtizoProcess,
  waitUntilReady,
} from "../src/testing/processes.ts";

const serverUrl = process.env.TEST_DATABASE_URL;
const runnable = requireOrSkip(
  "two web processes and two workers on one PostgreSQL",
  serverUrl ? appsNotBuiltReason() : "TEST_DATABASE_URL is not set (PostgreSQL)",
);

const WEBHOOK_SECRET = "whsec_opstwoplustwo";
const OWNER = { email: "owner@northside.example", password: "ktizo-demo-owner" };
const MEMBER = { email: "maker@northside.example", password: "ktizo-demo-member" };

/**
 * Issue 17, requirement 1: the production servers (`pnpm start`'s main.ts on the built apps, and
 * `pnpm worker`) as four OS processes on one PostgreSQL database and one file store, behind a loopback
 * balancer that alternates requests. Nothing may depend on which process answers.
 */
describe.runIf(runnable)("2 web processes + 2 workers on one PostgreSQL", () => {
  let database: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let balancer: Balancer;
  let webA: KtizoProcess;
  let webB: KtizoProcess;
  const workers: KtizoProcess[] = [];
  let urlA = "";
  let urlB = "";
  let sql: pg.Pool;

  beforeAll(async () => {
    database = await createScratchDatabase(serverUrl!);
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
    dataDir = mkdtempSync(join(tmpdir(), "ktizo-ops-"));
    const [portA, adminA, portB, adminB, lbPort] = (await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    )) as [number, number, number, number, number];
    urlA = `http://127.0.0.1:${portA}`;
    urlB = `http://127.0.0.1:${portB}`;
    const publicUrl = `http://127.0.0.1:${lbPort}`;
    const env = {
      DATABASE_URL: database.url,
      KTIZO_DATA_DIR: dataDir,
      KTIZO_WORKERS: "external",
      BETTER_AUTH_SECRET: "ops-test-secret-ops-test-secret-ops-test-secret",
      BETTER_AUTH_URL: publicUrl,
      AUTH_TRUSTED_ORIGINS: `http://127.0.0.1:${adminA},http://127.0.0.1:${adminB}`,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TRUSTED_PROXY_IP_HEADER: "x-forwarded-for",
      HOST: "127.0.0.1",
    };
    // The first process migrates and seeds; the others then start side by side.
    webA = startKtizoProcess("web", "web A", {
      ...env,
      PORT: String(portA),
      ADMIN_PORT: String(adminA),
      KTIZO_SEED_DEMO: "true",
    });
    await waitUntilReady(`${urlA}/healthz`, 180_000);
    webB = startKtizoProcess("web", "web B", {
      ...env,
      PORT: String(portB),
      ADMIN_PORT: String(adminB),
      KTIZO_SEED_DEMO: "false",
    });
    workers.push(startKtizoProcess("worker", "worker 1", env), startKtizoProcess("worker", "worker 2", env));
    await Promise.all([
      waitUntilReady(`${urlB}/healthz`, 180_000),
      ...workers.map((w) => w.waitForOutput(/worker started/, 180_000)),
    ]);
    balancer = await startBalancer([portA, portB], lbPort);
  });

  afterAll(async () => {
    await balancer?.close();
    await Promise.allSettled([webA, webB, ...workers].filter(Boolean).map((p) => p.stop("SIGKILL")));
    await sql?.end();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** GET with the cookie jar a browser keeps, following redirects (the first workspace visit sets the active shop). */
  async function browse(
    url: string,
    cookie: string,
  ): Promise<{ status: number; text: string; cookie: string }> {
    let jar = cookie;
    let target = url;
    for (let hop = 0; hop < 5; hop++) {
      const response = await fetch(target, { headers: { cookie: jar }, redirect: "manual" });
      jar = mergeCookies(jar, response);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        target = new URL(location, target).toString();
        continue;
      }
      return { status: response.status, text: await response.text(), cookie: jar };
    }
    throw new Error(`${url}: too many redirects`);
  }

  it("a session made on one process works on the other", async () => {
    const cookie = await signInOverHttp(urlA, OWNER.email, OWNER.password);
    const onB = await browse(`${urlB}/org/board`, cookie);
    expect(onB.status).toBe(200);
    expect(onB.text).toContain("Northside Print Lab");
    // And through the balancer, whichever answers.
    for (let i = 0; i < 4; i++) {
      const page = await browse(`${balancer.url}/org/board`, onB.cookie);
      expect(page.status).toBe(200);
      expect(page.text).toContain("Northside Print Lab");
    }
    expect(balancer.answeredBy.size).toBe(2);
  });

  it("lockout counts failures made on both processes", async () => {
    // Ten wrong passwords, alternating between the processes, lock the account for this source.
    for (let i = 0; i < 10; i++) {
      await expect(signInOverHttp(i % 2 ? urlB : urlA, MEMBER.email, "wrong-password")).rejects.toThrow();
    }
    await expect(signInOverHttp(urlA, MEMBER.email, MEMBER.password)).rejects.toThrow();
    await expect(signInOverHttp(urlB, MEMBER.email, MEMBER.password)).rejects.toThrow();
  });

  let uploadId = "";
  let visitor = "";
  const cube = readFileSync(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"));

  it("an upload made through one process is quoted and downloadable through the other", async () => {
    const form = new FormData();
    form.append("file", new Blob([cube]), "cube.stl");
    const uploaded = await fetch(`${urlA}/quote/upload`, {
      method: "POST",
      headers: { accept: "application/json", origin: urlA },
      body: form,
    });
    expect(uploaded.status).toBe(200);
    visitor = mergeCookies("", uploaded);
    uploadId = ((await uploaded.json()) as { uploads: Array<{ id: string }> }).uploads[0]!.id;

    const quote = await fetch(`${urlB}/quote/${uploadId}`, { headers: { cookie: visitor } });
    expect(quote.status).toBe(200);
    expect(await quote.text()).toContain("Northside Print Lab");
    const model = await fetch(`${urlB}/quote/${uploadId}/model`, { headers: { cookie: visitor } });
    expect(model.status).toBe(200);
    expect(Buffer.from(await model.arrayBuffer()).equals(cube)).toBe(true);
  });

  it("a Stripe event delivered to both processes at once takes effect once", async () => {
    const body = JSON.stringify({
      id: `evt_ops_${Date.now()}`,
      object: "event",
      type: "account.updated",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: "acct_ops_unknown", charges_enabled: true } },
    });
    const deliver = (url: string) =>
      fetch(`${url}/api/webhooks/stripe`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": signTestWebhook(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
        },
        body,
      }).then(async (r) => ({ status: r.status, ...((await r.json()) as { outcome: string }) }));
    const outcomes = await Promise.all([deliver(urlA), deliver(urlB)]);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["applied", "duplicate"]);
  });

  it("background work runs once across two workers: the upload is sliced once per printer, an export is built once", async () => {
    const cookie = await signInOverHttp(urlA, OWNER.email, OWNER.password);
    const requested = await fetch(`${balancer.url}/api/trpc/privacy.exports.request`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: balancer.url },
      body: "{}",
    });
    expect(requested.status).toBe(200);

    // Scheduled work starts within a minute or so; the workers share it through PostgreSQL.
    const deadline = Date.now() + 150_000;
    let slices: Array<{ printer_id: string; n: number; running: number }> = [];
    let exports: Array<{ status: string; file_key: string | null }> = [];
    while (Date.now() < deadline) {
      slices = (
        await sql.query(
          `select printer_id, count(*)::int as n, count(*) filter (where status = 'running')::int as running
           from model_slice where upload_id = $1 group by printer_id`,
          [uploadId],
        )
      ).rows;
      exports = (
        await sql.query(
          `select status, file_key from privacy_request r join "user" u on u.id = r.user_id
           where u.email = $1 and r.kind = 'export'`,
          [OWNER.email],
        )
      ).rows;
      const slicedAll = slices.length > 0 && slices.every((s) => s.running === 0);
      if (slicedAll && exports[0]?.status === "ready") break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    expect(exports).toEqual([{ status: "ready", file_key: expect.any(String) }]);
    expect(slices.length).toBeGreaterThan(0);
    for (const s of slices) expect(s).toMatchObject({ n: 1, running: 0 });
    const workerOutput = workers.map((w) => w.output()).join("\n");
    expect(workerOutput).not.toMatch(/"level":"(error|fatal)"/);

    // The quote page on the other process shows the slice.
    const quote = await fetch(`${urlB}/quote/${uploadId}`, { headers: { cookie: visitor } });
    expect(await quote.text()).toContain("Sliced:");
  });

  it("stopping one web process mid-traffic fails no request, and a request in flight is finished", async () => {
    // A slow upload straight to B: its body is still arriving when B is told to stop.
    const slowUpload = new Promise<number>((resolve, reject) => {
      const boundary = "ktizoOpsBoundary";
      const head = Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="cube.stl"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const req = httpRequest(
        `${urlB}/quote/upload`,
        {
          method: "POST",
          headers: {
            accept: "application/json",
            origin: urlB,
            "content-type": `multipart/form-data; boundary=${boundary}`,
            "content-length": head.length + cube.length + tail.length,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.write(head);
      req.write(cube.subarray(0, 100));
      setTimeout(() => {
        req.write(cube.subarray(100));
        req.end(tail);
      }, 2_500);
    });

    let stop = false;
    const statuses: number[] = [];
    const failures: string[] = [];
    const traffic = Array.from({ length: 4 }, async () => {
      while (!stop) {
        try {
          const response = await fetch(`${balancer.url}/shops`);
          await response.arrayBuffer();
          statuses.push(response.status);
        } catch (error) {
          failures.push(String(error));
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const exitCode = webB.stop("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    stop = true;
    await Promise.all(traffic);

    expect(await slowUpload).toBe(200);
    expect(await exitCode).toBe(0);
    expect(failures).toEqual([]);
    expect(balancer.errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(webB.output()).toContain("stopping: finishing requests and jobs in flight");
  });
});
