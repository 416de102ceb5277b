import { privacy } from "@ktizo/api";
import { type Auth, createAuth } from "@ktizo/auth";
import { createDb, type Database, type DatabaseKind, type DbHandle, migrateToLatest } from "@ktizo/db";
import { analyzeModel, isQuoteError, type ModelAnalysis } from "@ktizo/quote";
import { type AnalysisPool, createAnalysisPool } from "@ktizo/quote/node";
import { type Clock, createServices, type Services, systemClock } from "@ktizo/services";
import { describeSlicer, detectSlicer, type SlicerInfo } from "@ktizo/slicer";
import {
  type BrowserSettings,
  browserSettings,
  createErrorReporter,
  type ErrorReporter,
} from "./monitoring.ts";
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
  /** PrusaSlicer on this machine, or why quotes stay estimated (slicing runs only in workers). */
  slicer: SlicerInfo;
  /** Scrubbed error reports (Sentry when SENTRY_DSN is set, otherwise off). */
  errors: ErrorReporter;
  /** The only settings that may reach the browser (rendered into the page by the apps' root). */
  browser: BrowserSettings;
  /** One line per service, naming the implementation chosen (real or local stand-in). */
  describe(): string[];
  close(): Promise<void>;
}

export async function createRuntime(
  settings: Settings,
  options: { clock?: Clock; analysisPoolSize?: number; slicerPath?: string } = {},
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const handle = await createDb(settings.db);
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
    analyzeModel: async (bytes, analyzeOptions) => {
      try {
        // The pool takes the buffer over; a copy keeps `bytes` for the caller (and the fallback).
        return await analysisPool.analyze(bytes.slice(), analyzeOptions);
      } catch (error) {
        if (isQuoteError(error)) throw error;
        return analyzeModel(bytes, analyzeOptions);
      }
    },
    slicer,
    errors,
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
    },
  };
}
