import type { ColumnType } from "kysely";
import type { CreatedAt } from "./foundation.ts";

type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * One workspace user's Google account (issue 13): Gmail is read and sent as that user, Drive folders of
 * jobs live in it. The refresh token only as AES-256-GCM ciphertext; the access token is never stored.
 */
export interface GoogleAccountTable {
  id: string;
  organizationId: string;
  userId: string;
  email: string;
  /** Space-separated OAuth scopes Google granted. */
  scopes: string;
  refreshTokenCiphertext: string;
  /** Gmail history cursor of the last sync; null before the first one. */
  historyId: string | null;
  lastSyncedAt: Date | null;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

/** A Gmail thread linked to a job or a customer: its new messages go into their conversation. */
export interface GmailThreadLinkTable {
  id: string;
  organizationId: string;
  accountId: string;
  threadId: string;
  jobId: string | null;
  customerId: string | null;
  subject: string | null;
  linkedByUserId: string | null;
  createdAt: CreatedAt;
}

/** The cached copy of a linked thread's message (deleted on disconnect). */
export interface GmailMessageTable {
  id: string;
  organizationId: string;
  accountId: string;
  messageId: string;
  threadId: string;
  fromHeader: string;
  toHeader: string;
  subject: string;
  body: string;
  sentAt: Date;
  createdAt: CreatedAt;
}

/** A job's folder in Google Drive ("JOB-123 · Customer"). */
export interface DriveFolderTable {
  id: string;
  organizationId: string;
  jobId: string;
  accountId: string | null;
  folderId: string;
  name: string;
  webLink: string | null;
  lastSyncedAt: Date | null;
  createdAt: CreatedAt;
}

export interface DriveFileTable {
  id: string;
  organizationId: string;
  folderId: string;
  driveFileId: string;
  name: string;
  mimeType: string;
  sizeBytes: number | null;
  origin: "ktizo" | "drive";
  jobFileId: string | null;
  webLink: string | null;
  modifiedAt: Date | null;
  createdAt: CreatedAt;
}

/**
 * A checkout of the local test-mode payments (no Stripe keys): what Stripe would keep on its side, kept
 * here so every app process sees it. `data` is the rest of the session as the stand-in shows it.
 */
export interface TestPaymentSessionTable {
  id: string;
  kind: "checkout" | "subscription";
  idempotencyKey: string;
  paymentIntentId: string | null;
  status: "open" | "complete" | "expired";
  amountTotalMinor: number;
  refundedMinor: ColumnType<number, number | undefined, number>;
  data: ColumnType<Record<string, unknown>, string, string>;
  createdAt: CreatedAt;
}

/** A refund of a test-mode payment, once per idempotency key. */
export interface TestPaymentRefundTable {
  idempotencyKey: string;
  sessionId: string;
  refundId: string;
  amountMinor: number;
}

export interface ServicesTables {
  googleAccount: GoogleAccountTable;
  gmailThreadLink: GmailThreadLinkTable;
  gmailMessage: GmailMessageTable;
  driveFolder: DriveFolderTable;
  driveFile: DriveFileTable;
  testPaymentSession: TestPaymentSessionTable;
  testPaymentRefund: TestPaymentRefundTable;
}
