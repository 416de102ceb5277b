import { readFile } from "node:fs/promises";
import { privacy } from "@ktizo/api";
import { type Auth, createAuth } from "@ktizo/auth";
import { createDb, type Database, type DatabaseKind, type DbHandle, migrateToLatest } from "@ktizo/db";
import { analyzeModel, isQuoteError, type ModelAnalysis } from "@ktizo/quote";
import { type AnalysisPool, type AnalysisStream, createAnalysisPool } from "@ktizo/quote/node";
import { type Clock, createServices, type Services, systemClock } from "@ktizo/services";
import { describeSlicer, detectSlicer, type SlicerInfo } from "@ktizo/slicer";
import {
  type BrowserSettings,
  browserSettings,
  createErrorReporter,
  type ErrorReporter,
} from "./monitoring.ts";
import {
  createLogger,
  createMetrics,
  type Logger,
  type Metrics,
  readableDestination,
} from "./observability/index.ts";
import type { Settings } from "./settings.ts";

/** Everything a request or a background job needs, built once per process from validated settings. */
export interface Runtime {
  settings: Settings;
  handle: DbHandle;
  db: Database;
  dbKind: DatabaseKind;
  auth: Auth;
  services: Services;
  clock: Clock;
  /**
   * Worker threads that analyse uploaded models off the event loop (marketplace uploads). Threads start
   * on first use; the pool is closed with the runtime.
   */
  analysisPool: AnalysisPool;
  /**
   * The one way the server analyses a model: in the worker pool, off the event loop (uploads, job files,
   * the pricing preview, the widget). A file the engine refuses throws its QuoteError; if a worker cannot
   * start, the file is analysed in-process rather than failing the request.
   */
  analyzeModel(bytes: Uint8Array, options?: { maxBytes?: number }): Promise<ModelAnalysis>;
  /** The same for a file on disk (a streamed upload): the worker reads it, this process holds no copy. */
  analyzeModelFile(path: string, options?: { maxBytes?: number }): Promise<ModelAnalysis>;
  /**
   * The same for a model while it arrives (an upload, `modelAnalysis` in @ktizo/runtime/remix): pieces
   * are written as they come, `end` names the complete file (see `AnalysisPool.stream`).
   */
  analyzeModelStream(options?: { maxBytes?: number }): AnalysisStream;
  /** PrusaSlicer on this machine, or why quotes stay estimated (slicing runs only in workers). */
  slicer: SlicerInfo;
  /** Scrubbed error reports (Sentry when SENTRY_DSN is set, otherwise off). */
  errors: ErrorReporter;
  /** The only settings that may reach the browser (rendered into the page by the apps' root). */
  browser: BrowserSettings;
  /** Structured JSON logs (pino); lines written while serving a request carry its id. */
  log: Logger;
  /** Prometheus metrics of this process, served on METRICS_PORT. */
  metrics: Metrics;
  /** One line per service, naming the implementation chosen (real or local stand-in). */
  describe(): string[];
  close(): Promise<void>;
}

export async function createRuntime(
  settings: Settings,
  options: { clock?: Clock; analysisPoolSize?: number; slicerPath?: string; log?: Logger } = {},
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const log =
    options.log ??
    createLogger({
      level: settings.app.LOG_LEVEL ?? (settings.app.NODE_ENV === "test" ? "warn" : "info"),
      ...(settings.app.NODE_ENV === "development" ? { destination: readableDestination() } : {}),
    });
  const metrics = createMetrics();
  const handle = await createDb(settings.db, {
    onIdleError: (error) => log.warn({ err: error.message }, "database connection lost; it reconnects"),
  });
  await migrateToLatest(handle.db);
  const { services, description } = createServices({
    settings: settings.env,
    db: handle.db,
    clock,
    publicUrl: settings.auth.BETTER_AUTH_URL,
    // Organization and user "AI off" switches, restriction and objection (P13, P28), read per call.
    isAiAllowed: privacy.createIsAiAllowed(handle.db),
  });
  const auth = createAuth({
    db: handle.db,
    mail: services.mail,
    clock,
    settings: settings.auth,
    // Policy acceptance is recorded at the first session after sign-up and after each new version (P31).
    onSessionCreated: async (userId) => {
      const accepted = await handle.db
        .selectFrom("policyAcceptance")
        .select("userId")
        .where("userId", "=", userId)
        .limit(1)
        .executeTakeFirst();
      await privacy.acceptPolicies(handle.db, userId, clock.now(), accepted ? "sign-in" : "sign-up");
    },
  });
  const slicer = await detectSlicer(options.slicerPath);
  const analysisPool = createAnalysisPool({ size: options.analysisPoolSize ?? 2 });
  /** Runs an analysis in the pool, timed; if no worker can start, in-process rather than failing. */
  const analysed = async (inPool: () => Promise<ModelAnalysis>, inProcess: () => Promise<ModelAnalysis>) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const analysis = await inPool();
      metrics.analysisDuration.observe({ outcome: "ok" }, seconds());
      return analysis;
    } catch (error) {
      if (!isQuoteError(error)) return inProcess();
      metrics.analysisDuration.observe({ outcome: "refused" }, seconds());
      throw error;
    }
  };
  // SENTRY_DSN was validated with the other service settings by createServices above.
  const errors = createErrorReporter({
    dsn: settings.env.SENTRY_DSN?.trim() || undefined,
    environment: settings.app.NODE_ENV,
  });
  return {
    settings,
    handle,
    db: handle.db,
    dbKind: handle.kind,
    auth,
    services,
    clock,
    analysisPool,
    analyzeModel: (bytes, analyzeOptions) =>
      // The pool takes the buffer over; a copy keeps `bytes` for the caller (and the fallback).
      analysed(
        () => analysisPool.analyze(bytes.slice(), analyzeOptions),
        async () => analyzeModel(bytes, analyzeOptions),
      ),
    analyzeModelFile: (path, analyzeOptions) =>
      analysed(
        () => analysisPool.analyzeFile(path, analyzeOptions),
        async () => analyzeModel(new Uint8Array(await readFile(path)), analyzeOptions),
      ),
    analyzeModelStream: (analyzeOptions) => {
      const stream = analysisPool.stream(analyzeOptions);
      return {
        write: (chunk) => stream.write(chunk),
        digest: (path) => stream.digest(path),
        abort: () => stream.abort(),
        // the duration observed is what is left once the last byte has arrived
        end: (path) =>
          analysed(
            () => stream.end(path),
            async () => analyzeModel(new Uint8Array(await readFile(path)), analyzeOptions),
          ),
      };
    },
    slicer,
    errors,
    log,
    metrics,
    browser: browserSettings(settings.env.SENTRY_DSN),
    describe: () => [
      `database: ${handle.kind === "pglite" ? `PGlite (embedded, ${settings.db.KTIZO_DATA_DIR}/pglite)` : "PostgreSQL"}`,
      ...description,
      describeSlicer(slicer),
    ],
    close: async () => {
      await errors.close();
      await analysisPool.close();
      await handle.close();
      log.flush();
    },
  };
}
