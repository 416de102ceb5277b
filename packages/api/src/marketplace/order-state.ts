import type { OrderStatus } from "@ktizo/db";
import type { PaymentsService, Services } from "@ktizo/services";
import { ORDER_STATUSES } from "../browser-safe/order-status.ts";
import { type CustomerNotifying, inTransaction } from "../kernel/index.ts";
import { emailShopManagers, recordNotification } from "../shop/notifications.ts";
import { type Executor, notifyCustomer, recordOrderEvent } from "./common.ts";

/**
 * The order's state machine: the statuses each status may be reached from. Every change of
 * `marketplace_order.status` goes through moveOrder, a conditional update from (a subset of) these, so
 * two racing writers cannot both win: the loser gets null and answers with a clear error or a
 * compensating action (a refund, a cancelled job), never by overwriting the winner.
 * Production states follow the shop's job both ways (a job moved back from printing is "paid" again).
 */
export const ORDER_FROM: Record<OrderStatus, readonly OrderStatus[]> = {
  pending_payment: [],
  payment_failed: ["pending_payment"],
  paid: ["pending_payment", "payment_failed", "in_production", "shipped"],
  in_production: ["paid", "shipped"],
  shipped: ["paid", "in_production"],
  delivered: ["paid", "in_production", "shipped"],
  cancelled: ["pending_payment", "payment_failed", "paid", "in_production", "shipped"],
  refunded: ORDER_STATUSES.filter((s) => s !== "refunded"),
};

/** Where a payment may land: only on an order still waiting for it. */
export const PAYABLE: readonly OrderStatus[] = ["pending_payment", "payment_failed"];

/**
 * Moves the order to `to` if its status is one of `from` (each allowed by ORDER_FROM), in one
 * conditional UPDATE. Returns the row as it was before, or null when another writer moved it first.
 */
export async function moveOrder(
  trx: Executor,
  orderId: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  now: Date,
  set: { paidAt?: Date; capturedMinor?: number; refundId?: string } = {},
) {
  const allowed = from.filter((s) => ORDER_FROM[to].includes(s));
  if (allowed.length !== from.length) throw new Error(`order cannot move from ${from.join("/")} to ${to}`);
  const row = await trx
    .updateTable("marketplaceOrder")
    .set({ status: to, updatedAt: now, ...set })
    .where("id", "=", orderId)
    .where("status", "in", allowed)
    .returning(["id", "number", "userId", "customerEmail", "organizationId"])
    .executeTakeFirst();
  return row ?? null;
}

type RefundableOrder = {
  id: string;
  paymentIntentId: string | null;
  checkoutSessionId: string | null;
  connectedAccountId: string | null;
};

/**
 * The order's payment, refunded in full (the shop's transfer and the platform fee reversed with it).
 * One idempotency key per order, whoever asks: a second attempt returns the same refund.
 */
export async function refundInFull(payments: Pick<PaymentsService, "refund">, o: RefundableOrder) {
  return refundPayment(payments, o, { idempotencyKey: `cancel-${o.id}` });
}

/**
 * The one way an order's payment is refunded (in full without `amountMinor`, else that part of it),
 * under the caller's idempotency key; a destination charge takes the shop's share back and returns
 * the platform fee in proportion.
 */
export async function refundPayment(
  payments: Pick<PaymentsService, "refund">,
  o: RefundableOrder,
  options: { idempotencyKey: string; amountMinor?: number },
) {
  return payments.refund({
    ...(o.paymentIntentId
      ? { paymentIntentId: o.paymentIntentId }
      : { sessionId: o.checkoutSessionId ?? "" }),
    ...(options.amountMinor === undefined ? {} : { amountMinor: options.amountMinor }),
    // Destination charge: take the shop's share back and return the platform fee.
    reverseTransfer: o.connectedAccountId !== null,
    idempotencyKey: options.idempotencyKey,
  });
}

/**
 * The compensating action for money that reached a cancelled order (a payment that landed after, or
 * while, the customer cancelled): refunds it in full, records the refund on the order once, and tells
 * the customer and the shop. A no-op when nothing is owed, so every path may call it after its commit
 * (the webhook on each delivery, the order pages) until the refund went through.
 */
export async function settleOwedRefund(
  db: Executor,
  services: Pick<Services, "mail" | "payments"> & CustomerNotifying,
  orderId: string,
  now: Date,
): Promise<boolean> {
  const owed = await db
    .selectFrom("marketplaceOrder")
    .select(["id", "paymentIntentId", "checkoutSessionId", "connectedAccountId"])
    .where("id", "=", orderId)
    .where("status", "=", "cancelled")
    .where("capturedMinor", ">", 0)
    .where("refundId", "is", null)
    .executeTakeFirst();
  if (!owed) return false;
  const refund = await refundInFull(services.payments, owed);
  const note = "A payment arrived for this cancelled order; it is refunded in full";
  const settled = await inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable("marketplaceOrder")
      .set({ refundId: refund.refundId, updatedAt: now })
      .where("id", "=", orderId)
      .where("refundId", "is", null)
      .returning(["id", "number", "userId", "customerEmail", "organizationId"])
      .executeTakeFirst();
    if (!row) return null;
    await recordOrderEvent(trx, row.id, "refunded_payment", note, now);
    await recordNotification(trx, {
      organizationId: row.organizationId,
      kind: "order.refunded",
      title: `Order #${row.number}: late payment refunded`,
      body: `${note}. Nothing to make.`,
      link: null,
    });
    return row;
  });
  if (!settled) return false;
  await notifyCustomer(db, services.customerNotifier, settled, "Payment refunded", `${note}.`, now);
  await emailShopManagers(db, services.mail, [
    {
      organizationId: settled.organizationId,
      kind: "order.refunded",
      subject: `Order #${settled.number}: a late payment was refunded`,
      text: `${note}. The order stays cancelled; there is nothing to make.`,
    },
  ]);
  return true;
}
