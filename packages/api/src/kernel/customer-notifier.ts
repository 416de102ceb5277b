import type { MailMessage } from "@ktizo/services";
import type { Executor } from "./executor.ts";

/** An automatic notification to a shop's customer: the email as written, and the same as a short text. */
export interface CustomerNotice {
  organizationId: string;
  /** The customer when known; otherwise found by the email address in the shop's customers. */
  customerId?: string | null;
  /** The job whose conversation records the text. */
  jobId?: string | null;
  /** The email as the sender wrote it (its `category` decides with the customer's preference). */
  email: MailMessage;
  /** The same notification as a text (short; links are made absolute by the SMS service). */
  smsText: string;
}

/**
 * The one way automatic notifications reach a shop's customer (issue 13, req. 6), injected into the
 * domains below the job's conversation (marketplace, admin). Implemented in `workflows/` on top of the
 * job domain's `deliverCustomerNotification`: the customer's preference and SMS consent decide email
 * and/or text, and a service notification that cannot be texted still goes by email.
 */
export type CustomerNotifier = (
  db: Executor,
  notice: CustomerNotice,
  now: Date,
) => Promise<{ email: boolean; sms: boolean }>;

/** The services of a path that tells customers carry the notifier (built in `workflows/` from the services). */
export interface CustomerNotifying {
  customerNotifier: CustomerNotifier;
}
