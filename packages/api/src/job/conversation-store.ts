import {
  type ConversationChannel,
  type ConversationDirection,
  type ConversationStatus,
  newId,
} from "@ktizo/db";
import { sql } from "kysely";
import type { Executor } from "../kernel/index.ts";

/**
 * The one place conversation messages (SMS and email with customers, issue 13) are written and their
 * delivery status moves. Senders (the SMS and email workflows, the Gmail sync) call these; the timeline
 * reads the table. Every write is scoped by organization, and by provider id where the provider has one,
 * so a repeated webhook or sync writes nothing twice.
 */

export interface NewConversationMessage {
  organizationId: string;
  customerId: string | null;
  jobId: string | null;
  channel: ConversationChannel;
  direction: ConversationDirection;
  authorUserId: string | null;
  authorLabel: string;
  counterpart: string;
  subject?: string | null;
  body: string;
  status: ConversationStatus;
  statusDetail?: string | null;
  provider: string;
  externalId?: string | null;
  threadRef?: string | null;
}

/**
 * Stores a message. With an `externalId` the insert is idempotent per provider: a second delivery of the
 * same inbound SMS or synced mail returns the first row's id and `created: false`.
 */
export async function recordConversationMessage(
  db: Executor,
  message: NewConversationMessage,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  if (message.customerId === null && message.jobId === null) {
    throw new Error("A conversation message belongs to a customer or a job");
  }
  const id = newId("msg");
  const inserted = await db
    .insertInto("conversationMessage")
    .values({
      id,
      organizationId: message.organizationId,
      customerId: message.customerId,
      jobId: message.jobId,
      channel: message.channel,
      direction: message.direction,
      authorUserId: message.authorUserId,
      authorLabel: message.authorLabel,
      counterpart: message.counterpart,
      subject: message.subject ?? null,
      body: message.body,
      status: message.status,
      statusDetail: message.statusDetail ?? null,
      provider: message.provider,
      externalId: message.externalId ?? null,
      threadRef: message.threadRef ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .onConflict((oc) =>
      oc.columns(["provider", "externalId"]).where(sql.ref("external_id"), "is not", null).doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom("conversationMessage")
    .select("id")
    .where("provider", "=", message.provider)
    .where("externalId", "=", message.externalId ?? "")
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** How far along a message is; a status callback never moves a message backwards (they arrive out of order). */
const STATUS_RANK: Record<ConversationStatus, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  undelivered: 2,
  failed: 2,
  received: 2,
  blocked: 2,
};

/**
 * Applies a provider's delivery report to the message it sent. Conditional in the database: only a
 * later status replaces an earlier one, so a late "sent" after "delivered" changes nothing.
 * Returns the message's id, or null when no message has that provider id (or the report was stale).
 */
export async function applyDeliveryStatus(
  db: Executor,
  report: { provider: string; externalId: string; status: ConversationStatus; detail?: string | null },
  now: Date,
): Promise<{ id: string; organizationId: string; jobId: string | null } | null> {
  const rank = STATUS_RANK[report.status];
  const earlier = (Object.keys(STATUS_RANK) as ConversationStatus[]).filter((s) => STATUS_RANK[s] < rank);
  if (earlier.length === 0) return null;
  const row = await db
    .updateTable("conversationMessage")
    .set({ status: report.status, statusDetail: report.detail ?? null, updatedAt: now })
    .where("provider", "=", report.provider)
    .where("externalId", "=", report.externalId)
    .where("direction", "=", "out")
    .where("status", "in", earlier)
    .returning(["id", "organizationId", "jobId"])
    .executeTakeFirst();
  return row ?? null;
}

/** Sets the provider's id on a message once the provider accepted it (queued → sent). */
export async function markConversationMessageSent(
  db: Executor,
  input: { id: string; provider: string; externalId: string; threadRef?: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable("conversationMessage")
    .set({
      provider: input.provider,
      externalId: input.externalId,
      ...(input.threadRef !== undefined ? { threadRef: input.threadRef } : {}),
      status: "sent",
      updatedAt: now,
    })
    .where("id", "=", input.id)
    .where("status", "=", "queued")
    .execute();
}
