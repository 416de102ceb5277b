import type { MessageCategory } from "@ktizo/db";

/** A file sent with an email (an invoice's PDF). */
export interface MailAttachment {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A stable name of the message kind ("verify-email", "password-reset", "invitation", …). */
  template: string;
  /** Service messages cannot be switched off; marketing ones honour the opt-out. */
  category: MessageCategory;
  userId?: string | null;
  organizationId?: string | null;
  /** Sent with the message and kept in the outbox. */
  attachments?: MailAttachment[];
  /** Where the customer's reply goes (a shop's contact address); the sender stays MAIL_FROM. */
  replyTo?: string | null;
}

export interface MailService {
  /** "outbox" (local stand-in) or "smtp". */
  readonly provider: string;
  send(message: MailMessage): Promise<{ id: string }>;
}
