import { type Database, newId } from "@ktizo/db";
import {
  addressOf,
  type GmailMessageFull,
  type GoogleAccountRef,
  type GoogleService,
  replySubject,
} from "@ktizo/services";
import { z } from "zod";
import { recordConversationMessage } from "../job/conversation-store.ts";
import { type Executor, idSchema, inTransaction, notFound } from "../kernel/index.ts";
import { google } from "./google-errors.ts";

/** A Gmail thread or message id: a URL-safe token; anything else is not found. */
export const gmailIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,200}$/, "Not a Gmail id");

export const threadInput = z.object({ threadId: gmailIdSchema }).strict();
export const listThreadsInput = z
  .object({ pageToken: z.string().max(500).nullish(), query: z.string().trim().max(200).nullish() })
  .strict();
export const replyInput = z
  .object({ threadId: gmailIdSchema, text: z.string().trim().min(1, "Write a reply").max(20_000) })
  .strict();
export const linkThreadInput = z
  .object({ threadId: gmailIdSchema, jobId: idSchema.optional(), customerId: idSchema.optional() })
  .strict()
  .refine((v) => (v.jobId === undefined) !== (v.customerId === undefined), {
    message: "Link the thread to a job or to a customer",
    path: ["jobId"],
  });

export interface InboxStatus {
  provider: "google" | "local";
  connected: boolean;
  email: string | null;
  scopes: string[];
  connectedAt: Date | null;
}

export async function inboxStatus(googleService: GoogleService, ref: GoogleAccountRef): Promise<InboxStatus> {
  const status = await googleService.status(ref);
  return {
    provider: googleService.provider,
    connected: status.connected,
    email: status.email,
    scopes: status.scopes,
    connectedAt: status.connectedAt,
  };
}

async function accountOf(db: Executor, ref: GoogleAccountRef) {
  return db
    .selectFrom("googleAccount")
    .select(["id", "email", "historyId", "userId", "organizationId"])
    .where("organizationId", "=", ref.organizationId)
    .where("userId", "=", ref.userId)
    .executeTakeFirst();
}

export interface ThreadLinkView {
  jobId: string | null;
  jobNumber: number | null;
  jobTitle: string | null;
  customerId: string | null;
  customerName: string | null;
}

async function linksOf(db: Executor, accountId: string, threadIds: string[]) {
  if (threadIds.length === 0) return new Map<string, ThreadLinkView>();
  const rows = await db
    .selectFrom("gmailThreadLink as l")
    .leftJoin("job as j", "j.id", "l.jobId")
    .leftJoin("customer as c", (join) => join.onRef("c.id", "=", "l.customerId"))
    .select([
      "l.threadId",
      "l.jobId",
      "j.number as jobNumber",
      "j.title as jobTitle",
      "l.customerId",
      "c.name as customerName",
    ])
    .where("l.accountId", "=", accountId)
    .where("l.threadId", "in", threadIds)
    .execute();
  return new Map(
    rows.map((r) => [
      r.threadId,
      {
        jobId: r.jobId,
        jobNumber: r.jobNumber ?? null,
        jobTitle: r.jobTitle ?? null,
        customerId: r.customerId,
        customerName: r.customerName ?? null,
      },
    ]),
  );
}

export async function listInboxThreads(
  db: Database,
  googleService: GoogleService,
  ref: GoogleAccountRef,
  input: z.infer<typeof listThreadsInput>,
) {
  const page = await google(() =>
    googleService.listThreads(ref, {
      max: 20,
      pageToken: input.pageToken ?? null,
      query: input.query ?? null,
    }),
  );
  const account = await accountOf(db, ref);
  const links = account
    ? await linksOf(
        db,
        account.id,
        page.threads.map((t) => t.id),
      )
    : new Map();
  return {
    threads: page.threads.map((t) => ({ ...t, link: links.get(t.id) ?? null })),
    nextPageToken: page.nextPageToken,
  };
}

