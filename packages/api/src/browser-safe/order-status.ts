/** Every status of a marketplace order, in the order it moves through them (the database's check names the same). */
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
export type OrderStatusName = (typeof ORDER_STATUSES)[number];
