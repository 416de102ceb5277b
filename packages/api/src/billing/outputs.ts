import type {
  BillingDeposit,
  BillingDiscount,
  BillingLine,
  BillingParty,
  BillingTaxLine,
  BillingTaxRate,
  BillingTotals,
} from "@ktizo/db";
import { z } from "zod";
import { jobStatusSchema } from "../job/status.ts";
import type { Expect, Same } from "../outputs.ts";
import { storedJson } from "../outputs.ts";
import type { listAccountDocuments } from "./account-documents.ts";
import type { Balance } from "./balance.ts";
import type { getEstimate, listEstimates } from "./estimates.ts";
import type { getInvoice, listInvoices } from "./invoice-views.ts";
import type { portalView } from "./portal.ts";
import type { listProofs } from "./proofs.ts";
import type { agingReport, exportInvoicesCsv, revenueReport } from "./reports.ts";
import type { BillingSettings } from "./settings.ts";

/**
 * What the billing router's procedures answer, validated on the way out (tRPC `.output`, strict: a field
 * the schema does not name is refused, so no column reaches the browser by accident). The resolvers'
 * return types must fit these (tRPC checks it at compile time); root.test.ts fails for a procedure
 * without one. Lines, totals, discounts, deposits, parties and tax rates are read from JSON columns.
 */

type EstimateDetail = Awaited<ReturnType<typeof getEstimate>>;
type EstimateSummary = Awaited<ReturnType<typeof listEstimates>>[number];
type InvoiceDetail = Awaited<ReturnType<typeof getInvoice>>;
type InvoiceSummary = Awaited<ReturnType<typeof listInvoices>>[number];
type PortalView = Awaited<ReturnType<typeof portalView>>;
/** One kind of portal answer, without the `other?: undefined` keys TypeScript adds to a union of literals. */
type PortalOf<T extends PortalView["type"]> = Omit<
  Extract<PortalView, { type: T }>,
  Exclude<"estimate" | "invoice" | "proof", T>
>;
type AgingReport = Awaited<ReturnType<typeof agingReport>>;
type RevenueRow = Awaited<ReturnType<typeof revenueReport>>[number];
type CsvExport = Awaited<ReturnType<typeof exportInvoicesCsv>>;
type ProofView = Awaited<ReturnType<typeof listProofs>>[number];
type AccountDocuments = Awaited<ReturnType<typeof listAccountDocuments>>;

const estimateStatusSchema = z.enum(["draft", "sent", "approved", "changes_requested", "declined"]);
const invoiceKindSchema = z.enum(["invoice", "credit_note"]);
const invoiceDocStatusSchema = z.enum(["draft", "issued", "void"]);
const invoiceStatusSchema = z.enum(["draft", "sent", "viewed", "partly_paid", "paid", "overdue", "void"]);
const paymentKindSchema = z.enum(["payment", "refund"]);
const paymentMethodSchema = z.enum(["online", "cash", "bank_transfer", "check", "other"]);
const proofStatusSchema = z.enum(["pending", "approved", "rejected"]);

const taxRateSchema = storedJson(
  z.object({ id: z.string(), name: z.string(), rateBps: z.number(), inclusive: z.boolean() }).strict(),
);

const billingSettingsSchema = z
  .object({
    taxRates: z.array(taxRateSchema),
    invoicePrefix: z.string(),
    creditNotePrefix: z.string(),
    defaultTermsDays: z.number(),
    taxId: z.string().nullable(),
    legalFooter: z.string(),
    remindDaysBefore: z.number(),
    remindOnDue: z.boolean(),
    remindOverdueEveryDays: z.number(),
    remindOverdueMax: z.number(),
    retentionYears: z.number(),
  })
  .strict();

const lineSchema = storedJson(
  z
    .object({
      description: z.string(),
      quantity: z.number(),
      unitPriceMinor: z.number(),
      discountBps: z.number(),
      taxRateBps: z.number(),
      taxInclusive: z.boolean(),
      taxName: z.string(),
      jobItemId: z.string().nullable(),
    })
    .strict(),
);

/** A discount or a deposit: a share (basis points) or a fixed amount. */
const percentOrAmountSchema = z.union([
  storedJson(z.object({ kind: z.literal("percent"), bps: z.number() }).strict()),
  storedJson(z.object({ kind: z.literal("amount"), minor: z.number() }).strict()),
]);

const taxLineSchema = storedJson(
  z
    .object({
      name: z.string(),
      rateBps: z.number(),
      inclusive: z.boolean(),
      baseMinor: z.number(),
      taxMinor: z.number(),
    })
    .strict(),
);

