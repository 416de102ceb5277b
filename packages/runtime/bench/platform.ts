import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemo } from "@ktizo/api/demo";
import { corpusModelPath, mergeCookies, signInOverHttp } from "@ktizo/testing";
import { startAppServer } from "../src/host.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";
import { loadSettings } from "../src/settings.ts";
import { freePort } from "../src/testing/ports.ts";
import { createScratchDatabase } from "../src/testing/processes.ts";
import { assertRunsAsProduction } from "./production.ts";
import { seedVolume, type Volume } from "./volume.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** A production web app on a seeded platform, with a visitor's upload and the busy shop owner's session. */
export interface BenchPlatform {
  runtime: Runtime;
  webUrl: string;
  /** The scratch PostgreSQL database (null on PGlite). */
  databaseUrl: string | null;
  seededInSeconds: number;
  organizationId: string;
  uploadId: string;
  uploadSessionId: string;
  visitorCookie: string;
  ownerCookie: string;
  close(): Promise<void>;
}

/**
 * The benchmarks' common set-up (bench:api, bench:explain): the demo seed plus `volume` on PGlite, or on
 * a scratch database of the PostgreSQL server at `databaseUrl`; the web app (built) served in this process.
 */
export async function startBenchPlatform(volume: Volume, databaseUrl?: string): Promise<BenchPlatform> {
  assertRunsAsProduction("pnpm bench:api` or `pnpm bench:explain");
  const dataDir = mkdtempSync(join(tmpdir(), "ktizo-bench-"));
  const [port, adminPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${port}`;
  const scratch = databaseUrl ? await createScratchDatabase(databaseUrl) : null;
  const settings = loadSettings({
    NODE_ENV: "production",
    PORT: String(port),
    ADMIN_PORT: String(adminPort),
    KTIZO_DATA_DIR: dataDir,
    BETTER_AUTH_SECRET: "bench-secret-bench-secret-bench-secret-bench",
    BETTER_AUTH_URL: webUrl,
    TRUSTED_PROXY_IP_HEADER: "x-forwarded-for",
    LOG_LEVEL: "warn",
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });
  const runtime = await createRuntime(settings);
  const started = Date.now();
  await seedDemo(runtime.db, runtime.clock);
  const northside = await runtime.db
    .selectFrom("organization")
    .select("id")
    .where("slug", "=", "northside-print-lab")
    .executeTakeFirstOrThrow();
  await seedVolume(runtime.db, volume, northside.id);
  const seededInSeconds = (Date.now() - started) / 1000;
  const web: { server: Server; close(): Promise<void> } = await startAppServer({
    name: "web",
    root: join(repoRoot, "apps/web"),
    port,
    host: "127.0.0.1",
    runtime,
    dev: false,
  });

  // A visitor's upload (the quote page) and the owner's session (the board).
  const form = new FormData();
  form.append("file", new Blob([readFileSync(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"))]), "cube.stl");
  const uploaded = await fetch(`${webUrl}/quote/upload`, {
    method: "POST",
    headers: { accept: "application/json", origin: webUrl },
    body: form,
  });
  const visitorCookie = mergeCookies("", uploaded);
  const uploadId = ((await uploaded.json()) as { uploads: Array<{ id: string }> }).uploads[0]!.id;
  const { uploadSessionId } = await runtime.db
    .selectFrom("modelUpload")
    .select("uploadSessionId")
    .where("id", "=", uploadId)
    .executeTakeFirstOrThrow();
  let ownerCookie = await signInOverHttp(webUrl, "owner@northside.example", "ktizo-demo-owner");
  // The first workspace visit picks the active shop (a redirect that sets it).
  const first = await fetch(`${webUrl}/org/board`, { headers: { cookie: ownerCookie }, redirect: "manual" });
  ownerCookie = mergeCookies(ownerCookie, first);

  return {
    runtime,
    webUrl,
    databaseUrl: scratch?.url ?? null,
    seededInSeconds,
    organizationId: northside.id,
    uploadId,
    uploadSessionId: uploadSessionId!,
    visitorCookie,
    ownerCookie,
    async close() {
      await web.close();
      await runtime.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const trpc = (procedure: string, input: unknown) =>
  `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

export interface BenchTarget {
  name: string;
  kind: "page" | "procedure";
  path: string;
  cookie?: string;
  /** The floor server's route that runs the same queries (bench:api). */
  floor: string;
}

/** The public pages, the busy shop's board and the procedures behind them (issue 17, requirement 4). */
export function benchTargets(p: BenchPlatform): BenchTarget[] {
  return [
    { name: "/shops", kind: "page", path: "/shops", floor: "/shops" },
    { name: "/shops/northside-print-lab", kind: "page", path: "/shops/northside-print-lab", floor: "/shop" },
    {
      name: "/quote/:upload",
      kind: "page",
      path: `/quote/${p.uploadId}`,
      cookie: p.visitorCookie,
      floor: "/quote",
    },
    { name: "/org/board", kind: "page", path: "/org/board", cookie: p.ownerCookie, floor: "/board" },
    {
      name: "marketplace.searchShops",
      kind: "procedure",
      path: trpc("marketplace.searchShops", { sort: "rating", page: 1, pageSize: 12 }),
      floor: "/shops",
    },
    {
      name: "marketplace.shopPage",
      kind: "procedure",
      path: trpc("marketplace.shopPage", { slug: "northside-print-lab" }),
      floor: "/shop",
    },
    {
      name: "marketplace.quotes.options",
      kind: "procedure",
      path: trpc("marketplace.quotes.options", { uploadId: p.uploadId, uploadSessionId: p.uploadSessionId }),
      floor: "/quote",
    },
    {
      name: "job.board",
      kind: "procedure",
      path: trpc("job.board", { perColumn: 50, closedWithinDays: 14 }),
      cookie: p.ownerCookie,
      floor: "/board",
    },
  ];
}
