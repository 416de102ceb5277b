import type { MessageCategory, NotifyChannel } from "@ktizo/db";
import type { MailService, SmsService } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import {
  badRequest,
  type CustomerNotice,
  type Executor,
  idSchema,
  notFound,
  preconditionFailed,
} from "../kernel/index.ts";
import { customerChannels } from "../shop/notify-channels.ts";
import { getSmsSettings, smsSenderOf } from "../shop/sms-settings.ts";
import { markConversationMessageSent, recordConversationMessage } from "./conversation-store.ts";

/**
 * The conversation of a job and of a customer (issue 13, req. 1, 2, 6): the timeline that merges the
 * conversation_message rows (SMS, email, synced Gmail) with the marketplace order chat (order_message),
 * the one SMS sender that honours consent and STOP, the email sender with the shop's reply-to, and the
 * one function that decides on which channels a customer is notified.
 */

// ---------------------------------------------------------------------------------------------------
// Timeline

export type TimelineChannel = "portal" | "email" | "sms";

export interface ConversationEntry {
  id: string;
  channel: TimelineChannel;
  direction: "in" | "out";
  authorLabel: string;
  counterpart: string | null;
  subject: string | null;
  body: string;
  /** Delivery: queued, sent, delivered, failed, undelivered, received, blocked; portal: sent or read. */
  status: string;
  statusDetail: string | null;
  jobId: string | null;
  jobNumber: number | null;
  createdAt: Date;
}

export const timelineInput = z
  .object({
    jobId: idSchema.optional(),
    customerId: idSchema.optional(),
    cursor: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, "Not a cursor")
      .optional(),
    limit: z.number().int().min(1).max(50).default(30),
  })
  .strict()
  .refine((v) => (v.jobId === undefined) !== (v.customerId === undefined), {
    message: "Give a job or a customer",
  });

interface Cursor {
  at: Date;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at.toISOString(), c.id])).toString("base64url");
}

function decodeCursor(text: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as [unknown, unknown];
    const date = new Date(String(at));
    if (typeof id !== "string" || id.length > 100 || Number.isNaN(date.getTime())) throw new Error();
    return { at: date, id };
  } catch {
    throw badRequest("Not a cursor", { cursor: "Start from the first page" });
  }
}

/**
 * One page of a job's or customer's conversation, newest first, by cursor (created_at, id): a message that
 * arrives while someone reads never shifts the next page.
 */
