import type { MessageCategory, NotifyChannel } from "@ktizo/db";
import { sql } from "kysely";
import type { Executor } from "../kernel/index.ts";

/** What decides a customer's channels: preference, reachability and consent. */
export interface ChannelFacts {
  email: string | null;
  phoneE164: string | null;
  notifyChannel: NotifyChannel;
  smsConsentAt: Date | null;
}

/**
 * The one rule for notification channels (req. 6). Marketing goes only on the channels the customer
 * chose ("none": not at all). Service notifications (payment, pickup, proof, order and job updates)
 * always go, on the preferred channel where the customer can be reached there (texts need a valid number
 * and recorded consent), otherwise by email.
 */
export function notificationChannels(
  customer: ChannelFacts,
  category: MessageCategory,
): { email: boolean; sms: boolean } {
  const canEmail = customer.email !== null;
  const canText = customer.phoneE164 !== null && customer.smsConsentAt !== null;
  const wants = customer.notifyChannel;
  if (wants === "none") {
    return category === "service"
      ? { email: canEmail, sms: !canEmail && canText }
      : { email: false, sms: false };
  }
  const email = canEmail && (wants === "email" || wants === "both");
  const sms = canText && (wants === "sms" || wants === "both");
  if (category === "service" && !email && !sms) return { email: canEmail, sms: !canEmail && canText };
  return { email, sms };
}

/**
 * The channels for a notification to a shop's customer found by id or email address; a sender that knows
 * no customer record emails (the address is all it has).
 */
export async function customerChannels(
  db: Executor,
  organizationId: string,
  who: { customerId?: string | null; email: string },
  category: MessageCategory,
): Promise<{ email: boolean; sms: boolean; customerId: string | null }> {
  let q = db
    .selectFrom("customer")
    .select(["id", "email", "phoneE164", "notifyChannel", "smsConsentAt"])
    .where("organizationId", "=", organizationId);
  q = who.customerId
    ? q.where("id", "=", who.customerId)
    : q.where(sql`lower(email)`, "=", who.email.toLowerCase()).orderBy("updatedAt", "desc");
  const c = await q.executeTakeFirst();
  if (!c) return { email: true, sms: false, customerId: null };
  // An empty address (a customer known by phone only) cannot be emailed.
  const email = who.email === "" ? null : who.email;
  return { ...notificationChannels({ ...c, email }, category), customerId: c.id };
}
