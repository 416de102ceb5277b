/** Display text and badge tone for the console's enum values (browser-safe; the API owns the enums). */
import { isOrderStatus, ORDER_STATUS_LABELS } from "@ktizo/api/shared";

export const orderStatusLabel = (status: string) =>
  isOrderStatus(status) ? ORDER_STATUS_LABELS[status] : status;

export function orderStatusTone(status: string): "slate" | "green" | "amber" | "red" | "blue" {
  if (status === "paid" || status === "delivered" || status === "shipped") return "green";
  if (status === "in_production") return "blue";
  if (status === "pending_payment") return "amber";
  if (status === "refunded" || status === "cancelled" || status === "payment_failed") return "red";
  return "slate";
}
