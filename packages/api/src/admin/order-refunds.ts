// The platform team's refund of an order.

import { newId, recordAudit } from "@ktizo/db";
import type { Services } from "@ktizo/services";
import { sql } from "kysely";
import { formatMoney, readMoney } from "../browser-safe/money.ts";
import {
  badRequest,
  type CustomerNotifying,
  conflict,
  DomainError,
  type Executor,
  inTransaction,
  isUniqueViolation,
  notFound,
} from "../kernel/index.ts";
import { notifyCustomer, recordOrderEvent } from "../marketplace/common.ts";
import { moveOrder, ORDER_FROM, refundPayment } from "../marketplace/order-state.ts";
import { emailShopManagers, recordNotification } from "../shop/notifications.ts";
import type { RefundOrderInput } from "./schemas.ts";

export interface RefundResult {
  refundId: string;
  amountMinor: number;
  status: "pending" | "succeeded" | "failed";
  /** The order is now refunded in full. */
  full: boolean;
  /** This request had been made before: nothing was refunded again. */
  repeated: boolean;
}

type Deps = {
  services: Pick<Services, "payments" | "mail"> & CustomerNotifying;
  actorUserId: string;
  now: Date;
};

/**
 * A full or partial refund of an order's payment, with a reason, asked by a platform admin. The
 * refund row is written first under the order's row lock (what is refundable counts refunds still
 * pending, so racing refunds never exceed what was captured), then the payment provider is asked with
 * the row's id as idempotency key (the same path as every refund: refundPayment), then the order is
 * updated once (conditional on the row still pending). The same request key answers the same refund.
 * Audited; the customer and the shop are told.
 */