const totalsSchema = storedJson(
  z
    .object({
      subtotalMinor: z.number(),
      discountMinor: z.number(),
      shippingMinor: z.number(),
      taxAddedMinor: z.number(),
      taxIncludedMinor: z.number(),
      taxes: z.array(taxLineSchema),
      totalMinor: z.number(),
      depositMinor: z.number(),
    })
    .strict(),
);

const partySchema = storedJson(
  z
    .object({
      name: z.string(),
      company: z.string().nullable(),
      addressLines: z.array(z.string()),
      country: z.string().nullable(),
      taxId: z.string().nullable(),
      phone: z.string().nullable(),
      logoId: z.string().nullable().optional(),
    })
    .strict(),
);

const balanceSchema = z
  .object({
    paidMinor: z.number(),
    refundedMinor: z.number(),
    creditedMinor: z.number(),
    dueMinor: z.number(),
  })
  .strict();

const estimateVersionSchema = z
  .object({
    id: z.string(),
    estimateId: z.string(),
    organizationId: z.string(),
    version: z.number(),
    lines: z.array(lineSchema),
    discount: percentOrAmountSchema.nullable(),
    shippingMinor: z.number(),
    shippingTaxRateBps: z.number(),
    deposit: percentOrAmountSchema.nullable(),
    validUntil: z.string().nullable(),
    notes: z.string(),
    totals: totalsSchema,
    totalMinor: z.number(),
    depositMinor: z.number(),
    createdBy: z.string().nullable(),
    createdAt: z.date(),
  })
  .strict();

const estimateDetailSchema = z
  .object({
    id: z.string(),
    organizationId: z.string(),
    jobId: z.string(),
    status: estimateStatusSchema,
    currency: z.string(),
    currentVersion: z.number(),
    current: estimateVersionSchema,
    versions: z.array(estimateVersionSchema),
    depositPaidMinor: z.number(),
    sentAt: z.date().nullable(),
    viewedAt: z.date().nullable(),
    approvedVersion: z.number().nullable(),
    approvedName: z.string().nullable(),
    approvedAt: z.date().nullable(),
    approvedIp: z.string().nullable(),
    approvedUserAgent: z.string().nullable(),
    changeRequest: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
    jobNumber: z.number(),
    jobTitle: z.string(),
    jobStatus: jobStatusSchema,
    customerId: z.string(),
    customerName: z.string(),
    customerEmail: z.string().nullable(),
  })
  .strict();

const estimateSummarySchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    status: estimateStatusSchema,
    currency: z.string(),
    currentVersion: z.number(),
    validUntil: z.string().nullable(),
    totalMinor: z.number(),
    depositMinor: z.number(),
    jobNumber: z.number(),
    jobTitle: z.string(),
    customerName: z.string(),
    updatedAt: z.date(),
  })
  .strict();

const invoiceSummarySchema = z
  .object({
    id: z.string(),
    kind: invoiceKindSchema,
    number: z.string().nullable(),
    status: invoiceDocStatusSchema,
    displayStatus: invoiceStatusSchema,
    currency: z.string(),
    issueDate: z.string().nullable(),
    dueDate: z.string().nullable(),
    totalMinor: z.number(),
    sentAt: z.date().nullable(),
    viewedAt: z.date().nullable(),
    jobId: z.string().nullable(),
    jobNumber: z.number().nullable(),
    buyer: partySchema.nullable(),
    customerName: z.string().nullable(),
    netPaidMinor: z.number(),
    creditedMinor: z.number(),
    balance: balanceSchema,
    createdAt: z.date(),
  })
  .strict();