export async function conversationTimeline(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof timelineInput>,
): Promise<{ items: ConversationEntry[]; nextCursor: string | null }> {
  let jobFilter: { jobId: string; orderId: string | null } | null = null;
  if (input.jobId) {
    const job = await db
      .selectFrom("job")
      .select(["id", "orderId"])
      .where("id", "=", input.jobId)
      .where("organizationId", "=", organizationId)
      .executeTakeFirst();
    if (!job) throw notFound("Job not found");
    jobFilter = { jobId: job.id, orderId: job.orderId };
  } else {
    const customer = await db
      .selectFrom("customer")
      .select("id")
      .where("id", "=", input.customerId ?? "")
      .where("organizationId", "=", organizationId)
      .executeTakeFirst();
    if (!customer) throw notFound("Customer not found");
  }
  const customerId = input.customerId ?? "";
  const stored = db
    .selectFrom("conversationMessage as m")
    .leftJoin("job as j", "j.id", "m.jobId")
    .select([
      "m.id",
      sql<TimelineChannel>`m.channel`.as("channel"),
      "m.direction",
      "m.authorLabel",
      sql<string | null>`m.counterpart`.as("counterpart"),
      "m.subject",
      "m.body",
      sql<string>`m.status`.as("status"),
      "m.statusDetail",
      "m.jobId",
      sql<number | null>`j.number`.as("jobNumber"),
      "m.createdAt",
    ])
    .where("m.organizationId", "=", organizationId)
    .where((eb) => (jobFilter ? eb("m.jobId", "=", jobFilter.jobId) : eb("m.customerId", "=", customerId)));
  const portal = db
    .selectFrom("orderMessage as om")
    .innerJoin("job as j", "j.orderId", "om.orderId")
    .innerJoin("customer as c", "c.id", "j.customerId")
    .leftJoin("user as u", "u.id", "om.authorUserId")
    .select([
      "om.id",
      sql<TimelineChannel>`'portal'`.as("channel"),
      sql<"in" | "out">`case when om.author_side = 'shop' then 'out' else 'in' end`.as("direction"),
      sql<string>`coalesce(u.name, case when om.author_side = 'shop' then 'Shop' else c.name end)`.as(
        "authorLabel",
      ),
      sql<string | null>`null`.as("counterpart"),
      sql<string | null>`null`.as("subject"),
      "om.body",
      sql<string>`case when om.read_at is null then 'sent' else 'read' end`.as("status"),
      sql<string | null>`null`.as("statusDetail"),
      sql<string | null>`j.id`.as("jobId"),
      sql<number | null>`j.number`.as("jobNumber"),
      "om.createdAt",
    ])
    .where("j.organizationId", "=", organizationId)
    .where((eb) =>
      jobFilter
        ? eb("j.id", "=", jobFilter.jobId).and("j.orderId", "is not", null)
        : eb("j.customerId", "=", customerId),
    );
  const cursor = input.cursor ? decodeCursor(input.cursor) : null;
  let q = db.selectFrom(stored.unionAll(portal).as("t")).selectAll();
  if (cursor) {
    q = q.where((eb) =>
      eb.or([
        eb("t.createdAt", "<", cursor.at),
        eb.and([eb("t.createdAt", "=", cursor.at), eb("t.id", "<", cursor.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy("t.createdAt", "desc")
    .orderBy("t.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > input.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Who may be texted, and on which channels a customer is notified

export interface CustomerContact {
  id: string;
  organizationId: string;
  name: string;
  email: string | null;
  phoneE164: string | null;
  notifyChannel: NotifyChannel;
  smsConsentAt: Date | null;
}

export async function customerContact(
  db: Executor,
  organizationId: string,
  customerId: string,
): Promise<CustomerContact> {
  const c = await db
    .selectFrom("customer")
    .select(["id", "organizationId", "name", "email", "phoneE164", "notifyChannel", "smsConsentAt"])
    .where("id", "=", customerId)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!c) throw notFound("Customer not found");
  return c;
}

/** Whether a number sent STOP to this shop (and not START since). */
export async function isOptedOut(db: Executor, organizationId: string, phoneE164: string): Promise<boolean> {
  const row = await db
    .selectFrom("smsOptOut")
    .select("optedOut")
    .where("organizationId", "=", organizationId)
    .where("phoneE164", "=", phoneE164)
    .executeTakeFirst();
  return row?.optedOut === true;
}

/** Records STOP (opted out) or START (back in) for a number, with the inbound text as evidence. */
export async function recordSmsKeyword(
  db: Executor,
  entry: {
    organizationId: string;
    phoneE164: string;
    optedOut: boolean;
    keyword: string;
    messageId: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto("smsOptOut")
    .values({ ...entry, changedAt: now })
    .onConflict((oc) =>
      oc.columns(["organizationId", "phoneE164"]).doUpdateSet({
        optedOut: entry.optedOut,
        keyword: entry.keyword,
        messageId: entry.messageId,
        changedAt: now,
      }),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// Sending

export interface ConversationAuthor {
  userId: string | null;
  label: string;
}

export interface SmsToCustomer {
  organizationId: string;
  customerId: string;
  jobId: string | null;
  body: string;
  author: ConversationAuthor;
  template: string;
  category: MessageCategory;
  /** A reply to a text the customer just sent (HELP, YES): STOP still applies, consent is implied. */
  isReply?: boolean;
  /** Absolute URL for Twilio's delivery reports. */
  statusCallback: string | null;
}

/**
 * The one way a text reaches a customer. Refused, with a clear message and a "blocked" row on the
 * timeline, when the number opted out or the customer never agreed to texts; refused without a row when
 * the shop has no sender or the customer no valid number. Otherwise recorded (queued), sent from the
 * shop's number or Messaging Service, and marked sent with Twilio's MessageSid.
 */
export async function sendSmsToCustomer(
  db: Executor,
  sms: SmsService,
  input: SmsToCustomer,
  now: Date,
): Promise<{ messageId: string; status: "sent" | "blocked"; reason: string | null }> {
  const customer = await customerContact(db, input.organizationId, input.customerId);
  const settings = await getSmsSettings(db, input.organizationId);
  const from = smsSenderOf(settings);
  if (!from) throw preconditionFailed("Set the shop's SMS number in Settings before texting customers");
  if (!customer.phoneE164)
    throw badRequest(`${customer.name} has no valid mobile number`, { channel: "Add the customer's number" });
  const blockedBy = (await isOptedOut(db, input.organizationId, customer.phoneE164))
    ? `${customer.phoneE164} replied STOP: no texts are sent to it until it texts START`
    : !input.isReply && customer.smsConsentAt === null
      ? `${customer.name} has not agreed to receive texts`
      : null;
  const record = {
    organizationId: input.organizationId,
    customerId: customer.id,
    jobId: input.jobId,
    channel: "sms" as const,
    direction: "out" as const,
    authorUserId: input.author.userId,
    authorLabel: input.author.label,
    counterpart: customer.phoneE164,
    body: input.body,
    provider: sms.provider,
  };
  if (blockedBy) {
    const { id } = await recordConversationMessage(
      db,
      { ...record, status: "blocked", statusDetail: blockedBy },
      now,
    );
    return { messageId: id, status: "blocked", reason: blockedBy };
  }
  const { id } = await recordConversationMessage(db, { ...record, status: "queued" }, now);
  try {
    const sent = await sms.send({
      to: customer.phoneE164,
      body: input.body,
      template: input.template,
      category: input.category,
      organizationId: input.organizationId,
      from,
      statusCallback: input.statusCallback,
    });
    await markConversationMessageSent(
      db,
      { id, provider: sms.provider, externalId: sent.providerMessageId ?? `outbox:${sent.id}` },
      now,
    );
  } catch (error) {
    await db
      .updateTable("conversationMessage")
      .set({
        status: "failed",
        statusDetail: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        updatedAt: now,
      })
      .where("id", "=", id)
      .where("status", "=", "queued")
      .execute();
    throw error;
  }
  return { messageId: id, status: "sent", reason: null };
}

export interface EmailToCustomer {
  organizationId: string;
  customerId: string;
  jobId: string | null;
  subject: string;
  body: string;
  author: ConversationAuthor;
  template: string;
  category: MessageCategory;
}

/** An email to the customer through the mail service, with the shop's contact address as reply-to. */
export async function sendEmailToCustomer(
  db: Executor,
  mail: Pick<MailService, "send" | "provider">,
  input: EmailToCustomer,
  now: Date,
): Promise<{ messageId: string }> {
  const customer = await customerContact(db, input.organizationId, input.customerId);
  if (!customer.email)
    throw badRequest(`${customer.name} has no email address`, { channel: "Add the customer's email" });
  const shop = await db
    .selectFrom("shopSettings")
    .select("contactEmail")
    .where("organizationId", "=", input.organizationId)
    .executeTakeFirst();
  const { id } = await recordConversationMessage(
    db,
    {
      organizationId: input.organizationId,
      customerId: customer.id,
      jobId: input.jobId,
      channel: "email",
      direction: "out",
      authorUserId: input.author.userId,
      authorLabel: input.author.label,
      counterpart: customer.email,
      subject: input.subject,
      body: input.body,
      status: "queued",
      provider: mail.provider,
    },
    now,
  );
  const sent = await mail.send({
    to: customer.email,
    subject: input.subject,
    text: input.body,
    template: input.template,
    category: input.category,
    organizationId: input.organizationId,
    replyTo: shop?.contactEmail ?? null,
  });
  await markConversationMessageSent(db, { id, provider: mail.provider, externalId: `mail:${sent.id}` }, now);
  return { messageId: id };
}

// ---------------------------------------------------------------------------------------------------
// Notifications to customers

/**
 * The one way automatic notifications reach a shop's customer (req. 6): `notificationChannels` decides
 * from the customer's preference and consent; the email goes through the mail service, the text through
 * `sendSmsToCustomer` (STOP honoured, recorded on the timeline). Without an SMS service (a sender that has
 * none) or when the text cannot be sent, a service notification still goes by email.
 */
export async function deliverCustomerNotification(
  db: Executor,
  services: { mail: Pick<MailService, "send">; sms?: SmsService | null },
  n: CustomerNotice,
  now: Date,
): Promise<{ email: boolean; sms: boolean }> {
  const channels = await customerChannels(
    db,
    n.organizationId,
    { customerId: n.customerId ?? null, email: n.email.to },
    n.email.category,
  );
  let texted = false;
  if (channels.sms && channels.customerId && services.sms) {
    try {
      const sent = await sendSmsToCustomer(
        db,
        services.sms,
        {
          organizationId: n.organizationId,
          customerId: channels.customerId,
          jobId: n.jobId ?? null,
          body: n.smsText,
          author: { userId: null, label: "Automatic notification" },
          template: n.email.template,
          category: n.email.category,
          statusCallback: null,
        },
        now,
      );
      texted = sent.status === "sent";
    } catch {
      texted = false;
    }
  }
  const email = channels.email || (n.email.category === "service" && !texted && n.email.to !== "");
  if (email) await services.mail.send(n.email);
  return { email, sms: texted };
}
