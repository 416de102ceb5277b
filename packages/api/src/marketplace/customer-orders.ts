// The customer's own orders: one with its lines, timeline and shared files, and the list.

import type { JobFileKind, JobStatus, OrderAddress, OrderStatus } from "@ktizo/db";
import type { ModelScale } from "@ktizo/quote";
import { ProviderError, type Services } from "@ktizo/services";
import { type CustomerNotifying, type Executor, notFound } from "../kernel/index.ts";
import { type Customer, ORDER_STATUS_LABELS, type OrderTimelineEntry, orderTimeline } from "./common.ts";
import { PAYABLE, settleOwedRefund } from "./order-state.ts";
import { syncOrderFromJob } from "./order-status-sync.ts";

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
export async function orderLines(db: Executor, orderId: string): Promise<OrderLineView[]> {
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
    timeline: await orderTimeline(db, orderId),
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
