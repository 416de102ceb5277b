import type { JobFileKind, JobStatus, OrderAddress, OrderStatus } from "@ktizo/db";
import { type PaymentsService, ProviderError, type Services } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { isUniqueViolation } from "../account/common.ts";
import { badRequest, conflict, DomainError, notFound } from "../errors.ts";
import { attachJobFile, sharedJobFiles } from "../job/files.ts";
import { createJobFromOrder } from "../job/jobs.ts";
import { applyStatus, changeJobStatus } from "../job/status.ts";
import { type Executor, inTransaction, type MemberActor } from "../shop/common.ts";
import { emailShopManagers } from "../shop/notifications.ts";
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
  mail: Services["mail"],
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
      mail,
      order,
      ORDER_STATUS_LABELS[next],
      note ?? `Your order is now: ${ORDER_STATUS_LABELS[next].toLowerCase()}.`,
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

/**
 * After a status change of a job on the shop's board: the marketplace order the job fulfils (if any)
 * follows at once, and its customer is told (in the app and by email); a paid order whose job the shop
 * cancelled is refunded in full. A job of another shop or a job without an order changes nothing.
 * Returns the order's status, or null when the job has no order.
 */
export async function syncOrderOfJob(
  db: Executor,
  services: Pick<Services, "mail" | "payments">,
  organizationId: string,
  jobId: string,
  now: Date,
): Promise<OrderStatus | null> {
  const order = await db
    .selectFrom("marketplaceOrder")
    .select("id")
    .where("jobId", "=", jobId)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return order ? syncOrderFromJob(db, services.mail, order.id, now, services.payments) : null;
}

/**
 * Turns a paid order into a job on the shop's board with its model files attached. Idempotent (the
 * webhook route calls it after every payment event of the order, so a failure heals on redelivery).
 * The job is linked to the order under the order's row lock; if the order was cancelled or refunded
 * while the job was being made, the job is taken off the board again (cancelled) instead.
 */
export async function fulfilPaidOrder(
  db: Executor,
  services: Pick<Services, "mail" | "storage">,
  orderId: string,
  now: Date,
) {
  const order = await db
    .selectFrom("marketplaceOrder")
    .selectAll()
    .where("id", "=", orderId)
    .executeTakeFirst();
  if (order?.status !== "paid" || order.jobId) return;
  const lines = await db
    .selectFrom("orderLine as l")
    .innerJoin("modelUpload as u", "u.id", "l.uploadId")
    .innerJoin("marketplaceQuote as q", "q.id", "l.quoteId")
    .select([
      "l.description",
      "l.quantity",
      "l.materialId",
      "l.color",
      "l.totalMinor",
      "l.gramsPerUnit",
      "l.minutesPerUnit",
      "u.storageKey",
      "u.fileName",
      "u.contentType",
      "q.inputs",
      "q.rush",
      "q.leadDays",
    ])
    .where("l.orderId", "=", orderId)
    .orderBy("l.position")
    .execute();
  const address = order.shippingAddress as OrderAddress;
  const leadDays = Math.max(0, ...lines.map((l) => l.leadDays));
  const job = await jobForOrder(
    db,
    services.mail,
    {
      organizationId: order.organizationId,
      orderId: order.id,
      customer: {
        userId: order.userId,
        name: order.customerName,
        email: order.customerEmail,
        shippingAddress: { label: "Shipping", ...address },
      },
      title: `Marketplace order #${order.number}`,
      items: lines.map((l) => {
        const size = l.inputs.bbox as { x: number; y: number; z: number } | undefined;
        return {
          description: l.description.slice(0, 200),
          quantity: l.quantity,
          materialId: l.materialId,
          color: l.color,
          // Integer unit price for the board; the order keeps the exact quoted line total.
          unitPriceMinor: Math.round(l.totalMinor / l.quantity),
          gramsPerUnit: l.gramsPerUnit,
          minutesPerUnit: l.minutesPerUnit,
          sizeMm: size ? { x: size.x, y: size.y, z: size.z } : null,
        };
      }),
      currency: order.currency,
      rush: lines.some((l) => l.rush),
      dueAt: new Date(now.getTime() + leadDays * 24 * 60 * 60 * 1000),
      note: `Ship with ${order.shippingOption.name}.`,
    },
    now,
  );
  const linked = await linkJob(db, order.id, order.organizationId, job.id, now);
  await emailShopManagers(db, services.mail, linked.emails);
  if (!linked.linked) return;
  for (const l of lines) {
    const file = await services.storage.get(l.storageKey);
    if (!file) continue;
    await attachJobFile(
      db,
      services.storage,
      {
        organizationId: order.organizationId,
        jobId: job.id,
        actorUserId: null,
        fileName: l.fileName,
        contentType: l.contentType,
        bytes: file.bytes,
        kind: "model",
      },
      now,
    );
  }
}

