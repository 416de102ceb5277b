import type { MessageCategory } from "@ktizo/db";
import { ServiceInputError } from "../errors.ts";

export interface SmsMessage {
  /** E.164: "+" then country code and number, no spaces ("+447911123456"). */
  to: string;
  body: string;
  /** A stable name of the message kind ("job-status", "order-shipped", …). */
  template: string;
  /** Service messages cannot be switched off; marketing ones honour the opt-out. */
  category: MessageCategory;
  userId?: string | null;
  organizationId?: string | null;
}

export interface SmsService {
  /** "outbox" (local stand-in) or "twilio". */
  readonly provider: "outbox" | "twilio";
  send(message: SmsMessage): Promise<{ id: string }>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Longest body we accept: 10 concatenated GSM segments. */
export const MAX_SMS_LENGTH = 1530;

/** Refuses what no provider would deliver, before anything is stored or sent. */
export function assertValidSms(message: SmsMessage): void {
  if (typeof message.to !== "string" || !E164.test(message.to)) {
    throw new ServiceInputError("to", "must be an E.164 phone number such as +447911123456 (no spaces)");
  }
  if (typeof message.body !== "string" || message.body.trim() === "") {
    throw new ServiceInputError("body", "must not be empty");
  }
  if (message.body.length > MAX_SMS_LENGTH) {
    throw new ServiceInputError("body", `must be at most ${MAX_SMS_LENGTH} characters`);
  }
}
