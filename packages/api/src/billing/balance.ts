import type { InvoiceDocStatus, PaymentKind, PaymentStatus } from "@ktizo/db";

/** What a customer sees an invoice as (draft and void are document states, the rest follow money and time). */
export type InvoiceStatus = "draft" | "sent" | "viewed" | "partly_paid" | "paid" | "overdue" | "void";

export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: "Draft",
  sent: "Sent",
  viewed: "Viewed",
  partly_paid: "Partly paid",
  paid: "Paid",
  overdue: "Overdue",
  void: "Void",
};

export interface LedgerEntry {
  kind: PaymentKind;
  status: PaymentStatus;
  amountMinor: number;
}

export interface Balance {
  paidMinor: number;
  refundedMinor: number;
  creditedMinor: number;
  /** total − credit notes − payments + refunds: what the customer still owes (negative: owed to them). */
  dueMinor: number;
}

/** The one formula of an invoice's balance; only succeeded payments and refunds count. */
export function invoiceBalance(
  totalMinor: number,
  creditedMinor: number,
  entries: readonly LedgerEntry[],
): Balance {
  let paid = 0;
  let refunded = 0;
  for (const e of entries) {
    if (e.status !== "succeeded") continue;
    if (e.kind === "payment") paid += e.amountMinor;
    else refunded += e.amountMinor;
  }
  return {
    paidMinor: paid,
    refundedMinor: refunded,
    creditedMinor,
    dueMinor: totalMinor - creditedMinor - paid + refunded,
  };
}

export function invoiceStatus(
  doc: { status: InvoiceDocStatus; dueDate: string | null; sentAt: Date | null; viewedAt: Date | null },
  balance: Balance,
  today: string,
): InvoiceStatus {
  if (doc.status === "draft") return "draft";
  if (doc.status === "void") return "void";
  if (balance.dueMinor <= 0) return "paid";
  if (doc.dueDate !== null && doc.dueDate < today) return "overdue";
  if (balance.paidMinor - balance.refundedMinor > 0) return "partly_paid";
  if (doc.viewedAt) return "viewed";
  return "sent";
}
