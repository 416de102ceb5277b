import { newId, type OrderStatus } from "@ktizo/db";
import { z } from "zod";
import type { CustomerNotifier, Executor } from "../kernel/index.ts";

export type { Executor } from "../kernel/index.ts";

/** How long a stored quote's price holds; after that the order needs a new quote. */
export const QUOTE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The signed-in customer (taken from the session by the router). */
export interface Customer {
  userId: string;
  email: string;
  name: string;
}

/**
 * Who owns an upload: a signed-in user, or an anonymous visitor identified by the random id inside their
 * signed, HttpOnly upload-session cookie (the web app reads the cookie and passes the id).
 */
export type UploadOwner =
  | { userId: string; uploadSessionId?: string | null }
  | { userId: null; uploadSessionId: string };

export const uploadSessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "Not an upload session");

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: "Awaiting payment",
  payment_failed: "Payment failed",
  paid: "Paid, in the shop's queue",
  in_production: "In production",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  refunded: "Refunded",
};

/** Timeline entries that are not order statuses. */
const EVENT_LABELS: Record<string, string> = {
  tracking: "Tracking number",
  partially_refunded: "Partially refunded",
  payment_mismatch: "Payment not accepted",
  refunded_payment: "Payment refunded",
  disputed: "Payment disputed",
  dispute_closed: "Dispute closed",
};

/** The label of an order timeline entry: an order status or one of the other events. */
export function orderEventLabel(status: string): string {
  return ORDER_STATUS_LABELS[status as OrderStatus] ?? EVENT_LABELS[status] ?? status;
}

export interface OrderTimelineEntry {
  status: string;
  label: string;
  note: string | null;
  at: Date;
}

/** What happened to an order, oldest first, with the label the customer reads. */
export async function orderTimeline(db: Executor, orderId: string): Promise<OrderTimelineEntry[]> {
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

/** The page where a guest (an order placed through a shop's widget, no account) follows the order. */
export function guestOrderPath(orderId: string, token: string): string {
  return `/embed/order/${encodeURIComponent(orderId)}?token=${encodeURIComponent(token)}`;
}

/**
 * Tells the customer about a change of their order: in the app, and by email and/or text through the one
 * notification path (`notify`, issue 13 req. 6): the shop's customer record (the job's customer, or the
 * one with the order's email address) decides by its preference and SMS consent, and the text is recorded
 * on the job's conversation. Order updates are service notifications: one that cannot be texted goes by
 * email. Call after the change has committed. A guest order (no user) gets no in-app notification, and
 * its token link instead of the signed-in order page.
 */
export async function notifyCustomer(
  db: Executor,
  notify: CustomerNotifier,
  order: { id: string; userId: string | null; customerEmail: string; number: number },
  title: string,
  body: string,
  now: Date,
): Promise<void> {
  const o = await db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("organization as s", "s.id", "o.organizationId")
    .leftJoin("job as j", "j.id", "o.jobId")
    .select(["o.organizationId", "o.jobId", "o.guestAccessToken", "j.customerId", "s.name as shopName"])
    .where("o.id", "=", order.id)
    .executeTakeFirst();
  if (!o) return;
  let link = `/orders/${order.id}`;
  if (order.userId) {
    await db
      .insertInto("customerNotification")
      .values({ id: newId("cnt"), userId: order.userId, orderId: order.id, title, body })
      .execute();
  } else {
    // An order without user or token (an anonymised account) has nobody left to tell.
    if (!o.guestAccessToken) return;
    link = guestOrderPath(order.id, o.guestAccessToken);
  }
  await notify(
    db,
    {
      organizationId: o.organizationId,
      customerId: o.customerId,
      jobId: o.jobId,
      email: {
        to: order.customerEmail,
        subject: `Order #${order.number}: ${title}`,
        text: `${body}\n\nOpen your order: ${link}`,
        template: "marketplace-order-update",
        category: "service",
        userId: order.userId,
        organizationId: o.organizationId,
      },
      smsText: `${o.shopName}: order #${order.number}: ${title}. ${body} ${link}`,
    },
    now,
  );
}

export async function recordOrderEvent(
  db: Executor,
  orderId: string,
  status: string,
  note: string | null,
  now: Date,
): Promise<void> {
  await db
    .insertInto("orderEvent")
    .values({ id: newId("oev"), orderId, status, note, createdAt: now })
    .execute();
}
