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
  /**
   * The shop's own sender (issue 13): its E.164 number or its Messaging Service SID (MG…). Unset: the
   * platform's TWILIO_FROM.
   */
  from?: string | null;
  /** Absolute URL Twilio posts delivery reports (`MessageStatus`) to. */
  statusCallback?: string | null;
}

export interface SmsSendResult {
  /** The outbox row. */
  id: string;
  /** Twilio's MessageSid; null in the outbox stand-in. */
  providerMessageId: string | null;
}

export interface SmsService {
  /** "outbox" (local stand-in) or "twilio". */
  readonly provider: "outbox" | "twilio";
  send(message: SmsMessage): Promise<SmsSendResult>;
  /**
   * Whether a webhook request really comes from Twilio: the SDK's `validateRequest` over the exact public
   * URL it was sent to and its form parameters, with the account's auth token. The outbox stand-in has no
   * token and accepts nothing (its inbound texts are simulated past this check by the admin console).
   */
  verifyWebhook(request: { signature: string | null; url: string; params: Record<string, string> }): boolean;
}

const MESSAGING_SERVICE_SID = /^MG[0-9a-f]{32}$/i;
/** A sender is an E.164 number or a Messaging Service SID. */
export function isValidSmsSender(from: string): boolean {
  return E164.test(from) || MESSAGING_SERVICE_SID.test(from);
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
  if (message.from != null && !isValidSmsSender(message.from)) {
    throw new ServiceInputError("from", "must be an E.164 number or a Messaging Service SID (MG…)");
  }
  if (message.statusCallback != null && !/^https?:\/\//.test(message.statusCallback)) {
    throw new ServiceInputError("statusCallback", "must be an absolute http(s) URL");
  }
}
