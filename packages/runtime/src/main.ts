import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { privacy } from "@ktizo/api";
import { seedDemo } from "@ktizo/api/demo";
import { startBackgroundWork } from "./background.ts";
import { startAppServer } from "./host.ts";
import { startMetricsServer } from "./observability/index.ts";
import { createRuntime } from "./runtime.ts";
import { loadSettings, SettingsError } from "./settings.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Starts Ktizo in one process: the web app, the admin console and (in embedded mode) background work,
 * sharing one database handle, so one process owns the PGlite folder.
 */
async function main() {
  const dev = process.argv.includes("--dev");
  const settings = loadSettings({
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? (dev ? "development" : "production"),
  });
  const runtime = await createRuntime(settings);
  const log = (line: string) => runtime.log.info(line);
  for (const line of runtime.describe()) log(line);
  // First start: the privacy policy exists as version 1 (P31).
  await privacy.ensurePublishedPolicies(runtime.db, runtime.clock);

  const seed = settings.app.KTIZO_SEED_DEMO ? settings.app.KTIZO_SEED_DEMO === "true" : dev;
  if (seed) {
    await seedDemo(runtime.db, runtime.clock);
    log("demo data seeded (logins in README.md)");
  }

  // Embedded: background work must live in this process (it owns the PGlite folder). PostgreSQL: here
  // too unless KTIZO_WORKERS=external says separate `pnpm worker` processes run it. It starts before the
  // servers listen, so a ready /healthz means the whole process has started (a database outage during
  // start-up then fails the start before any balancer sends traffic; database-restart.ops.test.ts).
  const inProcess = runtime.dbKind === "pglite" || settings.app.KTIZO_WORKERS === "in-process";
  const boss = inProcess ? await startBackgroundWork(runtime) : null;
  if (boss) log("background work: in this process");

  const { HOST, PORT, ADMIN_PORT } = settings.app;
  const web = await startAppServer({
    name: "web",
    root: join(repoRoot, "apps/web"),
    port: PORT,
    host: HOST,
    runtime,
    dev,
  });
  log(`web app:       http://localhost:${PORT}`);
  const admin = await startAppServer({
    name: "admin",
    root: join(repoRoot, "apps/admin"),
    port: ADMIN_PORT,
    host: HOST,
    runtime,
    dev,
  });
  log(`admin console: http://localhost:${ADMIN_PORT}`);

  const metrics = settings.app.METRICS_PORT
    ? await startMetricsServer(runtime.metrics, { port: settings.app.METRICS_PORT, host: HOST })
    : null;
  if (metrics) log(`metrics:       http://${HOST}:${metrics.port}/metrics`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping: finishing requests and jobs in flight");
    await Promise.allSettled([web.close(), admin.close(), boss?.stop({ graceful: true, wait: true })]);
    await metrics?.close();
    await runtime.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) {
    process.stderr.write(`[ktizo] cannot start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `[ktizo] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
