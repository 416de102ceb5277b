import type { OrderStatus } from "@ktizo/db";
import { type PaymentEvent, type Services, WebhookSignatureError } from "@ktizo/services";
import { applyBillingPaymentEvent } from "../billing/payments.ts";
import { type Executor, inTransaction } from "../shop/common.ts";
import { notifyCustomer, ORDER_STATUS_LABELS, recordOrderEvent } from "./common.ts";
import { fulfilPaidOrder } from "./orders.ts";

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function orderIdOf(object: Obj): string | null {
  const metadata = (object.metadata ?? {}) as Obj;
  return str(metadata.orderId) ?? str(object.client_reference_id);
}

/**
 * Where each payment event may move an order from. Events can arrive in any order, so a status is only
 * ever moved forward: a late "failed" never undoes "paid", a late "completed" never undoes "refunded".
 */
const FROM: Record<"paid" | "payment_failed" | "refunded", readonly OrderStatus[]> = {
  paid: ["pending_payment", "payment_failed"],
  payment_failed: ["pending_payment"],
  refunded: [
    "pending_payment",
    "payment_failed",
    "paid",
    "in_production",
    "shipped",
    "delivered",
    "cancelled",
  ],
};

/**
 * Applies one verified payment event exactly once: the processed_webhook_event row is written in the
 * same transaction as the effect, so a redelivery (or a concurrent duplicate) changes nothing. After
 * commit a paid order becomes a job on the shop's board; that step is idempotent and also runs on
 * duplicates, so a failure there heals when Stripe redelivers.
 */
export async function applyPaymentEvent(
  db: Executor,
  services: Pick<Services, "mail" | "storage">,
  event: PaymentEvent,
  now: Date,
): Promise<{ outcome: WebhookOutcome; orderId: string | null }> {
  const result = await inTransaction(db, async (trx) => {
    const fresh = await trx
      .insertInto("processedWebhookEvent")
      .values({ id: event.id, type: event.type, processedAt: now })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    const object = event.data;
    if (!fresh) return { outcome: "duplicate" as const, orderId: orderIdOf(object), notify: null };
    switch (event.type) {
      case "checkout.session.completed":
      case "checkout.session.async_payment_succeeded": {
        if (event.type === "checkout.session.completed" && object.payment_status !== "paid") {
          return { outcome: "ignored" as const, orderId: orderIdOf(object), notify: null };
        }
        return transition(trx, orderIdOf(object), "paid", now, {
          paymentIntentId: str(object.payment_intent),
          sessionId: str(object.id),
          amount: typeof object.amount_total === "number" ? object.amount_total : null,
        });
      }
      case "checkout.session.async_payment_failed":
      case "checkout.session.expired":
        return transition(trx, orderIdOf(object), "payment_failed", now, {});
      case "payment_intent.payment_failed":
        return transition(trx, await orderByIntent(trx, object, str(object.id)), "payment_failed", now, {});
      case "charge.refunded": {
        const orderId = await orderByIntent(trx, object, str(object.payment_intent));
        const refunded = typeof object.amount_refunded === "number" ? object.amount_refunded : 0;
        const o = orderId
          ? await trx
              .selectFrom("marketplaceOrder")
              .select(["id", "totalMinor", "refundedMinor"])
              .where("id", "=", orderId)
              .forUpdate()
              .executeTakeFirst()
          : undefined;
        if (!o) return { outcome: "ignored" as const, orderId: null, notify: null };
        const amount = Math.max(o.refundedMinor, refunded);
        await trx
          .updateTable("marketplaceOrder")
          .set({ refundedMinor: amount, updatedAt: now })
          .where("id", "=", o.id)
          .execute();
        if (amount < o.totalMinor) {
          await recordOrderEvent(
            trx,
            o.id,
            "partially_refunded",
            `Refunded ${amount} of ${o.totalMinor} (minor units)`,
            now,
          );
          return { outcome: "applied" as const, orderId: o.id, notify: null };
        }
        return transition(trx, o.id, "refunded", now, {});
      }
      case "account.updated": {
        const account = str(object.id);
        if (account) {
          await trx
            .updateTable("shopPaymentAccount")
            .set({ chargesEnabled: object.charges_enabled === true, updatedAt: now })
            .where("stripeAccountId", "=", account)
            .execute();
        }
        return { outcome: "applied" as const, orderId: null, notify: null };
      }
      default:
        return { outcome: "ignored" as const, orderId: null, notify: null };
    }
  });
  if (result.notify) {
    const n = result.notify;
    await notifyCustomer(db, services.mail, n.order, ORDER_STATUS_LABELS[n.status], notifyText(n.status));
  }
  if (result.orderId) await fulfilPaidOrder(db, services, result.orderId, now);
  return { outcome: result.outcome, orderId: result.orderId };
}

