// An order follows its job: the status the customer sees, and the order's move when the job's status changes.

import type { JobStatus, OrderStatus } from "@ktizo/db";
import type { PaymentsService } from "@ktizo/services";
import { type CustomerNotifier, type Executor, inTransaction, notFound } from "../kernel/index.ts";
import { notifyCustomer, ORDER_STATUS_LABELS, recordOrderEvent } from "./common.ts";
import { moveOrder, refundInFull } from "./order-state.ts";

/**
 * The order's status as the customer sees it: payment states come from webhooks, production states
 * follow the shop's job.
 */
export function effectiveOrderStatus(status: OrderStatus, jobStatus: JobStatus | null): OrderStatus {
  if (status !== "paid" && status !== "in_production" && status !== "shipped") return status;
  switch (jobStatus) {
    case null:
    case "quote":
    case "approved":
    case "scheduled":
    case "on_hold":
      return status === "shipped" ? "shipped" : "paid";
    case "printing":
    case "post_processing":
    case "ready":
      return "in_production";
    case "shipped":
    case "picked_up":
      return "shipped";
    case "completed":
      return "delivered";
    case "cancelled":
      return "cancelled";
  }
}

/**
 * Brings the stored order status in line with its job and tells the customer when it changed (in the
 * app and by email). Idempotent: the job domain can call it after every status change of a job.
 * With `payments`, a paid order whose job the shop cancelled is refunded in full first; if the refund
 * fails the order keeps its status (and the error is raised), so it never shows cancelled unrefunded.
 */
export async function syncOrderFromJob(
  db: Executor,
  notify: CustomerNotifier,
  orderId: string,
  now: Date,
  payments?: Pick<PaymentsService, "refund">,
  cancelledBy: "shop" | "customer" = "shop",
): Promise<OrderStatus> {
  let refundId: string | null = null;
  if (payments) {
    const paid = await db
      .selectFrom("marketplaceOrder as o")
      .innerJoin("job as j", "j.id", "o.jobId")
      .select([
        "o.id",
        "o.status",
        "o.totalMinor",
        "o.refundedMinor",
        "o.paymentIntentId",
        "o.checkoutSessionId",
        "o.connectedAccountId",
        "o.refundId",
        "j.status as jobStatus",
      ])
      .where("o.id", "=", orderId)
      .executeTakeFirst();
    if (
      paid?.jobStatus === "cancelled" &&
      (paid.status === "paid" || paid.status === "in_production") &&
      paid.refundedMinor < paid.totalMinor &&
      paid.refundId === null
    ) {
      refundId = (await refundInFull(payments, paid)).refundId;
    }
  }
  const changed = await inTransaction(db, async (trx) => {
    const o = await trx
      .selectFrom("marketplaceOrder as o")
      .leftJoin("job as j", "j.id", "o.jobId")
      .select([
        "o.id",
        "o.number",
        "o.userId",
        "o.customerEmail",
        "o.status",
        "o.trackingNumber",
        "o.capturedMinor",
        "o.refundedMinor",
        "o.refundId",
        "j.status as jobStatus",
      ])
      .where("o.id", "=", orderId)
      .forUpdate("o")
      .executeTakeFirst();
    if (!o) throw notFound("Order not found");
    const next = effectiveOrderStatus(o.status, o.jobStatus);
    if (next === o.status) return null;
    const owesRefund = o.capturedMinor > o.refundedMinor && o.refundId === null && refundId === null;
    // A paid order shows cancelled only with its refund (a caller without payments leaves it as it is).
    if (next === "cancelled" && owesRefund) return null;
    // Under the row lock, and still conditional: the state machine refuses a move it does not allow.
    const moved = await moveOrder(trx, o.id, [o.status], next, now, refundId ? { refundId } : {});
    if (!moved) return null;
    const note =
      next === "shipped" && o.trackingNumber
        ? `Tracking number ${o.trackingNumber}`
        : next === "cancelled"
          ? `Cancelled by the ${cancelledBy}${refundId ? "; your payment is refunded in full" : ""}`
          : null;
    await recordOrderEvent(trx, o.id, next, note, now);
    return { order: o, next, note };
  });
  if (changed) {
    const { order, next, note } = changed;
    await notifyCustomer(
      db,
      notify,
      order,
      ORDER_STATUS_LABELS[next],
      note ?? `Your order is now: ${ORDER_STATUS_LABELS[next].toLowerCase()}.`,
      now,
    );
    return next;
  }
  const row = await db
    .selectFrom("marketplaceOrder")
    .select("status")
    .where("id", "=", orderId)
    .executeTakeFirstOrThrow();
  return row.status;
}
