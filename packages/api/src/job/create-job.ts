// Creating jobs: by hand in the workspace (`createJob`) and from a paid marketplace order (`createJobFromOrder`).

import { type JobPriority, type JobSource, newId, recordAudit } from "@ktizo/db";
import type { MailService } from "@ktizo/services";
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
import {
  emailShopManagers,
  type PendingEmail,
  recordNotification,
  workspaceLink,
} from "../shop/notifications.ts";
import { ensureShopSettings } from "../shop/profile.ts";
import { shopFormat } from "../shop/shop-format.ts";
import { addressSchema, createCustomerInput, customerPhoneColumns, insertCustomer } from "./customers.ts";
import { itemsTotal, lineItemsSchema, writeLineItems } from "./items.ts";
import { getJob, type JobDetail } from "./job-detail.ts";
import { jobPrioritySchema, manualSourceSchema } from "./job-fields.ts";

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
      await insertCustomer(trx, actor, customerId, input.newCustomer, now);
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
