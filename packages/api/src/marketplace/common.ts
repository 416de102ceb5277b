import { newId, type OrderStatus } from "@ktizo/db";
import type { MailService } from "@ktizo/services";
import { z } from "zod";
import type { Executor } from "../kernel/index.ts";
import { customerChannels } from "../shop/notify-channels.ts";

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

/** The page where a guest (an order placed through a shop's widget, no account) follows the order. */
export function guestOrderPath(orderId: string, token: string): string {
  return `/embed/order/${encodeURIComponent(orderId)}?token=${encodeURIComponent(token)}`;
}

/**
 * Tells the customer about a change of their order: in the app and by email. Service mail (P19): it is
 * sent while the account is active and cannot be switched off. Call after the change has committed.
 * A guest order (no user) gets the email only, with its token link instead of the signed-in order page.
 */
export async function notifyCustomer(
  db: Executor,
  mail: Pick<MailService, "send">,
  order: { id: string; userId: string | null; customerEmail: string; number: number },
  title: string,
  body: string,
): Promise<void> {
  let link = `/orders/${order.id}`;
  if (order.userId) {
    await db
      .insertInto("customerNotification")
      .values({ id: newId("cnt"), userId: order.userId, orderId: order.id, title, body })
      .execute();
  } else {
    const guest = await db
      .selectFrom("marketplaceOrder")
      .select("guestAccessToken")
      .where("id", "=", order.id)
      .executeTakeFirst();
    // An order without user or token (an anonymised account) has nobody left to tell.
    if (!guest?.guestAccessToken) return;
    link = guestOrderPath(order.id, guest.guestAccessToken);
  }
  const message = {
    to: order.customerEmail,
    subject: `Order #${order.number}: ${title}`,
    text: `${body}\n\nOpen your order: ${link}`,
    template: "marketplace-order-update",
    category: "service" as const,
    userId: order.userId,
  };
  const shop = await db
    .selectFrom("marketplaceOrder")
    .select("organizationId")
    .where("id", "=", order.id)
    .executeTakeFirst();
  // The one channel rule (issue 13, req. 6). Order updates are service notifications: they go by email
  // here, also to a customer who prefers texts (texts from the job's conversation reach them there).
  const channels = shop
    ? await customerChannels(db, shop.organizationId, { email: order.customerEmail }, message.category)
    : { email: true, sms: false };
  if (channels.email || message.category === "service") await mail.send(message);
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
