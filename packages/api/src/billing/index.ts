/** The billing domain for routes and background work (the router is registered in root.ts). */

export { INVOICE_STATUS_LABELS, type InvoiceStatus } from "./balance.ts";
export { BILLING_JOBS } from "./jobs.ts";
export { formatAmount } from "./money.ts";
export { PAYMENT_METHOD_LABELS } from "./payments.ts";
export { portalPendingPayment } from "./portal.ts";
export { portalProofFile, proofViewKind } from "./proofs.ts";
