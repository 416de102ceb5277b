/** Every status of a marketplace order, in the order it moves through them (the database's check names the same), and its display text. */
export const ORDER_STATUSES = [
  "pending_payment",
  "payment_failed",
  "paid",
  "in_production",
  "shipped",
  "delivered",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const isOrderStatus = (v: string | null): v is OrderStatus => ORDER_STATUSES.some((s) => s === v);

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: "Awaiting payment",
  payment_failed: "Payment failed",
  paid: "Paid",
  in_production: "In production",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  refunded: "Refunded",
};
