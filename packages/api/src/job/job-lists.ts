// Many jobs: the job list (filters, search, sorting, pagination) and the kanban board.

import type { JobPriority, JobSource, JobStatus } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  dateInputSchema,
  type Executor,
  idSchema,
  likePattern,
  type Page,
  pageRows,
  paginationSchema,
  searchSchema,
  toPage,
} from "../kernel/index.ts";
import { DELIVERED_OR_CLOSED, isOverdue, jobPrioritySchema } from "./job-fields.ts";
import { JOB_STATUSES, jobStatusSchema, movableStatuses, STATUS_LABELS } from "./status.ts";

export const jobSortSchema = z.enum([
  "number",
  "-number",
  "dueAt",
  "-dueAt",
  "priority",
  "-priority",
  "createdAt",
  "-createdAt",
  "updatedAt",
  "-updatedAt",
  "totalMinor",
  "-totalMinor",
]);

export const jobFiltersSchema = z.object({
  search: searchSchema,
  status: z.array(jobStatusSchema).max(JOB_STATUSES.length).optional(),
  priority: z.array(jobPrioritySchema).max(4).optional(),
  printerId: idSchema.optional(),
  customerId: idSchema.optional(),
  source: z.enum(["manual", "walk_in", "phone", "email", "marketplace", "widget"]).optional(),
  overdueOnly: z.boolean().default(false),
  dueFrom: dateInputSchema.optional(),
  dueTo: dateInputSchema.optional(),
});
export const listJobsInput = paginationSchema
  .merge(jobFiltersSchema)
  .extend({ sort: jobSortSchema.default("-number") });

export interface JobCard {
  id: string;
  number: number;
  title: string;
  status: JobStatus;
  priority: JobPriority;
  rush: boolean;
  source: JobSource;
  dueAt: Date | null;
  overdue: boolean;
  customerId: string;
  customerName: string;
  printerId: string | null;
  printerName: string | null;
  scheduledStartAt: Date | null;
  scheduledEndAt: Date | null;
  currency: string;
  totalMinor: number;
  itemCount: number;
  /** Where a plain status change may move the job now (the server's workflow; see movableStatuses). */
  nextStatuses: JobStatus[];
  createdAt: Date;
  updatedAt: Date;
}

type JobCardQuery = ReturnType<typeof cardQuery>;

function cardQuery(db: Executor, organizationId: string) {
  return db
    .selectFrom("job")
    .innerJoin("customer as c", "c.id", "job.customerId")
    .leftJoin("printer as p", "p.id", "job.printerId")
    .where("job.organizationId", "=", organizationId)
    .select([
      "job.id",
      "job.number",
      "job.title",
      "job.status",
      "job.heldFromStatus",
      "job.priority",
      "job.rush",
      "job.source",
      "job.dueAt",
      "job.customerId",
      "c.name as customerName",
      "job.printerId",
      "p.name as printerName",
      "job.scheduledStartAt",
      "job.scheduledEndAt",
      "job.currency",
      "job.totalMinor",
      "job.createdAt",
      "job.updatedAt",
      sql<number>`(select coalesce(sum(i.quantity), 0)::int from job_item i where i.job_id = job.id)`.as(
        "itemCount",
      ),
    ]);
}

function applyFilters<Q extends JobCardQuery>(q: Q, f: z.infer<typeof jobFiltersSchema>, now: Date): Q {
  let r = q as JobCardQuery;
  if (f.search) {
    const p = likePattern(f.search);
    const n = /^#?(\d{1,9})$/.exec(f.search)?.[1];
    r = r.where((eb) =>
      eb.or([
        eb("job.title", "ilike", p),
        eb("c.name", "ilike", p),
        eb("c.company", "ilike", p),
        eb("c.email", "ilike", p),
        ...(n ? [eb("job.number", "=", Number(n))] : []),
      ]),
    );
  }
  if (f.status?.length) r = r.where("job.status", "in", f.status);
  if (f.priority?.length) r = r.where("job.priority", "in", f.priority);
  if (f.printerId) r = r.where("job.printerId", "=", f.printerId);
  if (f.customerId) r = r.where("job.customerId", "=", f.customerId);
  if (f.source) r = r.where("job.source", "=", f.source);
  if (f.dueFrom) r = r.where("job.dueAt", ">=", f.dueFrom);
  if (f.dueTo) r = r.where("job.dueAt", "<=", f.dueTo);
  if (f.overdueOnly) {
    r = r.where("job.dueAt", "<", now).where("job.status", "not in", [...DELIVERED_OR_CLOSED]);
  }
  return r as Q;
}

