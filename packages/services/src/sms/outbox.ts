import type { Database } from "@ktizo/db";
import { assertValidSms, type SmsMessage, type SmsService } from "./types.ts";

/** Local stand-in: every SMS lands in the outbox table (channel "sms"), shown by the admin console. */
export function createOutboxSms(db: Database): SmsService {
  return {
    provider: "outbox",
    async send(message: SmsMessage) {
      assertValidSms(message);
      const row = await db
        .insertInto("outboxMessage")
        .values({
          channel: "sms",
          category: message.category,
          template: message.template,
          recipient: message.to,
          subject: null,
          bodyText: message.body,
          provider: "outbox",
          status: "stored",
          userId: message.userId ?? null,
          organizationId: message.organizationId ?? null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id: row.id, providerMessageId: null };
    },
    verifyWebhook: () => false,
  };
}
