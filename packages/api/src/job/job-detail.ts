// One job: the job page's view (`getJob`) and editing its fields (`updateJob`).

import { type JobPriority, type JobSource, type JobStatus, type JobStockState, recordAudit } from "@ktizo/db";
import { z } from "zod";
import {
  badRequest,
  dateInputSchema,
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import { JOB_FILE_COLUMNS } from "./files.ts";
import { itemsTotal, type LineItemView, lineItemsSchema, readLineItems, writeLineItems } from "./items.ts";
import { isOverdue, jobPrioritySchema } from "./job-fields.ts";
import { allowedNextStatuses, STATUS_LABELS } from "./status.ts";

export interface JobDetail {
  id: string;
  number: number;
  title: string;
  status: JobStatus;
  statusLabel: string;
  nextStatuses: JobStatus[];
  heldFromStatus: JobStatus | null;
  priority: JobPriority;
  rush: boolean;
  source: JobSource;
  orderId: string | null;
  dueAt: Date | null;
  overdue: boolean;
  currency: string;
  totalMinor: number;
  stockState: JobStockState;
  customer: { id: string; name: string; company: string | null; email: string | null; phone: string | null };
  printer: { id: string; name: string } | null;
  scheduledStartAt: Date | null;
  scheduledEndAt: Date | null;
  items: LineItemView[];
  notes: {
    id: string;
    body: string;
    authorUserId: string | null;
    authorName: string | null;
    createdAt: Date;
  }[];
  files: {
    id: string;
    kind: string;
    fileName: string;
    contentType: string;
    sizeBytes: number;
    analysis: Record<string, unknown> | null;
    uploadedBy: string | null;
    /** Shown to the customer on their order's page. */
    sharedWithCustomer: boolean;
    createdAt: Date;
  }[];
  history: {
    id: string;
    fromStatus: JobStatus | null;
    toStatus: JobStatus;
    actorUserId: string | null;
    actorName: string | null;
    note: string | null;
    createdAt: Date;
  }[];
  statusChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** One job with everything the job page shows. */
export async function getJob(
  db: Executor,
  organizationId: string,
  id: string,
  now: Date,
): Promise<JobDetail> {
  const job = await db
    .selectFrom("job")
    .innerJoin("customer as c", "c.id", "job.customerId")
    .leftJoin("printer as p", "p.id", "job.printerId")
    .selectAll("job")
    .select([
      "c.name as customerName",
      "c.company as customerCompany",
      "c.email as customerEmail",
      "c.phone as customerPhone",
      "p.name as printerName",
    ])
    .where("job.organizationId", "=", organizationId)
    .where("job.id", "=", id)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  const [items, notes, files, history] = await Promise.all([
    readLineItems(db, id),
    db
      .selectFrom("jobNote as n")
      .leftJoin("user as u", "u.id", "n.authorUserId")
      .select(["n.id", "n.body", "n.authorUserId", "u.name as authorName", "n.createdAt"])
      .where("n.jobId", "=", id)
      .orderBy("n.createdAt", "desc")
      .orderBy("n.id")
      .execute(),
    db
      .selectFrom("jobFile")
      .select(JOB_FILE_COLUMNS)
      .where("jobId", "=", id)
      .orderBy("createdAt", "desc")
      .execute(),
    db
      .selectFrom("jobStatusChange as h")
      .leftJoin("user as u", "u.id", "h.actorUserId")
      .select([
        "h.id",
        "h.fromStatus",
        "h.toStatus",
        "h.actorUserId",
        "u.name as actorName",
        "h.note",
        "h.createdAt",
      ])
      .where("h.jobId", "=", id)
      .orderBy("h.createdAt")
      .orderBy("h.id")
      .execute(),
  ]);
  return {
    id: job.id,
    number: job.number,
    title: job.title,
    status: job.status,
    statusLabel: STATUS_LABELS[job.status],
    nextStatuses: allowedNextStatuses(job),
    heldFromStatus: job.heldFromStatus,
    priority: job.priority,
    rush: job.rush,
    source: job.source,
    orderId: job.orderId,
    dueAt: job.dueAt,
    overdue: isOverdue(job, now),
    currency: job.currency,
    totalMinor: job.totalMinor,
    stockState: job.stockState,
    customer: {
      id: job.customerId,
      name: job.customerName,
      company: job.customerCompany,
      email: job.customerEmail,
      phone: job.customerPhone,
    },
    printer: job.printerId && job.printerName ? { id: job.printerId, name: job.printerName } : null,
    scheduledStartAt: job.scheduledStartAt,
    scheduledEndAt: job.scheduledEndAt,
    items,
    notes,
    files,
    history,
    statusChangedAt: job.statusChangedAt,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

export const updateJobInput = z
  .object({
    id: idSchema,
    title: z.string().trim().min(1, "Give the job a title").max(200),
    customerId: idSchema,
    priority: jobPrioritySchema,
    rush: z.boolean(),
    dueAt: dateInputSchema.nullable(),
    /** Line items can change while the job is a quote or approved (before stock is reserved). */
    items: lineItemsSchema,
  })
  .partial()
  .required({ id: true });

export async function updateJob(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof updateJobInput>,
  now: Date,
): Promise<JobDetail> {
  await inTransaction(db, async (trx) => {
    const job = await trx
      .selectFrom("job")
      .select(["id", "status", "dueAt", "priority"])
      .where("id", "=", input.id)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!job) throw notFound("Job not found");
    if (input.customerId) {
      const c = await trx
        .selectFrom("customer")
        .select("id")
        .where("id", "=", input.customerId)
        .where("organizationId", "=", actor.organizationId)
        .executeTakeFirst();
      if (!c) throw notFound("Customer not found");
    }
    if (input.items !== undefined) {
      if (job.status !== "quote" && job.status !== "approved") {
        throw badRequest("Line items can only change while the job is a quote or approved", {
          items: "Unschedule the job first",
        });
      }
      await writeLineItems(trx, actor.organizationId, job.id, input.items);
    }
    await trx
      .updateTable("job")
      .set({
        updatedAt: now,
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.customerId !== undefined ? { customerId: input.customerId } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.rush !== undefined ? { rush: input.rush } : {}),
        ...(input.dueAt !== undefined ? { dueAt: input.dueAt, overdueNotifiedAt: null } : {}),
        ...(input.items !== undefined ? { totalMinor: itemsTotal(input.items) } : {}),
      })
      .where("id", "=", job.id)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "job.updated",
      subjectType: "job",
      subjectId: job.id,
      data: {
        fields: Object.keys(input).filter((k) => k !== "id"),
        ...(input.items !== undefined ? { totalMinor: itemsTotal(input.items) } : {}),
        ...(input.dueAt !== undefined ? { dueAt: { from: job.dueAt, to: input.dueAt } } : {}),
        ...(input.priority !== undefined ? { priority: { from: job.priority, to: input.priority } } : {}),
      },
    });
  });
  return getJob(db, actor.organizationId, input.id, now);
}