const invoicePaymentSchema = z
  .object({
    id: z.string(),
    kind: paymentKindSchema,
    method: paymentMethodSchema,
    status: z.enum(["pending", "succeeded", "failed"]),
    isDeposit: z.boolean(),
    amountMinor: z.number(),
    reference: z.string().nullable(),
    refundOf: z.string().nullable(),
    receivedAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .strict();

const invoiceDetailSchema = z
  .object({
    id: z.string(),
    organizationId: z.string().nullable(),
    kind: invoiceKindSchema,
    number: z.string().nullable(),
    status: invoiceDocStatusSchema,
    displayStatus: invoiceStatusSchema,
    jobId: z.string().nullable(),
    estimateId: z.string().nullable(),
    customerId: z.string().nullable(),
    creditedInvoiceId: z.string().nullable(),
    currency: z.string(),
    recipientEmail: z.string().nullable(),
    terms: z.enum(["due_on_receipt", "net_15", "net_30", "custom"]),
    termsDays: z.number(),
    issueDate: z.string().nullable(),
    dueDate: z.string().nullable(),
    retainUntil: z.string().nullable(),
    seller: partySchema.nullable(),
    buyer: partySchema.nullable(),
    lines: z.array(lineSchema),
    discount: percentOrAmountSchema.nullable(),
    shippingMinor: z.number(),
    shippingTaxRateBps: z.number(),
    notes: z.string(),
    totals: totalsSchema,
    totalMinor: z.number(),
    balance: balanceSchema,
    payments: z.array(invoicePaymentSchema),
    creditNotes: z.array(
      z
        .object({
          id: z.string(),
          number: z.string().nullable(),
          status: invoiceDocStatusSchema,
          notes: z.string(),
          totalMinor: z.number(),
          issueDate: z.string().nullable(),
        })
        .strict(),
    ),
    sentAt: z.date().nullable(),
    viewedAt: z.date().nullable(),
    voidReason: z.string().nullable(),
    voidedAt: z.date().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .strict();

const portalShopSchema = z.object({ name: z.string(), logoId: z.string().nullable() }).strict();

const portalEstimateSchema = z
  .object({
    type: z.literal("estimate"),
    shop: portalShopSchema,
    estimate: z
      .object({
        status: estimateStatusSchema,
        currency: z.string(),
        version: z.number(),
        jobTitle: z.string(),
        customerName: z.string(),
        lines: z.array(lineSchema),
        totals: totalsSchema,
        validUntil: z.string().nullable(),
        notes: z.string(),
        depositMinor: z.number(),
        depositPaidMinor: z.number(),
        approvedName: z.string().nullable(),
        approvedAt: z.date().nullable(),
        changeRequest: z.string().nullable(),
        expired: z.boolean(),
      })
      .strict(),
  })
  .strict();

const portalInvoiceSchema = z
  .object({
    type: z.literal("invoice"),
    shop: portalShopSchema,
    invoice: z
      .object({
        kind: invoiceKindSchema,
        number: z.string().nullable(),
        status: invoiceStatusSchema,
        currency: z.string(),
        issueDate: z.string().nullable(),
        dueDate: z.string().nullable(),
        seller: partySchema.nullable(),
        buyer: partySchema.nullable(),
        lines: z.array(lineSchema),
        totals: totalsSchema,
        notes: z.string(),
        voidReason: z.string().nullable(),
        balance: balanceSchema,
        payments: z.array(
          z
            .object({
              kind: paymentKindSchema,
              amountMinor: z.number(),
              method: paymentMethodSchema,
              receivedAt: z.date().nullable(),
            })
            .strict(),
        ),
      })
      .strict(),
  })
  .strict();

const portalProofSchema = z
  .object({
    type: z.literal("proof"),
    shop: portalShopSchema,
    proof: z
      .object({
        jobTitle: z.string(),
        version: z.number(),
        status: proofStatusSchema,
        comment: z.string().nullable(),
        decidedName: z.string().nullable(),
        decidedAt: z.date().nullable(),
        fileName: z.string(),
        contentType: z.string(),
      })
      .strict(),
  })
  .strict();

const portalViewSchema = z.discriminatedUnion("type", [
  portalEstimateSchema,
  portalInvoiceSchema,
  portalProofSchema,
]);

const agingAmountSchema = z.object({ minor: z.number(), count: z.number() }).strict();

const agingReportSchema = z
  .object({
    asOf: z.string(),
    currencies: z.array(
      z
        .object({
          currency: z.string(),
          buckets: z
            .object({
              current: agingAmountSchema,
              "1-30": agingAmountSchema,
              "31-60": agingAmountSchema,
              "61-90": agingAmountSchema,
              "90+": agingAmountSchema,
            })
            .strict(),
        })
        .strict(),
    ),
  })
  .strict();

const revenueRowSchema = z
  .object({ month: z.string(), currency: z.string(), invoicedMinor: z.number(), receivedMinor: z.number() })
  .strict();

const csvExportSchema = z.object({ fileName: z.string(), csv: z.string() }).strict();

const proofViewSchema = z
  .object({
    id: z.string(),
    version: z.number(),
    status: proofStatusSchema,
    comment: z.string().nullable(),
    decidedName: z.string().nullable(),
    decidedAt: z.date().nullable(),
    overrideReason: z.string().nullable(),
    overrideAt: z.date().nullable(),
    fileName: z.string(),
    contentType: z.string(),
    createdAt: z.date(),
  })
  .strict();

const accountDocumentsSchema = z
  .object({
    verified: z.boolean(),
    estimates: z.array(
      z
        .object({
          id: z.string(),
          status: estimateStatusSchema,
          currency: z.string(),
          updatedAt: z.date(),
          title: z.string(),
          shopName: z.string(),
          totalMinor: z.number(),
        })
        .strict(),
    ),
    invoices: z.array(
      z
        .object({
          id: z.string(),
          kind: invoiceKindSchema,
          number: z.string().nullable(),
          status: invoiceStatusSchema,
          currency: z.string(),
          totalMinor: z.number(),
          dueMinor: z.number(),
          issueDate: z.string().nullable(),
          dueDate: z.string().nullable(),
          shopName: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

/** A document sent by email: to whom, and the portal link's path. */
const sentSchema = z.object({ sentTo: z.string(), portalPath: z.string() }).strict();

/** A PDF, base64 (the resource route sends it as an attachment). */
const pdfSchema = z.object({ fileName: z.string(), base64: z.string() }).strict();

export const settingsGetOutput = billingSettingsSchema;
export const settingsUpdateOutput = billingSettingsSchema;

export const estimatesListOutput = z.array(estimateSummarySchema);
export const estimatesGetOutput = estimateDetailSchema;
export const estimatesCreateOutput = estimateDetailSchema;
export const estimatesSendOutput = sentSchema;
export const estimatesReviseOutput = estimateDetailSchema;

export const invoicesListOutput = z.array(invoiceSummarySchema);
export const invoicesGetOutput = invoiceDetailSchema;
export const invoicesCreateOutput = invoiceDetailSchema;
export const invoicesFromEstimateOutput = invoiceDetailSchema;
export const invoicesUpdateDraftOutput = invoiceDetailSchema;
export const invoicesIssueOutput = invoiceDetailSchema;
export const invoicesVoidOutput = invoiceDetailSchema;
export const invoicesCreditNoteOutput = invoiceDetailSchema;
export const invoicesSendOutput = sentSchema;
export const invoicesPdfOutput = pdfSchema;

export const paymentsRecordOutput = z.object({ id: z.string(), dueMinor: z.number() }).strict();
export const paymentsRefundOutput = z.object({ id: z.string(), leftMinor: z.number() }).strict();

export const portalViewOutput = portalViewSchema;
export const portalApproveOutput = portalViewSchema;
export const portalRequestChangesOutput = portalViewSchema;
export const portalDecideProofOutput = portalViewSchema;
export const portalPdfOutput = pdfSchema;
export const portalPayOutput = z.object({ url: z.string() }).strict();

export const reportsAgingOutput = agingReportSchema;
export const reportsRevenueOutput = z.array(revenueRowSchema);
export const reportsExportCsvOutput = csvExportSchema;

export const accountDocumentsOutput = accountDocumentsSchema;
export const accountOpenOutput = z.object({ portalPath: z.string() }).strict();

export const proofsListOutput = z.array(proofViewSchema);
export const proofsAddOutput = z.object({ id: z.string(), version: z.number() }).strict();
export const proofsSendOutput = sentSchema;
export const proofsOverrideOutput = z.object({ proofId: z.string() }).strict();

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
export type OutputChecks = [
  Expect<Same<z.output<typeof taxRateSchema>, BillingTaxRate>>,
  Expect<Same<z.output<typeof billingSettingsSchema>, BillingSettings>>,
  Expect<Same<z.output<typeof lineSchema>, BillingLine>>,
  Expect<Same<z.output<typeof percentOrAmountSchema>, BillingDiscount>>,
  Expect<Same<z.output<typeof percentOrAmountSchema>, BillingDeposit>>,
  Expect<Same<z.output<typeof taxLineSchema>, BillingTaxLine>>,
  Expect<Same<z.output<typeof totalsSchema>, BillingTotals>>,
  Expect<Same<z.output<typeof partySchema>, BillingParty>>,
  Expect<Same<z.output<typeof balanceSchema>, Balance>>,
  Expect<Same<z.output<typeof estimateDetailSchema>, EstimateDetail>>,
  Expect<Same<z.output<typeof estimateSummarySchema>, EstimateSummary>>,
  Expect<Same<z.output<typeof invoiceSummarySchema>, InvoiceSummary>>,
  Expect<Same<z.output<typeof invoiceDetailSchema>, InvoiceDetail>>,
  Expect<Same<z.output<typeof portalEstimateSchema>, PortalOf<"estimate">>>,
  Expect<Same<z.output<typeof portalInvoiceSchema>, PortalOf<"invoice">>>,
  Expect<Same<z.output<typeof portalProofSchema>, PortalOf<"proof">>>,
  Expect<Same<z.output<typeof agingReportSchema>, AgingReport>>,
  Expect<Same<z.output<typeof revenueRowSchema>, RevenueRow>>,
  Expect<Same<z.output<typeof csvExportSchema>, CsvExport>>,
  Expect<Same<z.output<typeof proofViewSchema>, ProofView>>,
  Expect<Same<z.output<typeof accountDocumentsSchema>, AccountDocuments>>,
];
