import type { ColumnType } from "kysely";
import type { CreatedAt } from "./foundation.ts";

type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

export type ConversationChannel = "email" | "sms";
export type ConversationDirection = "in" | "out";
/**
 * queued → sent → delivered (or failed / undelivered) for outgoing messages; received for incoming ones;
 * blocked: not sent because the customer opted out or never agreed to that channel.
 */
export type ConversationStatus =
  | "queued"
  | "sent"
  | "delivered"
  | "failed"
  | "undelivered"
  | "received"
  | "blocked";

/** One SMS or email between a shop and its customer, on a job's and the customer's timeline (issue 13). */
export interface ConversationMessageTable {
  id: string;
  organizationId: string;
  customerId: string | null;
  jobId: string | null;
  channel: ConversationChannel;
  direction: ConversationDirection;
  authorUserId: string | null;
  authorLabel: string;
  counterpart: string;
  subject: string | null;
  body: string;
  status: ConversationStatus;
  statusDetail: string | null;
  provider: string;
  externalId: string | null;
  threadRef: string | null;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface ConversationTables {
  conversationMessage: ConversationMessageTable;
}
