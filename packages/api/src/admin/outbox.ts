import type { MessageCategory, OutboxChannel } from "@ktizo/db";
import { sql } from "kysely";
import { type Executor, likePattern, notFound, type Page, pageRows, toPage } from "../kernel/index.ts";
import type { ListOutboxInput } from "./schemas.ts";

export interface OutboxMessageSummary {
  id: string;
  channel: OutboxChannel;
  category: MessageCategory;
  template: string;
  recipient: string;
  subject: string | null;
  status: "stored" | "sent" | "failed";
  provider: string;
  createdAt: Date;
}

export interface OutboxMessageView extends OutboxMessageSummary {
  bodyText: string;
  bodyHtml: string | null;
  providerMessageId: string | null;
  error: string | null;
  userId: string | null;
  organizationId: string | null;
}

const SUMMARY = [
  "id",
  "channel",
  "category",
  "template",
  "recipient",
  "subject",
  "status",
  "provider",
  "createdAt",
] as const;

/** The mail and SMS outbox, newest first: what the platform sent (or, locally, would have sent). */
export async function listOutbox(db: Executor, input: ListOutboxInput): Promise<Page<OutboxMessageSummary>> {
  let base = db.selectFrom("outboxMessage");
  if (input.channel) base = base.where("channel", "=", input.channel);
  if (input.recipient) base = base.where("recipient", "ilike", likePattern(input.recipient));
  const [rows, total] = await pageRows(
    base.select(SUMMARY).orderBy("createdAt", "desc").orderBy("id", "desc"),
    base.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(rows, total, input);
}

/** One message with its body. */
export async function getOutboxMessage(db: Executor, id: string): Promise<OutboxMessageView> {
  const row = await db
    .selectFrom("outboxMessage")
    .select([...SUMMARY, "bodyText", "bodyHtml", "providerMessageId", "error", "userId", "organizationId"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("Message not found");
  return row;
}
