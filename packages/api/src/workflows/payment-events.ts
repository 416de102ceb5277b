import { newId, type OrderStatus, type PaymentMismatchReason } from "@ktizo/db";
import { type PaymentEvent, type Services, WebhookSignatureError } from "@ktizo/services";
import { sql } from "kysely";
import { logWebhookOutcome, logWebhookReceived } from "../admin/webhook-log.ts";
import { applyBillingPaymentEvent } from "../billing/payments.ts";
import { issueOrderReceipt } from "../billing/receipts.ts";
import { type Executor, inTransaction } from "../kernel/index.ts";
import { notifyCustomer, ORDER_STATUS_LABELS, recordOrderEvent } from "../marketplace/common.ts";
import { moveOrder, ORDER_FROM, PAYABLE, settleOwedRefund } from "../marketplace/order-state.ts";
import { emailShopManagers, type PendingEmail, recordNotification } from "../shop/notifications.ts";
import { applyPlanEvent } from "../shop/plans.ts";
import { customerNotifier, notifying } from "./customer-notifier.ts";
import { fulfilPaidOrder } from "./order-fulfilment.ts";

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * Brings an order's refunded total up to what Stripe says was refunded of its charge (`amount_refunded`,
 * cumulative), and writes what is new as a succeeded `order_refund` row (keyed by the event), so every
 * refund (the console's, a shop's cancellation, one made in Stripe's dashboard) is counted once with its
 * day. A console refund Stripe made but the console has not settled yet is still pending: it is left
 * to the console, which adds it when it settles. Answers the order's refunded total.
 */
async function recordProviderRefund(
  trx: Executor,
  event: PaymentEvent,
  o: { id: string; refundedMinor: number; currency: string },
  refundedAtProvider: number,
  now: Date,
): Promise<number> {
  const pending = await trx
    .selectFrom("orderRefund")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amountMinor"), eb.lit(0)).as("n"))
    .where("orderId", "=", o.id)
    .where("status", "=", "pending")
    .executeTakeFirstOrThrow();
  const added = refundedAtProvider - Number(pending.n) - o.refundedMinor;
  if (added <= 0) return o.refundedMinor;
  await trx
    .insertInto("orderRefund")
    .values({
      id: newId("orf"),
      orderId: o.id,
      requestKey: `stripe:${event.id}`,
      amountMinor: added,
      currency: o.currency,
      reason: "Refunded outside the console (the shop's cancellation or Stripe)",
      status: "succeeded",
      actorUserId: null,
      createdAt: now,
      settledAt: now,
    })
    .execute();
  const refunded = o.refundedMinor + added;
  await trx
    .updateTable("marketplaceOrder")
    .set({ refundedMinor: refunded, updatedAt: now })
    .where("id", "=", o.id)
    .execute();
  return refunded;
}

function orderIdOf(object: Obj): string | null {
  const metadata = (object.metadata ?? {}) as Obj;
  return str(metadata.orderId) ?? str(object.client_reference_id);
}

/**
 * Applies one verified payment event exactly once: the processed_webhook_event row is written in the
 * same transaction as the effect, so a redelivery (or a concurrent duplicate) changes nothing. After
 * commit a paid order becomes a job on the shop's board; that step is idempotent and also runs on
 * duplicates, so a failure there heals when Stripe redelivers.
 */
export async function applyPaymentEvent(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "storage" | "payments">,
  event: PaymentEvent,
  now: Date,
): Promise<{ outcome: WebhookOutcome; orderId: string | null }> {
  // Service emails of a shop's plan (a failed payment), sent after commit.
  let planEmails: PendingEmail[] = [];
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
        // A shop's plan checkout: its subscription events carry the plan.
        if (object.mode === "subscription")
          return { outcome: "ignored" as const, orderId: null, notify: null };
        if (event.type === "checkout.session.completed" && object.payment_status !== "paid") {
          return { outcome: "ignored" as const, orderId: orderIdOf(object), notify: null };
        }
        return applyPayment(trx, event, now);
      }
      case "checkout.session.async_payment_failed":
      case "checkout.session.expired":
        return transition(trx, orderIdOf(object), "payment_failed", now);
      case "payment_intent.payment_failed":
        return transition(trx, await orderByIntent(trx, object, str(object.id)), "payment_failed", now);
      case "charge.refunded": {
        const orderId = await orderByIntent(trx, object, str(object.payment_intent));
        const o = orderId
          ? await trx
              .selectFrom("marketplaceOrder")
              .select(["id", "totalMinor", "refundedMinor", "currency"])
              .where("id", "=", orderId)
              .forUpdate()
              .executeTakeFirst()
          : undefined;
        if (!o) return { outcome: "ignored" as const, orderId: null, notify: null };
        const money = moneyOf(object, "amount_refunded");
        // A refund is checked like a payment: its currency is the order's, and it says how much.
        const mismatch = mismatchOf(o, money, (amount) => amount <= o.totalMinor);
        if (mismatch || money.amount === null) {
          await recordMismatch(trx, event, o, mismatch ?? "missing_amount", money, now);
          return { outcome: "ignored" as const, orderId: o.id, notify: null };
        }
        const amount = await recordProviderRefund(trx, event, o, money.amount, now);
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
        return transition(trx, o.id, "refunded", now);
      }
      case "charge.dispute.created":
      case "charge.dispute.updated":
      case "charge.dispute.closed":
      case "charge.dispute.funds_withdrawn":
      case "charge.dispute.funds_reinstated":
        return applyDispute(trx, event, await orderByIntent(trx, object, str(object.payment_intent)), now);
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
      case "customer.subscription.created":
      case "customer.subscription.updated":
      case "customer.subscription.deleted":
      case "invoice.paid":
      case "invoice.payment_failed": {
        // A shop's plan billed by the platform (issue 16, req. 9).
        const applied = await applyPlanEvent(trx, event, now);
        planEmails = applied.emails;
        return { outcome: applied.outcome, orderId: null, notify: null };
      }
      default:
        return { outcome: "ignored" as const, orderId: null, notify: null };
    }
  });
  if (planEmails.length > 0) await emailShopManagers(db, services.mail, planEmails);
  if (result.notify) {
    const n = result.notify;
    await notifyCustomer(
      db,
      customerNotifier(services),
      n.order,
      ORDER_STATUS_LABELS[n.status],
      notifyText(n.status),
      now,
    );
  }
  if (result.orderId) {
    // Both idempotent, and also run on redeliveries: a failure here heals when Stripe sends it again.
    await settleOwedRefund(db, notifying(services), result.orderId, now);
    await fulfilPaidOrder(db, services, result.orderId, now);
    // The paid order's invoice (a receipt): made once, for the order's job.
    await issueOrderReceipt(db, result.orderId, now);
  }
  return { outcome: result.outcome, orderId: result.orderId };
}

