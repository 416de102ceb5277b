import { sql } from "kysely";
import { z } from "zod";
import type { Executor } from "../kernel/index.ts";
import { DELIVERED_OR_CLOSED } from "./job-fields.ts";

/** Jobs the shop is working on: approved and not yet out of the door (held jobs are not in progress). */
export const IN_PROGRESS_STATUSES = [
  "approved",
  "scheduled",
  "printing",
  "post_processing",
  "ready",
] as const;

export const workspaceOverviewOutput = z.strictObject({
  openQuotes: z.number().int(),
  jobsInProgress: z.number().int(),
  overdueJobs: z.number().int(),
  printers: z.number().int(),
  printersAvailable: z.number().int(),
});
export type WorkspaceOverview = z.infer<typeof workspaceOverviewOutput>;

/** The figures on the workspace's first page, counted by the database in one round trip per table. */
export async function workspaceOverview(
  db: Executor,
  organizationId: string,
  now: Date,
): Promise<WorkspaceOverview> {
  const [jobs, printers] = await Promise.all([
    db
      .selectFrom("job")
      .where("organizationId", "=", organizationId)
      .select([
        sql<number>`count(*) filter (where status = 'quote')::int`.as("openQuotes"),
        sql<number>`count(*) filter (where status in (${sql.join([...IN_PROGRESS_STATUSES])}))::int`.as(
          "jobsInProgress",
        ),
        sql<number>`count(*) filter (where due_at < ${now} and status not in (${sql.join([...DELIVERED_OR_CLOSED])}))::int`.as(
          "overdueJobs",
        ),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("printer")
      .where("organizationId", "=", organizationId)
      .select([
        sql<number>`count(*)::int`.as("printers"),
        sql<number>`count(*) filter (where status = 'available')::int`.as("printersAvailable"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return { ...jobs, ...printers };
}
