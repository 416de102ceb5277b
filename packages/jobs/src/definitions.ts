import type { z } from "zod";

/**
 * A kind of background work: its queue name, the shape of its data (checked when sent and when run),
 * the function that does it, and optionally a cron schedule. Domains declare theirs; the worker
 * process registers them all.
 */
export interface JobDefinition<Schema extends z.ZodType, Deps> {
  name: string;
  schema: Schema;
  run(data: z.infer<Schema>, deps: Deps): Promise<void>;
  /** Cron expression (UTC) for recurring work, e.g. "0 3 * * *". */
  cron?: string;
  retryLimit?: number;
}

export function defineJob<Schema extends z.ZodType, Deps>(definition: JobDefinition<Schema, Deps>) {
  return definition;
}
