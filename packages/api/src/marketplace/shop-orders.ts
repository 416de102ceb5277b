// The orders a shop fulfils, as the shop sees them: one and the list.

import type { OrderAddress, OrderStatus } from "@ktizo/db";
import { z } from "zod";
import { type Executor, notFound } from "../kernel/index.ts";
import { type OrderLineView, orderLines } from "./customer-orders.ts";

export const shopOrderInput = z.object({ orderId: z.string().min(1).max(100) });

/**
 * What the shop sees of its own order: an explicit allow-list (no customer account id, no payment ids,
 * nothing about the customer's other orders). P9.
 */
export interface ShopOrderView {
  id: string;
  number: number;
  status: OrderStatus;
  jobId: string | null;
  currency: string;
  totalMinor: number;
  shippingMinor: number;
  /** What the platform keeps of the total (fixed at checkout) and the rate, in basis points. */
  platformFeeMinor: number;
  platformFeeBps: number;
  /** The shop's share: the total less the platform fee. */
  shopShareMinor: number;
  /**
   * What goes back to the customer: a paid order cancelled is refunded in full at once; the amount is
   * the one Stripe confirmed once its refund event arrived (`refundConfirmed`), else what was captured.
   */
  refundMinor: number;
  refundConfirmed: boolean;
  customerName: string;
  customerEmail: string;
  shippingAddress: OrderAddress;
  shippingOption: { name: string; priceMinor: number; days: number | null };
  trackingNumber: string | null;
  lines: OrderLineView[];
  createdAt: Date;
  paidAt: Date | null;
}

export async function getShopOrder(
  db: Executor,
  organizationId: string,
  orderId: string,
): Promise<ShopOrderView> {
  const o = await db
    .selectFrom("marketplaceOrder")
    .select([
      "id",
      "number",
      "status",
      "jobId",
      "currency",
      "totalMinor",
      "shippingMinor",
      "platformFeeMinor",
      "platformFeeBps",
      "refundedMinor",
      "refundId",
      "capturedMinor",
      "customerName",
      "customerEmail",
      "shippingAddress",
      "shippingOption",
      "trackingNumber",
      "createdAt",
      "paidAt",
    ])
    .where("id", "=", orderId)
    .where("organizationId", "=", organizationId)
    // Unpaid orders are not the shop's business yet.
    .where("status", "not in", ["pending_payment", "payment_failed"])
    .executeTakeFirst();
  if (!o) throw notFound("Order not found");
  const { refundedMinor, refundId, capturedMinor, ...view } = o;
  return {
    ...view,
    shopShareMinor: o.totalMinor - o.platformFeeMinor,
    refundMinor: refundedMinor > 0 ? refundedMinor : refundId ? capturedMinor : 0,
    refundConfirmed: refundedMinor > 0,
    lines: await orderLines(db, orderId),
  };
}

export async function listShopOrders(db: Executor, organizationId: string) {
  return db
    .selectFrom("marketplaceOrder as o")
    .select([
      "o.id",
      "o.number",
      "o.status",
      "o.jobId",
      "o.currency",
      "o.totalMinor",
      "o.customerName",
      "o.createdAt",
    ])
    .select((eb) =>
      eb
        .selectFrom("orderMessage as m")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("m.orderId", "=", "o.id")
        .where("m.authorSide", "=", "customer")
        .where("m.readAt", "is", null)
        .as("unreadMessages"),
    )
    .where("o.organizationId", "=", organizationId)
    .where("o.status", "not in", ["pending_payment", "payment_failed"])
    .orderBy("o.createdAt", "desc")
    .limit(200)
    .execute();
}
