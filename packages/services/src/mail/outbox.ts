import type { Database } from "@ktizo/db";
import type { MailMessage, MailService } from "./types.ts";

/** Local stand-in: every email lands in the outbox table, shown by the admin console and read by tests. */
export function createOutboxMail(db: Database): MailService {
  return {
    provider: "outbox",
    async send(message: MailMessage) {
      const row = await db
        .insertInto("outboxMessage")
        .values({
          channel: "email",
          category: message.category,
          template: message.template,
          recipient: message.to.toLowerCase(),
          subject: message.subject,
          bodyText: message.text,
          bodyHtml: message.html ?? null,
          provider: "outbox",
          status: "stored",
          userId: message.userId ?? null,
          organizationId: message.organizationId ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id: row.id };
    },
  };
}
