/**
 * The customer notifier injected into the domains below the job's conversation (marketplace, admin):
 * every automatic notification to a shop's customer goes through the job domain's
 * `deliverCustomerNotification` (issue 13, req. 6).
 */
import type { Services } from "@ktizo/services";
import { deliverCustomerNotification } from "../job/conversation.ts";
import type { CustomerNotifier, CustomerNotifying } from "../kernel/index.ts";

/** Email and/or text by the customer's preference and consent; texts are recorded on the job's timeline. */
export function customerNotifier(services: Pick<Services, "mail" | "sms">): CustomerNotifier {
  return (db, notice, now) => deliverCustomerNotification(db, services, notice, now);
}

/** The services with their customer notifier, for the order paths that tell the customer. */
export function notifying<S extends Pick<Services, "mail" | "sms">>(services: S): S & CustomerNotifying {
  return { ...services, customerNotifier: customerNotifier(services) };
}
