import type { JobFileKind, JobStatus, OrderAddress, OrderStatus } from "@ktizo/db";
import type { ModelScale } from "@ktizo/quote";
import { type PaymentsService, ProviderError, type Services } from "@ktizo/services";
import { z } from "zod";
import {
  type CustomerNotifier,
  type CustomerNotifying,
  type Executor,
  inTransaction,
  notFound,
} from "../kernel/index.ts";
import {
  type Customer,
  notifyCustomer,
  ORDER_STATUS_LABELS,
  orderEventLabel,
  recordOrderEvent,
} from "./common.ts";
import { moveOrder, PAYABLE, refundInFull, settleOwedRefund } from "./order-state.ts";

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

export interface OrderTimelineEntry {
  status: string;
  label: string;
  note: string | null;
  at: Date;
}

export interface CustomerOrderView {
  id: string;
  number: number;
  status: OrderStatus;
  statusLabel: string;
  shop: { name: string; slug: string };
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  refundedMinor: number;
  shippingOption: { name: string; priceMinor: number; days: number | null };
  shippingAddress: OrderAddress;
  trackingNumber: string | null;
  paidAt: Date | null;
  createdAt: Date;
  lines: OrderLineView[];
  timeline: OrderTimelineEntry[];
  unreadMessages: number;
  canCancel: boolean;
  canConfirmDelivery: boolean;
  canReview: boolean;
  review: { rating: number; body: string } | null;
  /** Files and photos of the order's job that the shop shared with the customer. */
  sharedFiles: {
    id: string;
    kind: JobFileKind;
    fileName: string;
    contentType: string;
    sizeBytes: number;
    createdAt: Date;
  }[];
}

/** An order's lines with the unit and scale each model is made at (null: as its file says). */
async function orderLines(db: Executor, orderId: string): Promise<OrderLineView[]> {
  const rows = await db
    .selectFrom("orderLine")
    .select(["description", "quantity", "totalMinor", "color", "scaleUnit", "scalePercent"])
    .where("orderId", "=", orderId)
    .orderBy("position")
    .execute();
  return rows.map(({ scaleUnit, scalePercent, ...l }) => ({
    ...l,
    scale: scaleUnit === "mm" && scalePercent === 100 ? null : { unit: scaleUnit, percent: scalePercent },
  }));
}

export interface OrderLineView {
  description: string;
  quantity: number;
  totalMinor: number;
  color: string | null;
  scale: ModelScale | null;
}

async function timeline(db: Executor, orderId: string): Promise<OrderTimelineEntry[]> {
  const rows = await db
    .selectFrom("orderEvent")
    .select(["status", "note", "createdAt"])
    .where("orderId", "=", orderId)
    .orderBy("createdAt")
    .orderBy("seq")
    .execute();
  return rows.map((r) => ({
    status: r.status,
    label: orderEventLabel(r.status),
    note: r.note,
    at: r.createdAt,
  }));
}

/** Job statuses before production: a paid order whose job is in one of them can still be cancelled. */
export const CANCELLABLE_JOB: readonly (JobStatus | null)[] = [null, "quote", "approved"];

/** One of the customer's own orders (NOT_FOUND for anyone else's). */
export async function getMyOrder(
  db: Executor,
  services: Pick<Services, "mail" | "payments"> & CustomerNotifying,
  customer: Customer,
  orderId: string,
  now: Date,
): Promise<CustomerOrderView> {
  const owned = await db
    .selectFrom("marketplaceOrder")
    .select("id")
    .where("id", "=", orderId)
    .where("userId", "=", customer.userId)
    .executeTakeFirst();
  if (!owned) throw notFound("Order not found");
  try {
    await syncOrderFromJob(db, services.customerNotifier, orderId, now, services.payments);
    await settleOwedRefund(db, services, orderId, now);
  } catch (e) {
    // The shop cancelled the job (or a payment reached a cancelled order) but Stripe refused the refund:
    // the order stays as it was and the refund is tried again next time; the customer still sees it.
    if (!(e instanceof ProviderError)) throw e;
  }
  const o = await db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("organization as g", "g.id", "o.organizationId")
    .leftJoin("job as j", "j.id", "o.jobId")
    .leftJoin("shopReview as r", "r.orderId", "o.id")
    .selectAll("o")
    .select([
      "g.name as shopName",
      "g.slug as shopSlug",
      "j.status as jobStatus",
      "r.rating",
      "r.body as reviewBody",
    ])
    .where("o.id", "=", orderId)
    .executeTakeFirstOrThrow();
  const unread = await db
    .selectFrom("orderMessage")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("orderId", "=", orderId)
    .where("authorSide", "=", "shop")
    .where("readAt", "is", null)
    .executeTakeFirstOrThrow();
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    statusLabel: ORDER_STATUS_LABELS[o.status],
    shop: { name: o.shopName, slug: o.shopSlug },
    currency: o.currency,
    subtotalMinor: o.subtotalMinor,
    shippingMinor: o.shippingMinor,
    taxMinor: o.taxMinor,
    totalMinor: o.totalMinor,
    refundedMinor: o.refundedMinor,
    shippingOption: o.shippingOption,
    shippingAddress: o.shippingAddress,
    trackingNumber: o.trackingNumber,
    paidAt: o.paidAt,
    createdAt: o.createdAt,
    lines: await orderLines(db, orderId),
    timeline: await timeline(db, orderId),
    unreadMessages: Number(unread.n),
    canCancel: PAYABLE.includes(o.status) || (o.status === "paid" && CANCELLABLE_JOB.includes(o.jobStatus)),
    canConfirmDelivery: o.status === "shipped",
    canReview: o.status === "delivered" && o.rating === null,
    review: o.rating === null ? null : { rating: o.rating, body: o.reviewBody ?? "" },
    sharedFiles: o.jobId ? await sharedFilesOf(db, o.jobId) : [],
  };
}

export async function listMyOrders(db: Executor, customer: Customer) {
  return db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("organization as g", "g.id", "o.organizationId")
    .select([
      "o.id",
      "o.number",
      "o.status",
      "o.currency",
      "o.totalMinor",
      "o.createdAt",
      "g.name as shopName",
    ])
    .select((eb) =>
      eb
        .selectFrom("orderMessage as m")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("m.orderId", "=", "o.id")
        .where("m.authorSide", "=", "shop")
        .where("m.readAt", "is", null)
        .as("unreadMessages"),
    )
    .where("o.userId", "=", customer.userId)
    .orderBy("o.createdAt", "desc")
    .limit(200)
    .execute();
}

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

/** The files and photos the shop shared from the order's job (the shop marks them on the job page). */
function sharedFilesOf(db: Executor, jobId: string) {
  return db
    .selectFrom("jobFile")
    .select(["id", "kind", "fileName", "contentType", "sizeBytes", "createdAt"])
    .where("jobId", "=", jobId)
    .where("sharedWithCustomer", "=", true)
    .orderBy("createdAt", "desc")
    .orderBy("id")
    .execute();
}