/** A purchase order may ride on a message as a PDF, or be its text (a PO number and amounts in the body). */
function looksLikePurchaseOrder(message: GmailMessageFull): boolean {
  return /\b(purchase[ -]order|P\.?O\.?\s*(#|no\.?|number|:)|bestellung)/i.test(
    `${message.subject}\n${message.body}`,
  );
}

export async function getInboxThread(
  db: Database,
  googleService: GoogleService,
  ref: GoogleAccountRef,
  threadId: string,
) {
  const thread = await google(() => googleService.getThread(ref, threadId));
  const account = await accountOf(db, ref);
  const link = account ? ((await linksOf(db, account.id, [threadId])).get(threadId) ?? null) : null;
  return {
    id: thread.id,
    subject: thread.messages[0]?.subject ?? "",
    link,
    messages: thread.messages.map((m) => ({
      id: m.id,
      from: m.from,
      to: m.to,
      subject: m.subject,
      date: new Date(m.date),
      body: m.body,
      fromMe: account ? addressOf(m.from) === account.email.toLowerCase() : false,
      attachments: m.attachments.map((a) => ({
        attachmentId: a.attachmentId,
        filename: a.filename,
        mimeType: a.mimeType,
        size: a.size,
        isPdf: a.mimeType === "application/pdf" || a.filename.toLowerCase().endsWith(".pdf"),
      })),
      purchaseOrder:
        m.attachments.some(
          (a) => a.mimeType === "application/pdf" || a.filename.toLowerCase().endsWith(".pdf"),
        ) || looksLikePurchaseOrder(m),
    })),
  };
}

interface LinkRow {
  id: string;
  organizationId: string;
  accountId: string;
  threadId: string;
  jobId: string | null;
  customerId: string | null;
}

/**
 * Copies a linked thread's messages into the job's (or customer's) conversation and the mail cache.
 * Idempotent per Gmail message id, so the sync, a re-sync and a reply never write a message twice.
 */
export async function recordThreadMessages(
  db: Executor,
  account: { id: string; email: string; userId: string },
  link: LinkRow,
  messages: GmailMessageFull[],
  now: Date,
): Promise<number> {
  let customerId = link.customerId;
  if (link.jobId && !customerId) {
    const job = await db
      .selectFrom("job")
      .select("customerId")
      .where("id", "=", link.jobId)
      .where("organizationId", "=", link.organizationId)
      .executeTakeFirst();
    customerId = job?.customerId ?? null;
  }
  let created = 0;
  for (const m of messages) {
    const outbound = addressOf(m.from) === account.email.toLowerCase();
    const sentAt = new Date(m.date);
    await db
      .insertInto("gmailMessage")
      .values({
        id: newId("gml"),
        organizationId: link.organizationId,
        accountId: account.id,
        messageId: m.id,
        threadId: m.threadId,
        fromHeader: m.from,
        toHeader: m.to,
        subject: m.subject,
        body: m.body.slice(0, 100_000),
        sentAt,
        createdAt: now,
      })
      .onConflict((oc) => oc.columns(["accountId", "messageId"]).doNothing())
      .execute();
    const result = await recordConversationMessage(
      db,
      {
        organizationId: link.organizationId,
        customerId,
        jobId: link.jobId,
        channel: "email",
        direction: outbound ? "out" : "in",
        authorUserId: outbound ? account.userId : null,
        authorLabel: m.from || "(unknown sender)",
        counterpart: outbound ? addressOf(m.to) : addressOf(m.from),
        subject: m.subject || null,
        body: m.body.slice(0, 100_000) || m.snippet || "(no text)",
        status: outbound ? "sent" : "received",
        provider: "gmail",
        externalId: m.id,
        threadRef: m.threadId,
      },
      Number.isNaN(sentAt.getTime()) ? now : sentAt,
    );
    if (result.created) created += 1;
  }
  return created;
}

/** Links the thread (of the member's own mailbox) to a job or customer of the shop, and copies it in. */
export async function linkThread(
  db: Database,
  googleService: GoogleService,
  ref: GoogleAccountRef,
  input: z.infer<typeof linkThreadInput>,
  now: Date,
) {
  const account = await accountOf(db, ref);
  if (!account)
    return google(() => googleService.getThread(ref, input.threadId)).then(() => ({ linked: false }));
  // The job or customer must be the shop's own: another shop's is not found.
  const [table, id] = input.jobId
    ? (["job", input.jobId] as const)
    : (["customer", input.customerId ?? ""] as const);
  const target = await db
    .selectFrom(table)
    .select("id")
    .where("id", "=", id)
    .where("organizationId", "=", ref.organizationId)
    .executeTakeFirst();
  if (!target) throw notFound(table === "job" ? "Job not found" : "Customer not found");
  // The thread must be in this member's mailbox: another member's or shop's thread is not found.
  const thread = await google(() => googleService.getThread(ref, input.threadId));
  return inTransaction(db, async (trx) => {
    const link = await trx
      .insertInto("gmailThreadLink")
      .values({
        id: newId("gtl"),
        organizationId: ref.organizationId,
        accountId: account.id,
        threadId: input.threadId,
        jobId: input.jobId ?? null,
        customerId: input.customerId ?? null,
        subject: thread.messages[0]?.subject ?? null,
        linkedByUserId: ref.userId,
        createdAt: now,
      })
      .onConflict((oc) =>
        oc.columns(["accountId", "threadId"]).doUpdateSet({
          jobId: input.jobId ?? null,
          customerId: input.customerId ?? null,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    const created = await recordThreadMessages(trx, account, link, thread.messages, now);
    return { linked: true, recorded: created };
  });
}

export async function unlinkThread(db: Database, ref: GoogleAccountRef, threadId: string) {
  const account = await accountOf(db, ref);
  const deleted = account
    ? await db
        .deleteFrom("gmailThreadLink")
        .where("accountId", "=", account.id)
        .where("threadId", "=", threadId)
        .returning("id")
        .executeTakeFirst()
    : undefined;
  if (!deleted) throw notFound("This thread is not linked");
  return { unlinked: true };
}

/** Replies on the thread as the member (to the last message's sender that is not the member). */
export async function replyToThread(
  db: Database,
  googleService: GoogleService,
  ref: GoogleAccountRef,
  input: z.infer<typeof replyInput>,
  now: Date,
) {
  const thread = await google(() => googleService.getThread(ref, input.threadId));
  const account = await accountOf(db, ref);
  if (!account) throw notFound("Not found in your Google account");
  const me = account.email.toLowerCase();
  const last = [...thread.messages].reverse().find((m) => addressOf(m.from) !== me) ?? thread.messages.at(-1);
  if (!last) throw notFound("Not found in your Google account");
  const to = addressOf(last.from) === me ? last.to : last.from;
  const sent = await google(() =>
    googleService.send(ref, {
      to,
      subject: replySubject(last.subject || thread.messages[0]?.subject || ""),
      text: input.text,
      threadId: input.threadId,
      inReplyTo: last.messageIdHeader,
      references: last.references,
    }),
  );
  const link = await db
    .selectFrom("gmailThreadLink")
    .selectAll()
    .where("accountId", "=", account.id)
    .where("threadId", "=", input.threadId)
    .executeTakeFirst();
  if (link) {
    await recordThreadMessages(
      db,
      account,
      link,
      [
        {
          id: sent.id,
          threadId: sent.threadId,
          from: account.email,
          to,
          cc: "",
          subject: replySubject(last.subject),
          date: now.toISOString(),
          messageIdHeader: null,
          references: null,
          body: input.text,
          snippet: input.text.slice(0, 100),
          attachments: [],
        },
      ],
      now,
    );
  }
  return { id: sent.id, threadId: sent.threadId };
}