/**
 * A Stripe dispute, kept as its latest event says (status, evidence deadline): the admin console lists
 * it on the order. Its opening and closing go on the order's timeline and the shop is told.
 */
async function applyDispute(trx: Executor, event: PaymentEvent, orderId: string | null, now: Date) {
  const object = event.data;
  const id = str(object.id);
  if (!id) return { outcome: "ignored" as const, orderId, notify: null };
  const money = moneyOf(object, "amount");
  const evidence = (object.evidence_details ?? {}) as Obj;
  const due = typeof evidence.due_by === "number" ? new Date(evidence.due_by * 1000) : null;
  const values = {
    orderId,
    chargeId: str(object.charge),
    paymentIntentId: str(object.payment_intent),
    amountMinor: money.amount ?? 0,
    currency: money.currency ?? "",
    reason: str(object.reason) ?? "general",
    status: str(object.status) ?? "needs_response",
    evidenceDueAt: due,
    lastEventType: event.type,
    updatedAt: now,
  };
  const row = await trx
    .insertInto("paymentDispute")
    .values({ id, ...values, createdAt: now })
    // A later event without the order's metadata keeps the order found before.
    .onConflict((oc) =>
      oc
        .column("id")
        .doUpdateSet({ ...values, orderId: sql`coalesce(excluded.order_id, payment_dispute.order_id)` }),
    )
    .returning(sql<boolean>`(xmax = 0)`.as("inserted"))
    .executeTakeFirstOrThrow();
  if (orderId && (row.inserted || event.type === "charge.dispute.closed")) {
    const order = await trx
      .selectFrom("marketplaceOrder")
      .select(["id", "number", "organizationId"])
      .where("id", "=", orderId)
      .executeTakeFirst();
    if (order) {
      const opened = row.inserted && event.type !== "charge.dispute.closed";
      await recordOrderEvent(
        trx,
        order.id,
        opened ? "disputed" : "dispute_closed",
        `Dispute ${id}: ${values.reason}, ${values.status}`,
        now,
      );
      await recordNotification(trx, {
        organizationId: order.organizationId,
        kind: "order.disputed",
        title: `Order #${order.number}: ${opened ? "the customer disputed the payment" : `dispute ${values.status}`}`,
        body: opened
          ? `Reason: ${values.reason}. The Ktizo team answers the card network; reply to its questions.`
          : `The dispute is closed: ${values.status}.`,
        link: null,
      });
    }
  }
  return { outcome: "applied" as const, orderId: null, notify: null };
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

const FROM_EVENT: Record<"payment_failed" | "refunded", readonly OrderStatus[]> = {
  // A late failure never undoes a payment; a late "completed" never undoes a refund (PAYABLE).
  payment_failed: ["pending_payment"],
  refunded: ORDER_FROM.refunded,
};

async function transition(
  trx: Executor,
  orderId: string | null,
  to: "payment_failed" | "refunded",
  now: Date,
) {
  if (!orderId) return { outcome: "ignored" as const, orderId: null, notify: null };
  const moved = await moveOrder(trx, orderId, FROM_EVENT[to], to, now);
  if (!moved) return { outcome: "ignored" as const, orderId, notify: null };
  await recordOrderEvent(trx, moved.id, to, null, now);
  return {
    outcome: "applied" as const,
    orderId: moved.id,
    notify: { order: moved, status: to as OrderStatus },
  };
}

type Money = { amount: number | null; currency: string | null };

function moneyOf(object: Obj, amountField: string): Money {
  const amount = object[amountField];
  return {
    amount: typeof amount === "number" && Number.isSafeInteger(amount) && amount >= 0 ? amount : null,
    currency: str(object.currency)?.toLowerCase() ?? null,
  };
}

/** Why an event's money does not match the order (missing counts as not matching), or null. */
function mismatchOf(
  o: { totalMinor: number; currency: string },
  money: Money,
  amountFits = (amount: number) => amount === o.totalMinor,
): PaymentMismatchReason | null {
  if (money.currency === null) return "missing_currency";
  if (money.currency !== o.currency.toLowerCase()) return "currency";
  if (money.amount === null) return "missing_amount";
  if (!amountFits(money.amount)) return "amount";
  return null;
}

/** Keeps a refused event for the admin console (and on the order's timeline for its parties). */
async function recordMismatch(
  trx: Executor,
  event: PaymentEvent,
  o: { id: string; totalMinor: number; currency: string },
  reason: PaymentMismatchReason,
  money: Money,
  now: Date,
) {
  await trx
    .insertInto("paymentMismatch")
    .values({
      id: newId("pmm"),
      eventId: event.id,
      eventType: event.type,
      orderId: o.id,
      reason,
      expectedMinor: o.totalMinor,
      expectedCurrency: o.currency.toLowerCase(),
      receivedMinor: money.amount,
      receivedCurrency: money.currency,
      createdAt: now,
    })
    .execute();
  const got = `${money.amount ?? "no amount"} ${money.currency ?? "no currency"}`;
  await recordOrderEvent(
    trx,
    o.id,
    "payment_mismatch",
    `Payment event not applied: ${got}, expected ${o.totalMinor} ${o.currency.toLowerCase()}`,
    now,
  );
}

/**
 * A completed payment. It is applied only when its amount and currency are the order's (a person looks
 * at anything else: payment_mismatch). Money that lands on a cancelled order (the customer cancelled while
 * paying) is owed back: marked here under the row lock, refunded by settleOwedRefund after commit.
 */
async function applyPayment(trx: Executor, event: PaymentEvent, now: Date) {
  const object = event.data;
  const orderId = orderIdOf(object);
  const o = orderId
    ? await trx
        .selectFrom("marketplaceOrder")
        .select(["id", "status", "totalMinor", "currency", "paymentIntentId", "capturedMinor"])
        .where("id", "=", orderId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!o) return { outcome: "ignored" as const, orderId: null, notify: null };
  const paymentIntentId = str(object.payment_intent);
  if (paymentIntentId && !o.paymentIntentId) {
    await trx.updateTable("marketplaceOrder").set({ paymentIntentId }).where("id", "=", o.id).execute();
  }
  const money = moneyOf(object, "amount_total");
  const mismatch = mismatchOf(o, money);
  if (mismatch) await recordMismatch(trx, event, o, mismatch, money, now);
  if (o.status === "cancelled") {
    if (o.capturedMinor === 0) {
      await trx
        .updateTable("marketplaceOrder")
        .set({ capturedMinor: money.amount || o.totalMinor, updatedAt: now })
        .where("id", "=", o.id)
        .execute();
    }
    return { outcome: "applied" as const, orderId: o.id, notify: null };
  }
  if (mismatch) return { outcome: "ignored" as const, orderId: o.id, notify: null };
  const moved = await moveOrder(trx, o.id, PAYABLE, "paid", now, {
    paidAt: now,
    capturedMinor: o.totalMinor,
  });
  if (!moved) return { outcome: "ignored" as const, orderId: o.id, notify: null };
  await recordOrderEvent(trx, o.id, "paid", null, now);
  return {
    outcome: "applied" as const,
    orderId: o.id,
    notify: { order: moved, status: "paid" as OrderStatus },
  };
}

/**
 * Applies one verified Stripe event: payments of shop invoices and deposits (billing) share the
 * endpoint and their ids tell them apart; everything else is the marketplace's. Used by the webhook
 * route and by the admin console's replay of a failed event (applied once either way).
 */
export async function applyStripeEvent(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "storage" | "payments">,
  event: PaymentEvent,
  now: Date,
): Promise<WebhookOutcome> {
  const billing = await applyBillingPaymentEvent(db, event, now);
  if (billing) return billing;
  return (await applyPaymentEvent(db, services, event, now)).outcome;
}

/**
 * The webhook route's whole job: verify the signature on the raw body (300 s tolerance, measured with
 * the clock), then apply the event once. Anything unsigned, tampered or stale is a 400 and changes nothing.
 * Every request is logged for the admin console (signature result, outcome, error); an event whose effect
 * failed is logged "failed" and answered 500, so Stripe redelivers it and an admin can replay it.
 */
export async function handleStripeWebhook(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "storage" | "payments">,
  rawBody: string | Uint8Array,
  signature: string | null,
  now: Date,
): Promise<{ status: 200 | 400; body: { received: boolean; outcome?: WebhookOutcome; error?: string } }> {
  let event: PaymentEvent;
  try {
    event = services.payments.parseWebhook(rawBody, signature);
  } catch (e) {
    if (e instanceof WebhookSignatureError) {
      await logWebhookReceived(db, { provider: "stripe", signature: "invalid", error: e.reason, now });
      return { status: 400, body: { received: false, error: e.reason } };
    }
    throw e;
  }
  const logId = await logWebhookReceived(db, {
    provider: "stripe",
    signature: "valid",
    eventId: event.id,
    eventType: event.type,
    event,
    now,
  });
  let outcome: WebhookOutcome;
  try {
    outcome = await applyStripeEvent(db, services, event, now);
  } catch (e) {
    await logWebhookOutcome(db, logId, "failed", e, now);
    throw e;
  }
  await logWebhookOutcome(db, logId, outcome, null, now);
  return { status: 200, body: { received: true, outcome } };
}