export async function refundOrder(db: Executor, input: RefundOrderInput, deps: Deps): Promise<RefundResult> {
  const { now, actorUserId } = deps;
  const started = await inTransaction(db, async (trx) => {
    const o = await trx
      .selectFrom("marketplaceOrder")
      .select([
        "id",
        "organizationId",
        "currency",
        "capturedMinor",
        "refundedMinor",
        "paymentIntentId",
        "checkoutSessionId",
        "connectedAccountId",
      ])
      .where("id", "=", input.orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!o) throw notFound("No such order");
    const existing = await trx
      .selectFrom("orderRefund")
      .selectAll()
      .where("orderId", "=", o.id)
      .where("requestKey", "=", input.requestKey)
      .executeTakeFirst();
    if (existing) return { order: o, refund: existing, repeated: true };
    if (o.capturedMinor === 0 || (!o.paymentIntentId && !o.checkoutSessionId)) {
      throw conflict("This order has no payment to refund");
    }
    const pending = await trx
      .selectFrom("orderRefund")
      .select(sql<number>`coalesce(sum(amount_minor), 0)::int`.as("n"))
      .where("orderId", "=", o.id)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    const refundable = o.capturedMinor - o.refundedMinor - Number(pending.n);
    let amount = refundable;
    if (input.mode === "partial") {
      const parsed = readMoney(input.amount, o.currency);
      if (!parsed.ok) throw badRequest(parsed.error, { amount: parsed.error });
      if (parsed.minor <= 0) throw badRequest("Refund more than zero", { amount: "Refund more than zero" });
      amount = parsed.minor;
    }
    if (refundable <= 0) throw conflict("Nothing is left to refund on this order");
    if (amount > refundable) {
      const why = "That is more than is left to refund";
      throw badRequest(why, { amount: why });
    }
    const refund = await trx
      .insertInto("orderRefund")
      .values({
        id: newId("orf"),
        orderId: o.id,
        requestKey: input.requestKey,
        amountMinor: amount,
        currency: o.currency,
        reason: input.reason,
        actorUserId,
        createdAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      organizationId: o.organizationId,
      actorUserId,
      action: "admin.order.refund_requested",
      subjectType: "order",
      subjectId: o.id,
      data: { refundId: refund.id, amountMinor: amount, currency: o.currency, reason: input.reason },
    });
    return { order: o, refund, repeated: false };
  }).catch(async (e: unknown) => {
    // Two submissions of one form at once: the loser finds the winner's row.
    if (!isUniqueViolation(e, "order_refund_request_unique")) throw e;
    return null;
  });
  if (!started) return refundOrder(db, input, deps);
  const { order, refund, repeated } = started;
  if (refund.status !== "pending") {
    return {
      refundId: refund.id,
      amountMinor: refund.amountMinor,
      status: refund.status,
      full: false,
      repeated,
    };
  }

  let providerRefundId: string;
  try {
    providerRefundId = (
      await refundPayment(deps.services.payments, order, {
        idempotencyKey: `admin-refund-${refund.id}`,
        amountMinor: refund.amountMinor,
      })
    ).refundId;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await inTransaction(db, async (trx) => {
      const failed = await trx
        .updateTable("orderRefund")
        .set({ status: "failed", error: message.slice(0, 500), settledAt: now })
        .where("id", "=", refund.id)
        .where("status", "=", "pending")
        .returning("id")
        .executeTakeFirst();
      if (failed) {
        await recordAudit(trx, {
          organizationId: order.organizationId,
          actorUserId,
          action: "admin.order.refund_failed",
          subjectType: "order",
          subjectId: order.id,
          data: { refundId: refund.id, error: message.slice(0, 500) },
        });
      }
    });
    throw new DomainError("CONFLICT", `The payment provider refused the refund: ${message}`);
  }

  const settled = await inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable("orderRefund")
      .set({ status: "succeeded", providerRefundId, settledAt: now })
      .where("id", "=", refund.id)
      .where("status", "=", "pending")
      .returning("id")
      .executeTakeFirst();
    if (!row) return null;
    const o = await trx
      .updateTable("marketplaceOrder")
      .set((eb) => ({ refundedMinor: eb("refundedMinor", "+", refund.amountMinor), updatedAt: now }))
      .where("id", "=", order.id)
      .returning([
        "id",
        "number",
        "status",
        "userId",
        "customerEmail",
        "organizationId",
        "refundedMinor",
        "capturedMinor",
      ])
      .executeTakeFirstOrThrow();
    const full = o.refundedMinor >= o.capturedMinor;
    const from = ORDER_FROM.refunded.filter((s) => s === o.status);
    if (full && from.length > 0) {
      await moveOrder(trx, o.id, from, "refunded", now, { refundId: providerRefundId });
    }
    const note = `${full ? "Refunded in full" : "Partly refunded"} by the platform: ${refund.reason}`;
    await recordOrderEvent(trx, o.id, full ? "refunded" : "partially_refunded", note, now);
    await recordAudit(trx, {
      organizationId: o.organizationId,
      actorUserId,
      action: "admin.order.refunded",
      subjectType: "order",
      subjectId: o.id,
      data: {
        refundId: refund.id,
        providerRefundId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason,
        full,
      },
    });
    await recordNotification(trx, {
      organizationId: o.organizationId,
      kind: "order.refunded",
      title: `Order #${o.number}: ${full ? "refunded in full" : "partly refunded"} by Ktizo`,
      body: note,
      link: null,
    });
    return { order: o, full, note };
  });
  if (!settled) {
    const now2 = await db
      .selectFrom("orderRefund")
      .select("status")
      .where("id", "=", refund.id)
      .executeTakeFirstOrThrow();
    return {
      refundId: refund.id,
      amountMinor: refund.amountMinor,
      status: now2.status,
      full: false,
      repeated: true,
    };
  }
  const amountText = formatMoney(refund.amountMinor, refund.currency);
  await notifyCustomer(
    db,
    deps.services.customerNotifier,
    settled.order,
    settled.full ? "Payment refunded" : "Payment partly refunded",
    `${settled.full ? "Your payment is refunded in full" : "Part of your payment is refunded"}. Reason: ${refund.reason}.`,
    deps.now,
  );
  await emailShopManagers(db, deps.services.mail, [
    {
      organizationId: settled.order.organizationId,
      kind: "order.refunded",
      subject: `Order #${settled.order.number}: ${settled.full ? "refunded in full" : "partly refunded"} by Ktizo`,
      text: `The Ktizo team refunded ${amountText} of this order. Reason: ${refund.reason}.`,
    },
  ]);
  return {
    refundId: refund.id,
    amountMinor: refund.amountMinor,
    status: "succeeded",
    full: settled.full,
    repeated,
  };
}
