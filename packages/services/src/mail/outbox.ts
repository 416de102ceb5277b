import type { Database } from "@ktizo/db";
import { type OutboxEntry, storeInOutbox } from "../outbox.ts";
import type { MailAttachment, MailMessage, MailService } from "./types.ts";

/** The outbox's record of a message's attachments (null without any). */
export function outboxAttachments(attachments: MailAttachment[] | undefined): string | null {
  if (!attachments?.length) return null;
  return JSON.stringify(
    attachments.map((a) => ({
      fileName: a.fileName,
      contentType: a.contentType,
      sizeBytes: a.content.byteLength,
      contentBase64: Buffer.from(a.content).toString("base64"),
    })),
  );
}

/** The outbox's record of an email (how it left is added by the sender). */
export function mailEntry(message: MailMessage): OutboxEntry {
  return {
    channel: "email",
    category: message.category,
    template: message.template,
    recipient: message.to.toLowerCase(),
    subject: message.subject,
    bodyText: message.text,
    bodyHtml: message.html ?? null,
    userId: message.userId ?? null,
    organizationId: message.organizationId ?? null,
    attachments: outboxAttachments(message.attachments),
  };
}

/** Local stand-in: every email lands in the outbox table, shown by the admin console and read by tests. */
export function createOutboxMail(db: Database): MailService {
  return {
    provider: "outbox",
    async send(message: MailMessage) {
      return { id: await storeInOutbox(db, mailEntry(message)) };
    },
  };
}
