import type { ColumnType, JSONColumnType } from "kysely";
import type { CreatedAt, NullableTimestamp } from "./foundation.ts";

/** updated_at-like columns: database default on insert, set by code on update. */
type Touched = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string | undefined, string>;
type Int = ColumnType<number, number | undefined, number>;
type Flag = ColumnType<boolean, boolean | undefined, boolean>;
type Text = ColumnType<string, string | undefined, string>;

/** A tax rate of the shop, in basis points (2000 = 20 %); inclusive: line prices already contain it. */
export interface BillingTaxRate {
  id: string;
  name: string;
  rateBps: number;
  inclusive: boolean;
}

/** A line of an estimate or invoice as stored (prices in minor units of the document's currency). */
export interface BillingLine {
  description: string;
  quantity: number;
  unitPriceMinor: number;
  /** Per-line discount in basis points of the line amount. */
  discountBps: number;
  taxRateBps: number;
  taxInclusive: boolean;
  /** The tax's name as printed ("VAT 20 %"); empty when untaxed. */
  taxName: string;
  /** The job item it came from (priced by the quote engine), if any. */
  jobItemId: string | null;
}

export type BillingDiscount = { kind: "percent"; bps: number } | { kind: "amount"; minor: number };
export type BillingDeposit = { kind: "percent"; bps: number } | { kind: "amount"; minor: number };

export interface BillingTaxLine {
  name: string;
  rateBps: number;
  inclusive: boolean;
  /** The taxed amount (after discounts; tax included for inclusive rates). */
  baseMinor: number;
  taxMinor: number;
}

/** What computeTotals returns, stored with each estimate version and invoice. */
export interface BillingTotals {
  /** Σ lines after line discounts, as entered (inclusive lines still contain their tax). */
  subtotalMinor: number;
  discountMinor: number;
  shippingMinor: number;
  /** Tax added on top (exclusive rates). */
  taxAddedMinor: number;
  /** Tax contained in prices (inclusive rates), shown but not added. */
  taxIncludedMinor: number;
  taxes: BillingTaxLine[];
  totalMinor: number;
  depositMinor: number;
}

export interface BillingParty {
  name: string;
  company: string | null;
  addressLines: string[];
  country: string | null;
  taxId: string | null;
  phone: string | null;
  /** Seller only: the logo's public id when the shop had one. */
  logoId?: string | null;
}

export type EstimateStatus = "draft" | "sent" | "approved" | "changes_requested" | "declined";
export type InvoiceKind = "invoice" | "credit_note";
export type InvoiceDocStatus = "draft" | "issued" | "void";
export type InvoiceTerms = "due_on_receipt" | "net_15" | "net_30" | "custom";
export type PaymentKind = "payment" | "refund";
export type PaymentMethod = "online" | "cash" | "bank_transfer" | "check" | "other";
export type PaymentStatus = "pending" | "succeeded" | "failed";
export type PortalDocumentType = "estimate" | "invoice" | "proof";

export interface BillingSettingsTable {
  organizationId: string;
  taxRates: Json<BillingTaxRate[]>;
  invoicePrefix: Text;
  creditNotePrefix: Text;
  defaultTermsDays: Int;
  taxId: string | null;
  legalFooter: Text;
  remindDaysBefore: Int;
  remindOnDue: Flag;
  remindOverdueEveryDays: Int;
  remindOverdueMax: Int;
  retentionYears: Int;
  updatedAt: Touched;
}

export interface BillingCounterTable {
  organizationId: string;
  kind: InvoiceKind;
  year: number;
  lastValue: Int;
}

