import type { Database } from "@ktizo/db";
import { type OutboxEntry, storeInOutbox } from "../outbox.ts";
import { assertValidSms, type SmsMessage, type SmsService } from "./types.ts";

/** The outbox's record of an SMS (how it left is added by the sender). */
export function smsEntry(message: SmsMessage): OutboxEntry {
  return {
    channel: "sms",
    category: message.category,
    template: message.template,
    recipient: message.to,
    subject: null,
    bodyText: message.body,
    userId: message.userId ?? null,
    organizationId: message.organizationId ?? null,
  };
}

/** Local stand-in: every SMS lands in the outbox table (channel "sms"), shown by the admin console. */
export function createOutboxSms(db: Database): SmsService {
  return {
    provider: "outbox",
    async send(message: SmsMessage) {
      assertValidSms(message);
      return { id: await storeInOutbox(db, smsEntry(message)), providerMessageId: null };
    },
    verifyWebhook: () => false,
  };
}
