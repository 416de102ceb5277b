import { recordAudit } from "@ktizo/db";
import { sql } from "kysely";
import { conflict, type Executor, type Page, toPage } from "../kernel/index.ts";
import type { JobActionInput, ListJobsInput } from "./schemas.ts";

/**
 * Background work as pg-boss keeps it (schema "pgboss", packages/jobs): read from its own tables, and
 * retried or cancelled with the same conditional updates pg-boss's retry() and cancel() run, so the
 * console works from any host process (the workers may be other processes on PostgreSQL). Before
 * pg-boss first started there are no tables: everything is empty.
 */

export type JobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

export interface QueueView {
  name: string;
  counts: Record<JobState, number>;
  /** The recurring schedule (cron, UTC unless a time zone is given), if any. */
  cron: string | null;
  timezone: string | null;
  /** When a job of this queue last started (also among archived jobs), and how it ended. */
  lastStartedAt: Date | null;
  lastState: JobState | null;
}

export interface JobView {
  id: string;
  queue: string;
  state: JobState;
  /** The error pg-boss stored for a failed run (its output's message), if any. */
  error: string | null;
  attempts: number;
  retryLimit: number;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

async function hasQueueTables(db: Executor): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select to_regclass('pgboss.job') is not null as ok`.execute(db);
  return r.rows[0]?.ok === true;
}

const STATES: JobState[] = ["created", "retry", "active", "completed", "cancelled", "failed"];

export async function listQueues(db: Executor): Promise<QueueView[]> {
  if (!(await hasQueueTables(db))) return [];
  const [queues, counts, last] = await Promise.all([
    sql<{ name: string; cron: string | null; timezone: string | null }>`
      select q.name, s.cron, s.timezone from pgboss.queue q
      left join pgboss.schedule s on s.name = q.name order by q.name`.execute(db),
    sql<{ name: string; state: JobState; n: number }>`
      select name, state::text as state, count(*)::int as n from pgboss.job group by 1, 2`.execute(db),
    // (Kysely's CamelCasePlugin names result columns in camelCase.)
    sql<{ name: string; startedOn: Date; state: JobState }>`
      select distinct on (name) name, started_on, state::text as state from (
        select name, started_on, state from pgboss.job where started_on is not null
        union all
        select name, started_on, state from pgboss.archive where started_on is not null
      ) j order by name, started_on desc`.execute(db),
  ]);
  return queues.rows.map((q) => {
    const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<JobState, number>;
    for (const c of counts.rows) if (c.name === q.name) byState[c.state] = Number(c.n);
    const l = last.rows.find((r) => r.name === q.name);
    return {
      name: q.name,
      counts: byState,
      cron: q.cron,
      timezone: q.timezone,
      lastStartedAt: l ? new Date(l.startedOn) : null,
      lastState: l?.state ?? null,
    };
  });
}

/** Jobs in one state (failed by default), newest first, optionally of one queue. */
export async function listJobs(db: Executor, input: ListJobsInput): Promise<Page<JobView>> {
  if (!(await hasQueueTables(db))) return toPage([], 0, input);
  const queue = input.queue ? sql`and name = ${input.queue}` : sql``;
  const [rows, total] = await Promise.all([
    sql<{
      id: string;
      name: string;
      state: JobState;
      output: unknown;
      retryCount: number;
      retryLimit: number;
      createdOn: Date;
      startedOn: Date | null;
      completedOn: Date | null;
    }>`select id::text, name, state::text as state, output, retry_count, retry_limit, created_on, started_on,
        completed_on
      from pgboss.job where state = ${input.state}::pgboss.job_state ${queue}
      order by created_on desc, id desc limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}`.execute(
      db,
    ),
    sql<{ n: number }>`select count(*)::int as n from pgboss.job
      where state = ${input.state}::pgboss.job_state ${queue}`.execute(db),
  ]);
  return toPage(
    rows.rows.map((r) => ({
      id: r.id,
      queue: r.name,
      state: r.state,
      error: errorOf(r.output),
      attempts: r.retryCount + (r.startedOn ? 1 : 0),
      retryLimit: r.retryLimit,
      createdAt: new Date(r.createdOn),
      startedAt: r.startedOn ? new Date(r.startedOn) : null,
      completedAt: r.completedOn ? new Date(r.completedOn) : null,
    })),
    Number(total.rows[0]?.n ?? 0),
    input,
  );
}

function errorOf(output: unknown): string | null {
  if (output === null || output === undefined) return null;
  const value = typeof output === "string" ? safeJson(output) : output;
  if (typeof value === "object" && value !== null && "message" in value) {
    return String((value as { message: unknown }).message).slice(0, 1000);
  }
  return JSON.stringify(value).slice(0, 1000);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A failed job runs again (pg-boss's retry: state retry, one more attempt allowed); a waiting or running
 * job is cancelled (pg-boss's cancel). Conditional on the state, so a second click changes nothing and
 * says so. Audited.
 */
export async function actOnJob(
  db: Executor,
  input: JobActionInput,
  actorUserId: string,
): Promise<{ id: string; state: JobState }> {
  if (!(await hasQueueTables(db))) throw conflict("Background work has not started on this platform yet");
  const changed =
    input.action === "retry"
      ? await sql<{ id: string }>`update pgboss.job set state = 'retry', retry_limit = retry_limit + 1
          where name = ${input.queue} and id = ${input.id}::uuid and state = 'failed' returning id::text`.execute(
          db,
        )
      : await sql<{ id: string }>`update pgboss.job set state = 'cancelled', completed_on = now()
          where name = ${input.queue} and id = ${input.id}::uuid and state < 'completed' returning id::text`.execute(
          db,
        );
  if (changed.rows.length === 0) {
    throw conflict(
      input.action === "retry"
        ? "Only a failed job can be retried (this one is not failed, or no longer exists)"
        : "Only a waiting or running job can be cancelled (this one has ended, or no longer exists)",
    );
  }
  await recordAudit(db, {
    actorUserId,
    action: input.action === "retry" ? "admin.job.retried" : "admin.job.cancelled",
    subjectType: "job_queue",
    subjectId: input.id,
    data: { queue: input.queue },
  });
  return { id: input.id, state: input.action === "retry" ? "retry" : "cancelled" };
}
