import type PgBoss from "pg-boss";
import type { z } from "zod";
import type { JobDefinition } from "./definitions.ts";

// biome-ignore lint/suspicious/noExplicitAny: definitions of different data shapes share one list
type AnyJob<Deps> = JobDefinition<z.ZodType<any>, Deps>;

export interface JobObserver {
  /** Called after every run with its wall time; a failed run is retried by pg-boss (retryLimit). */
  onJobDone?(queue: string, seconds: number, outcome: "ok" | "failed"): void;
}

/** Creates each job's queue, its schedule if any, and a worker that validates data before running. */
export async function registerJobs<Deps>(
  boss: PgBoss,
  jobs: AnyJob<Deps>[],
  deps: Deps,
  observer: JobObserver = {},
): Promise<void> {
  for (const job of jobs) {
    await boss.createQueue(job.name, { name: job.name, retryLimit: job.retryLimit ?? 3, retryBackoff: true });
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
    await boss.work(job.name, { pollingIntervalSeconds: 2 }, async (batch) => {
      for (const item of batch) {
        const started = performance.now();
        let outcome: "ok" | "failed" = "failed";
        try {
          const data = job.schema.parse(item.data ?? {});
          await job.run(data, deps);
          outcome = "ok";
        } finally {
          observer.onJobDone?.(job.name, (performance.now() - started) / 1000, outcome);
        }
      }
    });
  }
}

/** Sends work to a queue after checking its data against the job's schema. */
export async function enqueue<Schema extends z.ZodType, Deps>(
  boss: PgBoss,
  job: JobDefinition<Schema, Deps>,
  data: z.infer<Schema>,
  options: PgBoss.SendOptions = {},
): Promise<string | null> {
  return boss.send(job.name, job.schema.parse(data) as object, options);
}
