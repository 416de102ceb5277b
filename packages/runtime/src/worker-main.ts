import { startBackgroundWork } from "./background.ts";
import { startMetricsServer } from "./observability/index.ts";
import { createRuntime } from "./runtime.ts";
import { loadSettings, SettingsError } from "./settings.ts";

/** `pnpm worker`: background work only, for PostgreSQL deployments (run as many as needed). */
async function main() {
  const settings = loadSettings({ ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production" });
  if (!settings.db.DATABASE_URL) {
    throw new SettingsError(
      "pnpm worker needs DATABASE_URL: with the embedded database, background work runs inside the app process",
    );
  }
  const runtime = await createRuntime(settings);
  const boss = await startBackgroundWork(runtime);
  const { METRICS_PORT, HOST } = settings.app;
  const metrics = METRICS_PORT
    ? await startMetricsServer(runtime.metrics, { port: METRICS_PORT, host: HOST })
    : null;
  runtime.log.info({ metricsPort: metrics?.port ?? null }, "worker started");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    runtime.log.info("worker stopping: finishing jobs in flight");
    // graceful: running jobs finish (long ones see the abort signal); unfinished ones go back to the queue.
    await boss.stop({ graceful: true, wait: true });
    await metrics?.close();
    await runtime.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[ktizo] worker cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