const PRIORITY_RANK = sql`case job.priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

function toCard<T extends Omit<JobCard, "overdue" | "nextStatuses"> & { heldFromStatus: JobStatus | null }>(
  { heldFromStatus, ...row }: T,
  now: Date,
): JobCard {
  return {
    ...row,
    overdue: isOverdue(row, now),
    nextStatuses: movableStatuses({ ...row, heldFromStatus }),
  };
}

/** The job list: filters, search (title, customer, #number), sorting and pagination. */
export async function listJobs(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof listJobsInput>,
  now: Date,
): Promise<Page<JobCard>> {
  const filtered = applyFilters(cardQuery(db, organizationId), input, now);
  const desc = input.sort.startsWith("-");
  const key = input.sort.replace("-", "") as
    | "number"
    | "dueAt"
    | "priority"
    | "createdAt"
    | "updatedAt"
    | "totalMinor";
  const dir = desc ? "desc" : "asc";
  const ordered =
    key === "priority"
      ? filtered.orderBy(PRIORITY_RANK, dir)
      : key === "dueAt"
        ? filtered.orderBy("job.dueAt", (ob) => (desc ? ob.desc() : ob.asc()).nullsLast())
        : filtered.orderBy(`job.${key}`, dir);
  const [rows, total] = await pageRows(
    ordered.orderBy("job.number", "desc"),
    db.selectFrom(filtered.as("x")).select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(
    rows.map((r) => toCard(r, now)),
    total,
    input,
  );
}

export const boardInput = jobFiltersSchema.extend({
  perColumn: z.number().int().min(1).max(200).default(50),
  /** Completed and cancelled jobs are shown for this many days. */
  closedWithinDays: z.number().int().min(0).max(365).default(14),
});

export interface BoardColumn {
  status: JobStatus;
  label: string;
  count: number;
  jobs: JobCard[];
}

/** The kanban board: one column per status, in workflow order, cards by priority then due date. */
export async function jobBoard(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof boardInput>,
  now: Date,
): Promise<BoardColumn[]> {
  const since = new Date(now.getTime() - input.closedWithinDays * 86_400_000);
  const base = applyFilters(cardQuery(db, organizationId), input, now).where((eb) =>
    eb.or([eb("job.status", "not in", ["completed", "cancelled"]), eb("job.statusChangedAt", ">=", since)]),
  );
  const counts = await db
    .selectFrom(base.as("x"))
    .select(["x.status", sql<number>`count(*)::int`.as("n")])
    .groupBy("x.status")
    .execute();
  const rows = await db
    .selectFrom(
      base
        .select(
          sql<number>`row_number() over (partition by job.status order by ${PRIORITY_RANK}, job.due_at asc nulls last, job.number)`.as(
            "rank",
          ),
        )
        .as("x"),
    )
    .selectAll("x")
    .where("x.rank", "<=", input.perColumn)
    .orderBy("x.rank")
    .execute();
  const statuses = input.status?.length
    ? JOB_STATUSES.filter((s) => input.status?.includes(s))
    : JOB_STATUSES;
  return statuses.map((status) => ({
    status,
    label: STATUS_LABELS[status],
    count: counts.find((c) => c.status === status)?.n ?? 0,
    jobs: rows.filter((r) => r.status === status).map(({ rank: _r, ...r }) => toCard(r, now)),
  }));
}
