import { isTestModePayments, type Services } from "@ktizo/services";
import type { Executor } from "../kernel/index.ts";
import { notFound } from "../kernel/index.ts";
import { handleStripeWebhook } from "./payment-events.ts";

/**
 * Test mode only, the one simulated payment (the signed-in buyer's test checkout page and a guest's
 * widget order page): completes the open session, which yields the same signed
 * `checkout.session.completed` event Stripe would send, and hands it to the webhook handler, so the
 * order is paid and fulfilled by the real code path. A session that is no longer open (paid, or expired
 * because the order was cancelled) is left as it is. The caller checks the buyer may see the order.
 */
export async function completeTestPayment(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "storage" | "payments">,
  sessionId: string,
  now: Date,
): Promise<{ orderId: string; status: "open" | "complete" | "expired" }> {
  const payments = services.payments;
  if (!isTestModePayments(payments)) throw notFound("Not found");
  const session = await payments.getTestSession(sessionId);
  if (!session) throw notFound("There is no such test payment. Order again.");
  if (session.status !== "open") return { orderId: session.orderId, status: session.status };
  const signed = await payments.completeCheckout(sessionId);
  const result = await handleStripeWebhook(db, services, signed.payload, signed.signature, now);
  if (result.status !== 200) throw new Error(`The simulated payment was refused: ${result.body.error}`);
  return { orderId: session.orderId, status: "complete" };
}