function notifyText(status: OrderStatus): string {
  if (status === "paid") return "Thank you: your payment was received and the shop has your order.";
  if (status === "payment_failed")
    return "Your payment did not go through. You can try again from your order page.";
  if (status === "refunded") return "Your payment has been refunded.";
  return `Your order is now: ${ORDER_STATUS_LABELS[status].toLowerCase()}.`;
}

async function orderByIntent(trx: Executor, object: Obj, intentId: string | null): Promise<string | null> {
  const fromMetadata = orderIdOf(object);
  if (fromMetadata) return fromMetadata;
  if (!intentId) return null;
  const row = await trx
    .selectFrom("marketplaceOrder")
    .select("id")
    .where("paymentIntentId", "=", intentId)
    .executeTakeFirst();
  return row?.id ?? null;
}

async function transition(
  trx: Executor,
  orderId: string | null,
  to: "paid" | "payment_failed" | "refunded",
  now: Date,
  payment: { paymentIntentId?: string | null; sessionId?: string | null; amount?: number | null },
) {
  const o = orderId
    ? await trx
        .selectFrom("marketplaceOrder")
        .select(["id", "number", "userId", "customerEmail", "status", "totalMinor", "paymentIntentId"])
        .where("id", "=", orderId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!o) return { outcome: "ignored" as const, orderId: null, notify: null };
  if (payment.paymentIntentId && !o.paymentIntentId) {
    await trx
      .updateTable("marketplaceOrder")
      .set({ paymentIntentId: payment.paymentIntentId })
      .where("id", "=", o.id)
      .execute();
  }
  if (!FROM[to].includes(o.status)) return { outcome: "ignored" as const, orderId: o.id, notify: null };
  if (
    to === "paid" &&
    payment.amount !== null &&
    payment.amount !== undefined &&
    payment.amount !== o.totalMinor
  ) {
    // Never fulfil an order for a different amount than quoted; it stays unpaid for a person to look at.
    await recordOrderEvent(
      trx,
      o.id,
      "payment_mismatch",
      `Paid ${payment.amount}, expected ${o.totalMinor}`,
      now,
    );
    return { outcome: "ignored" as const, orderId: o.id, notify: null };
  }
  await trx
    .updateTable("marketplaceOrder")
    .set({ status: to, updatedAt: now, ...(to === "paid" ? { paidAt: now } : {}) })
    .where("id", "=", o.id)
    .execute();
  await recordOrderEvent(trx, o.id, to, null, now);
  return { outcome: "applied" as const, orderId: o.id, notify: { order: o, status: to as OrderStatus } };
}

/**
 * The webhook route's whole job: verify the signature on the raw body (300 s tolerance, measured with
 * the clock), then apply the event once. Anything unsigned, tampered or stale is a 400 and changes nothing.
 */
export async function handleStripeWebhook(
  db: Executor,
  services: Pick<Services, "mail" | "storage" | "payments">,
  rawBody: string | Uint8Array,
  signature: string | null,
  now: Date,
): Promise<{ status: 200 | 400; body: { received: boolean; outcome?: WebhookOutcome; error?: string } }> {
  let event: PaymentEvent;
  try {
    event = services.payments.parseWebhook(rawBody, signature);
  } catch (e) {
    if (e instanceof WebhookSignatureError)
      return { status: 400, body: { received: false, error: e.reason } };
    throw e;
  }
  // Payments of shop invoices and deposits (billing) share the endpoint; their ids tell them apart.
  const billing = await applyBillingPaymentEvent(db, event, now);
  if (billing) return { status: 200, body: { received: true, outcome: billing } };
  const { outcome } = await applyPaymentEvent(db, services, event, now);
  return { status: 200, body: { received: true, outcome } };
}
