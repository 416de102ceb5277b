import { billing, inbox, job, marketplace, privacy, shop } from "@ktizo/api";
import { type Database, withAdvisoryLock } from "@ktizo/db";
import { defineJob, enqueue, type PgBoss, queueDepths, registerJobs, startQueue } from "@ktizo/jobs";
import type { Clock, Services } from "@ktizo/services";
import { type SlicerInfo, sliceUploadsJob } from "@ktizo/slicer";
import { z } from "zod";
import type { Runtime } from "./runtime.ts";

/** What background work receives: the same database, services and clock as requests. */
export interface JobDeps {
  db: Database;
  services: Services;
  clock: Clock;
  /** PrusaSlicer as found at start-up (slicing jobs do nothing without it). */
  slicer: SlicerInfo;
  /** Aborted when the process is asked to stop, so long-running jobs end early. */
  stopping: AbortSignal;
  sliceStaleAfterMs?: number;
}

/** Every kind of background work the platform runs; the domains' functions do the work. */
export const BACKGROUND_JOBS = [
  defineJob({
    name: "job-overdue-check",
    schema: z.object({}),
    cron: "*/15 * * * *",
    run: async (_data: Record<string, never>, deps: JobDeps) => {
      await job.notifyOverdueJobs(deps.db, deps.services.mail, deps.clock);
    },
  }),
  // Account purge after the 30-day grace period, and data exports.
  ...privacy.PRIVACY_JOBS.map((definition) => defineJob(definition)),
  // Slicer-verified quotes: uploads sliced for every listed printer profile (packages/slicer).
  defineJob(sliceUploadsJob),
  // Shops' printers (Moonraker, OctoPrint) polled for their finished prints, for calibration (issue 14).
  defineJob(shop.pollPrintersJob),
  // Invoice and proof reminders, and the purge of financial records past their retention (issue 12).
  ...billing.BILLING_JOBS.map((definition) => defineJob(definition)),
  // Daily reference exchange rates, to show foreign prices in the customer's currency (issue 20).
  defineJob(marketplace.exchangeRatesJob),
  // Customers saved before phone_e164 existed get it from their typed phone (issue 13); also sent at start.
  defineJob(job.customerPhoneBackfillJob),
  // Linked Gmail threads into the jobs' conversations (history cursor) and job Drive folders (issue 13).
  ...inbox.INBOX_JOBS.map((definition) => defineJob(definition)),
];

/**
 * Starts pg-boss and the workers for every background job. In embedded mode this runs inside the host
 * process (one process owns the PGlite folder); on PostgreSQL, `pnpm worker` runs it in as many
 * processes as needed.
 */
export async function startBackgroundWork(runtime: Runtime): Promise<PgBoss> {
  // Workers starting together would create the same queues and schedules at once, which deadlocks on
  // PostgreSQL: one process at a time does it (processes.ops.test.ts starts two workers together).
  const boss = await withAdvisoryLock(
    runtime.db,
    runtime.dbKind,
    "ktizo:register-background-jobs",
    async () => {
      const boss = await startQueue(runtime.handle, {
        onError: (error) =>
          runtime.log.error(
            { err: error instanceof Error ? error.message : String(error) },
            "background queue",
          ),
      });
      const stopping = new AbortController();
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stopping.abort());
      await registerJobs(
        boss,
        BACKGROUND_JOBS,
        {
          db: runtime.db,
          services: runtime.services,
          clock: runtime.clock,
          slicer: runtime.slicer,
          stopping: stopping.signal,
          ...(runtime.settings.app.KTIZO_SLICE_STALE_AFTER_MS
            ? { sliceStaleAfterMs: runtime.settings.app.KTIZO_SLICE_STALE_AFTER_MS }
            : {}),
        },
        {
          onJobDone: (queue, seconds, outcome) => {
            runtime.metrics.jobDuration.observe({ queue, outcome }, seconds);
            if (outcome === "failed")
              runtime.log.warn({ queue }, "background job failed; pg-boss retries it");
          },
        },
      );
      return boss;
    },
  );
  await enqueueStartupWork(boss);
  runtime.metrics.setQueueDepthSource(() => queueDepths(runtime.handle));
  return boss;
}

/**
 * One-off work sent at every start (idempotent; one job per hour however many workers start): customers
 * saved before phone_e164 existed get it from their typed phone.
 */
export async function enqueueStartupWork(boss: PgBoss): Promise<void> {
  await enqueue(boss, job.customerPhoneBackfillJob, {}, { singletonKey: "start", singletonSeconds: 3600 });
}
