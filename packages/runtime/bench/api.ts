/**
 * `pnpm bench:api`: the production host (built apps, security headers, sessions, tRPC) against a floor
 * in the same run: a bare `node:http` server that runs the same domain queries on the same database
 * and answers their JSON. Pages and procedures, on PGlite and (with TEST_DATABASE_URL or
 * BENCH_DATABASE_URL) on PostgreSQL, with a platform of realistic size (bench/volume.ts).
 *
 *   pnpm bench:api [--seconds 8] [--connections 10] [--small] [--only pages|procedures|<name>,…]
 *                  [--db pglite|postgresql] [--rounds 4]
 *
 * `--only` keeps the targets whose kind is given (`pages`, `procedures`) or whose name contains one of
 * the comma-separated words (`--only /shops,board`); `--db` runs one database only (both by default).
 * Each target's seconds are split into `--rounds` alternating rounds, floor then app: on a shared
 * machine the load moves within seconds, and one floor window beside one app window swung the ratio by
 * 20 points between runs. req/s are the totals over the rounds, p50 the median of the rounds' and p99 the
 * largest.
 *
 * Goal (issue 17): procedures at ≥ 50% of the floor's requests per second, pages at ≥ 25%.
 */
import { createServer, type Server } from "node:http";
import { loadavg } from "node:os";
import { job, marketplace } from "@ktizo/api";
import autocannon from "autocannon";
import type { Runtime } from "../src/runtime.ts";
import { freePort } from "../src/testing/ports.ts";
import { type BenchTarget, benchTargets, startBenchPlatform } from "./platform.ts";
import { REALISTIC } from "./volume.ts";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(arg("--seconds") ?? 8);
const CONNECTIONS = Number(arg("--connections") ?? 10);
const ROUNDS = Math.max(1, Number(arg("--rounds") ?? 4));
const VOLUME = process.argv.includes("--small") ? { shops: 20, jobs: 2_000, orders: 5_000 } : REALISTIC;
const ONLY = arg("--only")?.split(",").filter(Boolean);
const DB = arg("--db");
if (DB && DB !== "pglite" && DB !== "postgresql") throw new Error("--db is pglite or postgresql");

const selected = (target: BenchTarget) =>
  !ONLY ||
  ONLY.some((word) =>
    word === "pages"
      ? target.kind === "page"
      : word === "procedures"
        ? target.kind === "procedure"
        : target.name.includes(word),
  );

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, cookie: string | undefined, seconds: number): Promise<Figures> {
  let ip = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: cookie ? { cookie } : {},
    // Visitors come from many addresses (the per-network quote limit is a real limit, not the target).
    requests: [
      {
        setupRequest: (request) => {
          ip = (ip + 1) % 60_000;
          request.headers = { ...request.headers, "x-forwarded-for": `10.${ip >> 8}.${ip & 255}.7` };
          return request;
        },
      },
    ],
  });
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

/** The floor and the app in alternating rounds (floor first in each), totalled. */
async function alternate(floorUrl: string, appUrl: string, cookie: string | undefined) {
  const seconds = SECONDS / ROUNDS;
  const floors: Figures[] = [];
  const apps: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floors.push(await load(floorUrl, undefined, seconds));
    apps.push(await load(appUrl, cookie, seconds));
  }
  const total = (rounds: Figures[]): Figures => {
    const p50s = rounds.map((r) => r.p50).sort((a, b) => a - b);
    return {
      rps: rounds.reduce((sum, r) => sum + r.rps, 0) / rounds.length,
      p50: p50s[Math.floor(p50s.length / 2)]!,
      p99: Math.max(...rounds.map((r) => r.p99)),
      non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    };
  };
  return [total(floors), total(apps)] as const;
}

function startFloor(
  runtime: Runtime,
  ids: { organizationId: string; uploadSessionId: string; uploadId: string },
) {
  const db = runtime.db;
  const routes: Record<string, () => Promise<unknown>> = {
    "/shops": () => marketplace.searchShops(db, { sort: "rating", page: 1, pageSize: 12 }),
    "/shop": () => marketplace.getShopPage(db, "northside-print-lab"),
    "/quote": () =>
      marketplace.quoteOptions(
        db,
        { userId: null, uploadSessionId: ids.uploadSessionId },
        { uploadId: ids.uploadId },
      ),
    "/board": () =>
      job.jobBoard(
        db,
        ids.organizationId,
        { perColumn: 50, closedWithinDays: 14, overdueOnly: false },
        runtime.clock.now(),
      ),
  };
  const server: Server = createServer((req, res) => {
    const route = routes[req.url ?? ""];
    if (!route) return res.writeHead(404).end();
    route().then(
      (data) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(data)),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  return server;
}

async function benchOn(kind: "pglite" | "postgresql", databaseUrl?: string) {
  const platform = await startBenchPlatform(VOLUME, databaseUrl);
  const { runtime, webUrl } = platform;
  const floorPort = await freePort();
  const floor = startFloor(runtime, platform);
  await new Promise<void>((resolve) => floor.listen(floorPort, "127.0.0.1", () => resolve()));
  const floorUrl = `http://127.0.0.1:${floorPort}`;
  const targets = benchTargets(platform).filter(selected);
  const seededIn = platform.seededInSeconds;

  console.log(
    `\n## ${kind === "pglite" ? "PGlite (embedded)" : "PostgreSQL"}: ${VOLUME.shops} shops, ${VOLUME.jobs} jobs, ${VOLUME.orders} orders (seeded in ${seededIn.toFixed(0)} s); ${CONNECTIONS} connections, ${SECONDS} s each; load average ${loadavg()[0]!.toFixed(2)}\n`,
  );
  console.log(
    "| target | kind | req/s | p50 ms | p99 ms | floor req/s | floor p99 ms | ratio | goal | met | errors |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const target of targets) {
    // Warm both (first compiles, caches statements), then measure the floor right before the app: on a
    // shared machine the load moves within minutes, so a floor measured for an earlier target is not
    // comparable.
    await fetch(`${webUrl}${target.path}`, { headers: target.cookie ? { cookie: target.cookie } : {} });
    await fetch(`${floorUrl}${target.floor}`);
    const [base, app] = await alternate(
      `${floorUrl}${target.floor}`,
      `${webUrl}${target.path}`,
      target.cookie,
    );
    const ratio = app.rps / base.rps;
    const goal = target.kind === "procedure" ? 0.5 : 0.25;
    console.log(
      `| ${target.name} | ${target.kind} | ${app.rps.toFixed(0)} | ${app.p50} | ${app.p99} | ${base.rps.toFixed(0)} | ${base.p99} | ${(ratio * 100).toFixed(0)}% | ≥ ${goal * 100}% | ${ratio >= goal ? "yes" : "no"} | ${app.non2xx} |`,
    );
  }
  await new Promise<void>((resolve) => floor.close(() => resolve()));
  await platform.close();
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (DB !== "postgresql") await benchOn("pglite");
if (DB !== "pglite") {
  if (pgUrl) await benchOn("postgresql", pgUrl);
  else console.log("\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)");
}
process.exit(0);
