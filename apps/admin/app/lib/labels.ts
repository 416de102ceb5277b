/** Display text for the console's enum values (browser-safe). */

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

const ORDER_STATUS: Record<OrderStatus, string> = {
  pending_payment: "Awaiting payment",
  payment_failed: "Payment failed",
  paid: "Paid",
  in_production: "In production",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
  refunded: "Refunded",
};

export const orderStatusLabel = (status: string) => (isOrderStatus(status) ? ORDER_STATUS[status] : status);

export function orderStatusTone(status: string): "slate" | "green" | "amber" | "red" | "blue" {
  if (status === "paid" || status === "delivered" || status === "shipped") return "green";
  if (status === "in_production") return "blue";
  if (status === "pending_payment") return "amber";
  if (status === "refunded" || status === "cancelled" || status === "payment_failed") return "red";
  return "slate";
}
