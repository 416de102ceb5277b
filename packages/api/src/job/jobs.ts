import {
  type JobPriority,
  type JobSource,
  type JobStatus,
  type JobStockState,
  newId,
  recordAudit,
} from "@ktizo/db";
import type { MailService } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import {
  badRequest,
  dateInputSchema,
  type Executor,
  idSchema,
  inTransaction,
  likePattern,
  notFound,
  type OrgActor,
  type Page,
  paginationSchema,
  searchSchema,
  toPage,
} from "../kernel/index.ts";
import {
  emailShopManagers,
  type PendingEmail,
  recordNotification,
  workspaceLink,
} from "../shop/notifications.ts";
import { ensureShopSettings } from "../shop/profile.ts";
import { shopFormat } from "../shop/shop-format.ts";
import { addressSchema, createCustomerInput, customerPhoneColumns } from "./customers.ts";
import { JOB_FILE_COLUMNS } from "./files.ts";
import { itemsTotal, type LineItemView, lineItemsSchema, readLineItems, writeLineItems } from "./items.ts";
import {
  allowedNextStatuses,
  JOB_STATUSES,
  jobStatusSchema,
  movableStatuses,
  STATUS_LABELS,
} from "./status.ts";

export const jobPrioritySchema = z.enum(["low", "normal", "high", "urgent"], {
  error: "Priority is low, normal, high or urgent",
});
export const manualSourceSchema = z.enum(["manual", "walk_in", "phone", "email"], {
  error: "Source is manual, walk-in, phone or email",
});

/** Statuses where the work has been handed over or ended: never overdue. */
export const DELIVERED_OR_CLOSED: readonly JobStatus[] = ["shipped", "picked_up", "completed", "cancelled"];

export const createJobInput = z
  .object({
    title: z.string().trim().min(1, "Give the job a title").max(200, "The title is too long"),
    customerId: idSchema.optional(),
    /** Or create the customer with the job (walk-in, phone, email). */
    newCustomer: createCustomerInput.optional(),
    source: manualSourceSchema.default("manual"),
    status: z.enum(["quote", "approved"]).default("quote"),
    priority: jobPrioritySchema.default("normal"),
    rush: z.boolean().default(false),
    dueAt: dateInputSchema.nullable().default(null),
    items: lineItemsSchema.default([]),
    note: z.string().trim().max(5000).optional(),
  })
  .refine((v) => (v.customerId === undefined) !== (v.newCustomer === undefined), {
    message: "Choose a customer or enter a new one",
    path: ["customerId"],
  });

async function nextJobNumber(trx: Executor, organizationId: string): Promise<number> {
  await ensureShopSettings(trx, organizationId);
  const row = await trx
    .updateTable("shopSettings")
    .set((eb) => ({ nextJobNumber: eb("nextJobNumber", "+", 1) }))
    .where("organizationId", "=", organizationId)
    .returning("nextJobNumber")
    .executeTakeFirstOrThrow();
  return row.nextJobNumber - 1;
}

async function shopCurrency(trx: Executor, organizationId: string): Promise<string> {
  const row = await trx
    .selectFrom("organizationProfile")
    .select("currency")
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("Shop not found");
  return row.currency;
}

interface NewJob {
  title: string;
  customerId: string;
  source: JobSource;
  orderId: string | null;
  status: "quote" | "approved";
  priority: JobPriority;
  rush: boolean;
  dueAt: Date | null;
  items: z.infer<typeof lineItemsSchema>;
  note?: string | undefined;
  currency: string;
}

/**
 * Inserts a job with its items, first status row, audit row and the shop's "new job" notification in
 * the app; returns the matching email for the shop's owners and admins, to send after commit.
 */