/** createJobFromOrder, where a second maker racing the first gets the first's job (one job per order). */
async function jobForOrder(
  db: Executor,
  mail: Services["mail"],
  input: Parameters<typeof createJobFromOrder>[2],
  now: Date,
): Promise<{ id: string }> {
  try {
    return await createJobFromOrder(db, mail, input, now);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return db
      .selectFrom("job")
      .select("id")
      .where("organizationId", "=", input.organizationId)
      .where("orderId", "=", input.orderId)
      .executeTakeFirstOrThrow();
  }
}

async function linkJob(db: Executor, orderId: string, organizationId: string, jobId: string, now: Date) {
  return inTransaction(db, async (trx) => {
    const o = await trx
      .selectFrom("marketplaceOrder")
      .select(["status", "jobId"])
      .where("id", "=", orderId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (o.jobId === null) {
      await trx
        .updateTable("marketplaceOrder")
        .set({ jobId, updatedAt: now })
        .where("id", "=", orderId)
        .execute();
    }
    if (o.status === "paid" || o.jobId === jobId) return { linked: o.jobId === null, emails: [] };
    // Compensation: the order stopped being payable work while its job was made.
    const job = await trx
      .selectFrom("job")
      .select(["id", "status", "heldFromStatus", "stockState"])
      .where("id", "=", jobId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (job.status === "cancelled") return { linked: false, emails: [] };
    const emails = await applyStatus(
      trx,
      { organizationId, userId: null },
      job,
      "cancelled",
      now,
      "The order was cancelled before production",
    );
    return { linked: false, emails };
  });
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
  lines: { description: string; quantity: number; totalMinor: number; color: string | null }[];
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

async function orderLines(db: Executor, orderId: string) {
  return db
    .selectFrom("orderLine")
    .select(["description", "quantity", "totalMinor", "color"])
    .where("orderId", "=", orderId)
    .orderBy("position")
    .execute();
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

const CANCELLABLE_JOB: readonly (JobStatus | null)[] = [null, "quote", "approved"];

/** One of the customer's own orders (NOT_FOUND for anyone else's). */
export async function getMyOrder(
  db: Executor,
  services: Pick<Services, "mail" | "payments">,
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
    await syncOrderFromJob(db, services.mail, orderId, now, services.payments);
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
    sharedFiles: o.jobId ? await sharedJobFiles(db, o.jobId) : [],
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

/**
 * Cancels before production starts, as a race-safe state change:
 * - unpaid: the checkout session is expired first (nobody can pay it afterwards), then the order moves
 *   to cancelled only if it is still unpaid. If the payment landed in between, the order is cancelled
 *   as a paid one below; a payment that lands after the cancel is refunded (settleOwedRefund).
 * - paid: the job is the lock production takes, so it is cancelled under its row lock only from a
 *   status before production; then the payment is refunded and the order shows cancelled
 *   (syncOrderFromJob). A refused refund leaves the order paid with its job cancelled: the error is
 *   raised and opening the order retries the refund.
 */
export async function cancelOrder(
  db: Executor,
  services: Pick<Services, "mail" | "payments" | "storage">,
  customer: Customer,
  orderId: string,
  now: Date,
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const o = await db
      .selectFrom("marketplaceOrder")
      .select([
        "id",
        "number",
        "userId",
        "customerEmail",
        "status",
        "jobId",
        "organizationId",
        "checkoutSessionId",
      ])
      .where("id", "=", orderId)
      .where("userId", "=", customer.userId)
      .executeTakeFirst();
    if (!o) throw notFound("Order not found");
    if (o.status === "cancelled") throw conflict("This order is already cancelled");
    if (o.status === "pending_payment" || o.status === "payment_failed") {
      if (await cancelUnpaid(db, services, o, now)) return { id: o.id, status: "cancelled" as const };
      continue; // paid in between: cancel it as a paid order
    }
    if (o.status !== "paid") {
      throw badRequest(
        "Production has started: this order can no longer be cancelled. Message the shop instead.",
      );
    }
    if (!o.jobId) await fulfilPaidOrder(db, services, o.id, now);
    const emails = await inTransaction(db, async (trx) => {
      const locked = await trx
        .selectFrom("marketplaceOrder")
        .select(["status", "jobId"])
        .where("id", "=", o.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (locked.status !== "paid" || !locked.jobId) return null;
      const job = await trx
        .selectFrom("job")
        .select(["id", "status", "heldFromStatus", "stockState"])
        .where("id", "=", locked.jobId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (job.status === "cancelled") return [];
      if (!CANCELLABLE_JOB.includes(job.status)) {
        throw badRequest(
          "Production has started: this order can no longer be cancelled. Message the shop instead.",
        );
      }
      const actor = { organizationId: o.organizationId, userId: null };
      return applyStatus(trx, actor, job, "cancelled", now, "Cancelled by the customer");
    });
    if (emails === null) continue;
    await emailShopManagers(db, services.mail, emails);
    const status = await syncOrderFromJob(db, services.mail, o.id, now, services.payments, "customer");
    return { id: o.id, status };
  }
  throw conflict("The order changed while it was being cancelled: open it and try again");
}

async function cancelUnpaid(
  db: Executor,
  services: Pick<Services, "mail" | "payments">,
  o: {
    id: string;
    number: number;
    userId: string | null;
    customerEmail: string;
    checkoutSessionId: string | null;
  },
  now: Date,
): Promise<boolean> {
  // "complete": the customer paid before the session closed. Cancel anyway and give the money back now
  // (the payment event may still be on its way; it then finds the refund done).
  const session = o.checkoutSessionId
    ? await services.payments.expireCheckoutSession(o.checkoutSessionId)
    : { status: "expired" as const };
  const paid = session.status === "complete";
  const moved = await inTransaction(db, async (trx) => {
    const row = await moveOrder(trx, o.id, PAYABLE, "cancelled", now);
    if (!row) return false;
    if (paid) {
      await trx
        .updateTable("marketplaceOrder")
        .set({ capturedMinor: sql<number>`greatest(captured_minor, total_minor)` })
        .where("id", "=", o.id)
        .execute();
    }
    await recordOrderEvent(trx, o.id, "cancelled", "Cancelled by the customer", now);
    return true;
  });
  if (!moved) return false;
  await notifyCustomer(db, services.mail, o, "Cancelled", "Your order was cancelled.");
  if (paid) await settleOwedRefund(db, services, o.id, now);
  return true;
}

/** The customer confirms the parcel arrived: the order is delivered and the shop's job completed. */
export async function confirmDelivery(
  db: Executor,
  services: Pick<Services, "mail">,
  customer: Customer,
  orderId: string,
  now: Date,
) {
  const o = await db
    .selectFrom("marketplaceOrder as o")
    .leftJoin("job as j", "j.id", "o.jobId")
    .select(["o.id", "o.status", "o.jobId", "o.organizationId", "j.status as jobStatus"])
    .where("o.id", "=", orderId)
    .where("o.userId", "=", customer.userId)
    .executeTakeFirst();
  if (!o) throw notFound("Order not found");
  if (o.status !== "shipped" || !o.jobId) throw badRequest("Only a shipped order can be marked as delivered");
  if (o.jobStatus !== "completed") {
    await changeJobStatus(
      db,
      services.mail,
      { organizationId: o.organizationId, userId: null },
      { jobId: o.jobId, to: "completed", note: "Delivery confirmed by the customer" },
      now,
    );
  }
  return { id: o.id, status: await syncOrderFromJob(db, services.mail, o.id, now) };
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
  lines: { description: string; quantity: number; totalMinor: number; color: string | null }[];
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

export const markShippedInput = z.object({
  orderId: z.string().min(1).max(100),
  trackingNumber: z.string().trim().max(100).nullable().default(null),
});

/**
 * The shop hands the parcel over: the job moves to shipped (workflow rules apply; a refused move changes
 * nothing) with the tracking number. A job already moved to shipped on the board gets its tracking
 * number here afterwards: recorded on the timeline and sent to the customer.
 */
export async function markShipped(
  db: Executor,
  services: Pick<Services, "mail">,
  actor: MemberActor,
  input: z.infer<typeof markShippedInput>,
  now: Date,
) {
  const o = await getShopOrder(db, actor.organizationId, input.orderId);
  if (!o.jobId) throw new DomainError("PRECONDITION_FAILED", "The order has no job yet");
  const job = await db.selectFrom("job").select("status").where("id", "=", o.jobId).executeTakeFirstOrThrow();
  const handedOver = job.status === "shipped" || job.status === "picked_up" || job.status === "completed";
  if (handedOver && !input.trackingNumber) {
    throw badRequest("Enter the tracking number", { trackingNumber: "Required" });
  }
  if (!handedOver) {
    await changeJobStatus(
      db,
      services.mail,
      actor,
      {
        jobId: o.jobId,
        to: "shipped",
        note: input.trackingNumber ? `Tracking ${input.trackingNumber}` : undefined,
      },
      now,
    );
  }
  const newTracking = input.trackingNumber !== null && input.trackingNumber !== o.trackingNumber;
  if (newTracking || !handedOver) {
    await db
      .updateTable("marketplaceOrder")
      .set({ trackingNumber: input.trackingNumber, updatedAt: now })
      .where("id", "=", o.id)
      .execute();
  }
  const status = await syncOrderFromJob(db, services.mail, o.id, now);
  if (handedOver && newTracking) {
    const note = `Tracking number ${input.trackingNumber}`;
    await recordOrderEvent(db, o.id, "tracking", note, now);
    const customer = await db
      .selectFrom("marketplaceOrder")
      .select(["id", "number", "userId", "customerEmail"])
      .where("id", "=", o.id)
      .executeTakeFirstOrThrow();
    await notifyCustomer(db, services.mail, customer, "Tracking number", `${note}.`);
  }
  return { id: o.id, status };
}
