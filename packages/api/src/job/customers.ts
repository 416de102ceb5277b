import {
  type CustomerAddress,
  type NotifyChannel,
  newId,
  recordAudit,
  type SmsConsentSource,
} from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  likePattern,
  notFound,
  type OrgActor,
  type Page,
  pageRows,
  paginationSchema,
  searchSchema,
  shopCountry,
  toE164,
  toPage,
} from "../kernel/index.ts";

/**
 * The phone columns of a customer row: what was typed, and its E.164 form (the kernel's `toE164`, read in
 * the shop's country) by which inbound texts find the customer. Every write of a customer's phone uses it.
 */
export async function customerPhoneColumns(db: Executor, organizationId: string, phone: string | null) {
  return { phone, phoneE164: toE164(phone, await shopCountry(db, organizationId)) };
}

const nullableText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long (at most ${max} characters)`)
    .transform((v) => (v === "" ? null : v))
    .nullable();
const optional = (max: number, label: string) => nullableText(max, label).default(null);

export const addressSchema = z.object({
  label: z.string().trim().max(40).default("Shipping"),
  line1: z.string().trim().min(1, "Enter the street address").max(200),
  line2: optional(200, "Address line 2"),
  city: z.string().trim().min(1, "Enter the city").max(100),
  postalCode: z.string().trim().max(20).default(""),
  region: optional(100, "Region"),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as US"),
});

// Each field without its default: an update changes only the fields it names.
const fieldRules = {
  name: z.string().trim().min(1, "Enter the customer's name").max(120, "The name is too long"),
  company: nullableText(120, "Company"),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .email("Not a valid email address")
    .max(254)
    .nullable()
    .or(z.literal("").transform(() => null)),
  phone: nullableText(40, "Phone"),
  notifyChannel: z.enum(["email", "sms", "both", "none"], { error: "Choose email, SMS, both or none" }),
  /** The staff member records that the customer agreed to receive texts (or that they withdrew). */
  smsConsent: z.boolean(),
  addresses: z.array(addressSchema).max(10, "At most 10 addresses"),
  notes: z.string().trim().max(5000, "Notes are too long (at most 5000 characters)"),
};

export const customerFieldsSchema = z.object({
  name: fieldRules.name,
  company: fieldRules.company.default(null),
  email: fieldRules.email.default(null),
  phone: fieldRules.phone.default(null),
  notifyChannel: fieldRules.notifyChannel.default("email"),
  smsConsent: fieldRules.smsConsent.default(false),
  addresses: fieldRules.addresses.default([]),
  notes: fieldRules.notes.default(""),
});
export const createCustomerInput = customerFieldsSchema;
export const updateCustomerInput = z.object(fieldRules).partial().extend({ id: idSchema }).strict();

export const customerSortSchema = z.enum([
  "name",
  "-name",
  "createdAt",
  "-createdAt",
  "lastJobAt",
  "-lastJobAt",
]);
export const listCustomersInput = paginationSchema.extend({
  search: searchSchema,
  sort: customerSortSchema.default("name"),
});

export interface CustomerView {
  id: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  phoneE164: string | null;
  notifyChannel: NotifyChannel;
  smsConsentAt: Date | null;
  smsConsentSource: SmsConsentSource | null;
  addresses: CustomerAddress[];
  notes: string;
  userId: string | null;
  jobCount: number;
  lastJobAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function customerQuery(db: Executor, organizationId: string) {
  return db
    .selectFrom("customer as c")
    .where("c.organizationId", "=", organizationId)
    .select([
      "c.id",
      "c.name",
      "c.company",
      "c.email",
      "c.phone",
      "c.phoneE164",
      "c.notifyChannel",
      "c.smsConsentAt",
      "c.smsConsentSource",
      "c.addresses",
      "c.notes",
      "c.userId",
      "c.createdAt",
      "c.updatedAt",
      sql<number>`(select count(*)::int from job j where j.customer_id = c.id)`.as("jobCount"),
      sql<Date | null>`(select max(j.created_at) from job j where j.customer_id = c.id)`.as("lastJobAt"),
    ]);
}

export async function listCustomers(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof listCustomersInput>,
): Promise<Page<CustomerView>> {
  let q = customerQuery(db, organizationId);
  if (input.search) {
    const p = likePattern(input.search);
    q = q.where((eb) =>
      eb.or([
        eb("c.name", "ilike", p),
        eb("c.company", "ilike", p),
        eb("c.email", "ilike", p),
        eb("c.phone", "ilike", p),
      ]),
    );
  }
  const desc = input.sort.startsWith("-");
  const key = input.sort.replace("-", "");
  const dir = desc ? "desc" : "asc";
  const ordered =
    key === "name"
      ? q.orderBy("c.name", dir)
      : key === "createdAt"
        ? q.orderBy("c.createdAt", dir)
        : q.orderBy(sql`(select max(j.created_at) from job j where j.customer_id = c.id)`, (ob) =>
            (desc ? ob.desc() : ob.asc()).nullsLast(),
          );
  const [items, total] = await pageRows(
    ordered.orderBy("c.id"),
    db.selectFrom(q.as("x")).select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(items, total, input);
}

export interface CustomerDetail extends CustomerView {
  jobs: {
    id: string;
    number: number;
    title: string;
    status: string;
    totalMinor: number;
    currency: string;
    dueAt: Date | null;
    createdAt: Date;
  }[];
}

/** A customer with the history of their jobs (newest first). */
export async function getCustomer(db: Executor, organizationId: string, id: string): Promise<CustomerDetail> {
  const row = await customerQuery(db, organizationId).where("c.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Customer not found");
  const jobs = await db
    .selectFrom("job")
    .select(["id", "number", "title", "status", "totalMinor", "currency", "dueAt", "createdAt"])
    .where("organizationId", "=", organizationId)
    .where("customerId", "=", id)
    .orderBy("createdAt", "desc")
    .limit(200)
    .execute();
  return { ...row, jobs };
}

/**
 * Writes a new customer of the actor's shop (a linked account's `userId` when there is one) and its audit
 * row, in the caller's transaction: the one way a customer is created, on its own or with a new job.
 */
export async function insertCustomer(
  trx: Executor,
  actor: OrgActor,
  id: string,
  input: z.infer<typeof createCustomerInput>,
  now: Date,
  userId: string | null = null,
): Promise<void> {
  await trx
    .insertInto("customer")
    .values({
      id,
      organizationId: actor.organizationId,
      userId,
      name: input.name,
      company: input.company,
      email: input.email,
      ...(await customerPhoneColumns(trx, actor.organizationId, input.phone)),
      notifyChannel: input.notifyChannel,
      ...(input.smsConsent
        ? { smsConsentAt: now, smsConsentSource: "staff", smsConsentBy: actor.userId }
        : {}),
      addresses: JSON.stringify(input.addresses),
      notes: input.notes,
    })
    .execute();
  await recordAudit(trx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "customer.created",
    subjectType: "customer",
    subjectId: id,
    data: { name: input.name },
  });
}

export async function createCustomer(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof createCustomerInput>,
  now: Date,
  extra: { userId?: string | null } = {},
): Promise<CustomerDetail> {
  const id = newId("cus");
  await inTransaction(db, (trx) => insertCustomer(trx, actor, id, input, now, extra.userId ?? null));
  return getCustomer(db, actor.organizationId, id);
}

export async function updateCustomer(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof updateCustomerInput>,
  now: Date,
): Promise<CustomerDetail> {
  const before = await getCustomer(db, actor.organizationId, input.id);
  // Consent changes only when the box changed: ticking it again does not move the recorded date.
  const consent =
    input.smsConsent === undefined || input.smsConsent === (before.smsConsentAt !== null)
      ? {}
      : input.smsConsent
        ? { smsConsentAt: now, smsConsentSource: "staff" as const, smsConsentBy: actor.userId }
        : { smsConsentAt: null, smsConsentSource: null, smsConsentBy: null };
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("customer")
      .set({
        updatedAt: now,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.company !== undefined ? { company: input.company } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.phone !== undefined
          ? await customerPhoneColumns(trx, actor.organizationId, input.phone)
          : {}),
        ...(input.notifyChannel !== undefined ? { notifyChannel: input.notifyChannel } : {}),
        ...consent,
        ...(input.addresses !== undefined ? { addresses: JSON.stringify(input.addresses) } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
      })
      .where("id", "=", input.id)
      .where("organizationId", "=", actor.organizationId)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "customer.updated",
      subjectType: "customer",
      subjectId: input.id,
      data: {
        fields: Object.keys(input).filter((k) => k !== "id"),
        ...("smsConsentAt" in consent ? { smsConsent: consent.smsConsentAt ? "recorded" : "withdrawn" } : {}),
      },
    });
  });
  return getCustomer(db, actor.organizationId, input.id);
}

/** Deletes a customer without jobs (a customer with history is kept for the record). */
export async function deleteCustomer(db: Executor, actor: OrgActor, id: string): Promise<{ id: string }> {
  const customer = await getCustomer(db, actor.organizationId, id);
  if (customer.jobCount > 0)
    throw conflict(`${customer.name} has ${customer.jobCount} job(s) and is kept for the record`);
  await inTransaction(db, async (trx) => {
    await trx
      .deleteFrom("customer")
      .where("id", "=", id)
      .where("organizationId", "=", actor.organizationId)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "customer.deleted",
      subjectType: "customer",
      subjectId: id,
      data: { name: customer.name },
    });
  });
  return { id };
}