async function insertJob(
  trx: Executor,
  actor: OrgActor,
  job: NewJob & { email: { subject: string; text: string } },
  now: Date,
): Promise<{ id: string; number: number; emails: PendingEmail[] }> {
  const id = newId("job");
  const number = await nextJobNumber(trx, actor.organizationId);
  await trx
    .insertInto("job")
    .values({
      id,
      organizationId: actor.organizationId,
      number,
      title: job.title,
      customerId: job.customerId,
      source: job.source,
      orderId: job.orderId,
      status: job.status,
      priority: job.priority,
      rush: job.rush,
      dueAt: job.dueAt,
      currency: job.currency,
      totalMinor: itemsTotal(job.items),
      statusChangedAt: now,
      statusChangedBy: actor.userId,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await writeLineItems(trx, actor.organizationId, id, job.items);
  await trx
    .insertInto("jobStatusChange")
    .values({
      id: newId("jsc"),
      organizationId: actor.organizationId,
      jobId: id,
      fromStatus: null,
      toStatus: job.status,
      actorUserId: actor.userId,
      note: null,
      createdAt: now,
    })
    .execute();
  if (job.note) {
    await trx
      .insertInto("jobNote")
      .values({
        id: newId("jnt"),
        organizationId: actor.organizationId,
        jobId: id,
        authorUserId: actor.userId,
        body: job.note,
        createdAt: now,
      })
      .execute();
  }
  await recordAudit(trx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "job.created",
    subjectType: "job",
    subjectId: id,
    data: {
      number,
      source: job.source,
      status: job.status,
      orderId: job.orderId,
      totalMinor: itemsTotal(job.items),
    },
  });
  // Worded in the shop's currency digits, country and time zone.
  const shop = await shopFormat(trx, actor.organizationId);
  const worth = `${shop.money(itemsTotal(job.items), job.currency)}${job.dueAt ? `, due ${shop.date(job.dueAt)}` : ""}`;
  await recordNotification(trx, {
    organizationId: actor.organizationId,
    kind: "job.new",
    title: `New job #${number}: ${job.title}`,
    body: `${job.items.length} item(s), ${worth}, source: ${job.source.replace("_", "-")}`,
    link: workspaceLink.job(id),
    dedupeKey: `job.new:${id}`,
  });
  const emails: PendingEmail[] = [
    {
      organizationId: actor.organizationId,
      kind: "job.new",
      subject: `${job.email.subject}: job #${number}`,
      text: `${job.email.text}\nTotal ${worth}.`,
      link: workspaceLink.job(id),
    },
  ];
  return { id, number, emails };
}

/**
 * Creates a job by hand (walk-in, phone, email), with an existing or a new customer. Notifies the shop
 * in the app and by email to owners and admins, like a marketplace job.
 */
export async function createJob(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: OrgActor,
  input: z.infer<typeof createJobInput>,
  now: Date,
): Promise<JobDetail> {
  const { id, emails } = await inTransaction(db, async (trx) => {
    let customerId = input.customerId;
    if (customerId) {
      const c = await trx
        .selectFrom("customer")
        .select("id")
        .where("id", "=", customerId)
        .where("organizationId", "=", actor.organizationId)
        .executeTakeFirst();
      if (!c) throw notFound("Customer not found");
    } else if (input.newCustomer) {
      customerId = newId("cus");
      const c = input.newCustomer;
      await trx
        .insertInto("customer")
        .values({
          id: customerId,
          organizationId: actor.organizationId,
          name: c.name,
          company: c.company,
          email: c.email,
          ...(await customerPhoneColumns(trx, actor.organizationId, c.phone)),
          notifyChannel: c.notifyChannel,
          ...(c.smsConsent
            ? { smsConsentAt: now, smsConsentSource: "staff", smsConsentBy: actor.userId }
            : {}),
          addresses: JSON.stringify(c.addresses),
          notes: c.notes,
        })
        .execute();
      await recordAudit(trx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        action: "customer.created",
        subjectType: "customer",
        subjectId: customerId,
        data: { name: c.name },
      });
    }
    if (!customerId) throw badRequest("Choose a customer or enter a new one", { customerId: "Required" });
    const customer = await trx
      .selectFrom("customer")
      .select("name")
      .where("id", "=", customerId)
      .executeTakeFirstOrThrow();
    const source = input.source.replace("_", "-");
    return insertJob(
      trx,
      actor,
      {
        ...input,
        customerId,
        orderId: null,
        currency: await shopCurrency(trx, actor.organizationId),
        email: {
          subject: `New ${source} job`,
          text: `${customer.name}: "${input.title}" (${input.items.length} item(s), ${input.status}). Open the job board to plan it.`,
        },
      },
      now,
    );
  });
  await emailShopManagers(db, mail, emails);
  return getJob(db, actor.organizationId, id, now);
}