export interface EstimateTable {
  id: string;
  organizationId: string;
  jobId: string;
  currency: string;
  status: ColumnType<EstimateStatus, EstimateStatus | undefined, EstimateStatus>;
  currentVersion: Int;
  sentAt: NullableTimestamp;
  viewedAt: NullableTimestamp;
  approvedVersion: number | null;
  approvedName: string | null;
  approvedAt: NullableTimestamp;
  approvedIp: string | null;
  approvedUserAgent: string | null;
  changeRequest: string | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface EstimateVersionTable {
  id: string;
  organizationId: string;
  estimateId: string;
  version: number;
  lines: JSONColumnType<BillingLine[], string, string>;
  discount: JSONColumnType<BillingDiscount | null, string | null | undefined, string | null>;
  shippingMinor: Int;
  shippingTaxRateBps: Int;
  deposit: JSONColumnType<BillingDeposit | null, string | null | undefined, string | null>;
  validUntil: string | null;
  notes: Text;
  totals: JSONColumnType<BillingTotals, string, string>;
  totalMinor: number;
  depositMinor: Int;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface InvoiceTable {
  id: string;
  organizationId: string | null;
  kind: ColumnType<InvoiceKind, InvoiceKind | undefined, InvoiceKind>;
  jobId: string | null;
  estimateId: string | null;
  customerId: string | null;
  creditedInvoiceId: string | null;
  status: ColumnType<InvoiceDocStatus, InvoiceDocStatus | undefined, InvoiceDocStatus>;
  number: string | null;
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  terms: ColumnType<InvoiceTerms, InvoiceTerms | undefined, InvoiceTerms>;
  termsDays: Int;
  seller: JSONColumnType<BillingParty | null, string | null | undefined, string | null>;
  buyer: JSONColumnType<BillingParty | null, string | null | undefined, string | null>;
  lines: JSONColumnType<BillingLine[], string, string>;
  discount: JSONColumnType<BillingDiscount | null, string | null | undefined, string | null>;
  shippingMinor: Int;
  shippingTaxRateBps: Int;
  totals: JSONColumnType<BillingTotals, string, string>;
  totalMinor: number;
  notes: Text;
  recipientEmail: string | null;
  sentAt: NullableTimestamp;
  viewedAt: NullableTimestamp;
  voidReason: string | null;
  voidedAt: NullableTimestamp;
  retainUntil: string | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface BillingPaymentTable {
  id: string;
  organizationId: string | null;
  invoiceId: string | null;
  estimateId: string | null;
  kind: PaymentKind;
  method: PaymentMethod;
  status: PaymentStatus;
  isDeposit: Flag;
  amountMinor: number;
  currency: string;
  reference: string | null;
  refundOf: string | null;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  connectedAccountId: string | null;
  providerRefundId: string | null;
  receivedAt: NullableTimestamp;
  createdBy: string | null;
  createdAt: CreatedAt;
  retainUntil: string | null;
}

export interface PortalTokenTable {
  id: string;
  organizationId: string;
  tokenHash: string;
  documentType: PortalDocumentType;
  documentId: string;
  expiresAt: ColumnType<Date, Date | string, Date | string>;
  createdAt: CreatedAt;
}

export interface InvoiceReminderTable {
  invoiceId: string;
  organizationId: string | null;
  /** "before", "due" or "overdue-<n>". */
  step: string;
  sentAt: CreatedAt;
}

export type ProofStatus = "pending" | "approved" | "rejected";

export interface ProofTable {
  id: string;
  organizationId: string;
  jobId: string;
  jobFileId: string;
  version: number;
  status: ColumnType<ProofStatus, ProofStatus | undefined, ProofStatus>;
  comment: string | null;
  decidedName: string | null;
  decidedAt: NullableTimestamp;
  decidedIp: string | null;
  decidedUserAgent: string | null;
  overrideReason: string | null;
  overrideBy: string | null;
  overrideAt: NullableTimestamp;
  /** Approval reminders sent for this version (the reminders job claims each with a conditional update). */
  remindersSent: ColumnType<number, number | undefined, number>;
  /** The customer's text reply that approved it ("YES"), kept as evidence (issue 13). */
  decidedMessageId: ColumnType<string | null, string | null | undefined, string | null>;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface BillingTables {
  proof: ProofTable;
  invoiceReminder: InvoiceReminderTable;
  billingSettings: BillingSettingsTable;
  billingCounter: BillingCounterTable;
  estimate: EstimateTable;
  estimateVersion: EstimateVersionTable;
  invoice: InvoiceTable;
  billingPayment: BillingPaymentTable;
  portalToken: PortalTokenTable;
}
