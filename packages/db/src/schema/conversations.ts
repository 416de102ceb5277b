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

/** STOP / START per shop and phone number (issue 13, req. 2). */
export interface SmsOptOutTable {
  organizationId: string;
  phoneE164: string;
  optedOut: boolean;
  keyword: string;
  /** The inbound text that carried the keyword (evidence). */
  messageId: string | null;
  changedAt: ColumnType<Date, Date | string, Date | string>;
}

/** The shop's Twilio sender: its number (inbound texts to it reach the shop), optionally a Messaging Service. */
export interface ShopSmsSettingsTable {
  organizationId: string;
  phoneE164: string;
  messagingServiceSid: string | null;
  updatedAt: ColumnType<Date, Date | string, Date | string>;
}

/** A shop's reusable message with placeholders such as {job_number} (issue 13, req. 1). */
export interface MessageTemplateTable {
  id: string;
  organizationId: string;
  name: string;
  subject: string | null;
  body: string;
  createdBy: string | null;
  createdAt: ColumnType<Date, Date | string, never>;
  updatedAt: ColumnType<Date, Date | string, Date | string>;
}

export interface ConversationTables {
  conversationMessage: ConversationMessageTable;
  smsOptOut: SmsOptOutTable;
  shopSmsSettings: ShopSmsSettingsTable;
  messageTemplate: MessageTemplateTable;
}