export const jobFromOrderInput = z.object({
  organizationId: idSchema,
  orderId: idSchema,
  /** The marketplace user who placed the order (actor of the audit rows is the platform: null). */
  customer: z.object({
    userId: idSchema.nullable().default(null),
    name: z.string().trim().min(1).max(120),
    email: z.string().trim().toLowerCase().email(),
    phone: z.string().trim().max(40).nullable().default(null),
    company: z.string().trim().max(120).nullable().default(null),
    shippingAddress: addressSchema.nullable().default(null),
  }),
  title: z.string().trim().min(1).max(200),
  items: lineItemsSchema.min(1, "An order has at least one item"),
  currency: z.string().regex(/^[A-Z]{3}$/),
  rush: z.boolean().default(false),
  dueAt: dateInputSchema.nullable().default(null),
  note: z.string().trim().max(5000).optional(),
});

/**
 * Creates the shop's job for a paid marketplace order (status "approved", source "marketplace").
 * Idempotent: calling it again for the same order returns the existing job. Finds the customer record
 * by user id or email, or creates it. Notifies the shop in the app and by email.
 * Line items may not reference files (fileId must be null); attach files afterwards with attachJobFile.
 */
export async function createJobFromOrder(
  db: Executor,
  mail: Pick<MailService, "send">,
  rawInput: z.input<typeof jobFromOrderInput>,
  now: Date,
): Promise<JobDetail> {
  const input = jobFromOrderInput.parse(rawInput);
  const existing = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", input.organizationId)
    .where("orderId", "=", input.orderId)
    .executeTakeFirst();
  if (existing) return getJob(db, input.organizationId, existing.id, now);
  const actor: OrgActor = { organizationId: input.organizationId, userId: null };
  const { id, emails } = await inTransaction(db, async (trx) => {
    const org = await trx
      .selectFrom("organization")
      .select("id")
      .where("id", "=", input.organizationId)
      .executeTakeFirst();
    if (!org) throw notFound("Shop not found");
    const c = input.customer;
    let customer = await trx
      .selectFrom("customer")
      .select("id")
      .where("organizationId", "=", input.organizationId)
      .where((eb) =>
        c.userId
          ? eb.or([eb("userId", "=", c.userId), eb("email", "=", c.email)])
          : eb("email", "=", c.email),
      )
      .orderBy("createdAt")
      .executeTakeFirst();
    if (!customer) {
      customer = { id: newId("cus") };
      await trx
        .insertInto("customer")
        .values({
          id: customer.id,
          organizationId: input.organizationId,
          userId: c.userId,
          name: c.name,
          company: c.company,
          email: c.email,
          ...(await customerPhoneColumns(trx, input.organizationId, c.phone)),
          addresses: JSON.stringify(c.shippingAddress ? [c.shippingAddress] : []),
        })
        .execute();
    }
    const job = await insertJob(
      trx,
      { organizationId: input.organizationId, userId: actor.userId },
      {
        title: input.title,
        customerId: customer.id,
        source: "marketplace",
        orderId: input.orderId,
        status: "approved",
        priority: input.rush ? "high" : "normal",
        rush: input.rush,
        dueAt: input.dueAt,
        items: input.items.map((i) => ({ ...i, fileId: null })),
        note: input.note,
        currency: input.currency,
        email: {
          subject: "New marketplace order",
          text: `${c.name} ordered "${input.title}" (${input.items.length} item(s)). Open the job board to schedule it.`,
        },
      },
      now,
    );
    return { id: job.id, emails: job.emails };
  });
  await emailShopManagers(db, mail, emails);
  return getJob(db, input.organizationId, id, now);
}

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

function isOverdue(job: { dueAt: Date | null; status: JobStatus }, now: Date): boolean {
  return job.dueAt !== null && job.dueAt < now && !DELIVERED_OR_CLOSED.includes(job.status);
}

/** One job with everything the job page shows. */
export async function getJob(
  db: Executor,
  organizationId: string,
  id: string,
  now = new Date(),
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
  const [rows, total] = await Promise.all([
    ordered
      .orderBy("job.number", "desc")
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)
      .execute(),
    db.selectFrom(filtered.as("x")).select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return toPage(
    rows.map((r) => toCard(r, now)),
    total.n,
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
