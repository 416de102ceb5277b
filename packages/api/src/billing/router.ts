import { z } from "zod";
import { enforceRateLimit, idSchema } from "../kernel/index.ts";
import { orgProcedure, publicProcedure, router, signedInProcedure } from "../trpc.ts";
import { listAccountDocuments, openAccountDocument, openDocumentInput } from "./account-documents.ts";
import {
  createEstimate,
  createEstimateInput,
  getEstimate,
  listEstimates,
  listEstimatesInput,
  reviseEstimate,
  reviseEstimateInput,
} from "./estimates.ts";
import { createInvoice, invoiceFromEstimate, updateDraft } from "./invoice-drafts.ts";
import {
  createInvoiceInput,
  creditNoteInput,
  invoiceFromEstimateInput,
  issueInvoiceInput,
  listInvoicesInput,
  updateDraftInput,
  voidInvoiceInput,
} from "./invoice-inputs.ts";
import { createCreditNote, issueInvoice, voidInvoice } from "./invoice-issuing.ts";
import { getInvoice, listInvoices } from "./invoice-views.ts";
import {
  accountDocumentsOutput,
  accountOpenOutput,
  estimatesCreateOutput,
  estimatesGetOutput,
  estimatesListOutput,
  estimatesReviseOutput,
  estimatesSendOutput,
  invoicesCreateOutput,
  invoicesCreditNoteOutput,
  invoicesFromEstimateOutput,
  invoicesGetOutput,
  invoicesIssueOutput,
  invoicesListOutput,
  invoicesPdfOutput,
  invoicesSendOutput,
  invoicesUpdateDraftOutput,
  invoicesVoidOutput,
  paymentsRecordOutput,
  paymentsRefundOutput,
  portalApproveOutput,
  portalDecideProofOutput,
  portalPayOutput,
  portalPdfOutput,
  portalRequestChangesOutput,
  portalViewOutput,
  proofsAddOutput,
  proofsListOutput,
  proofsOverrideOutput,
  proofsSendOutput,
  reportsAgingOutput,
  reportsExportCsvOutput,
  reportsRevenueOutput,
  settingsGetOutput,
  settingsUpdateOutput,
} from "./outputs.ts";
import { recordManualPayment, recordPaymentInput, refundInput, refundPayment } from "./payments.ts";
import { invoicePdfFile } from "./pdf.ts";
import {
  approveEstimate,
  approveEstimateInput,
  portalCheckout,
  portalDecideProof,
  portalDecideProofInput,
  portalPdf,
  portalTokenInput,
  portalView,
  requestChangesInput,
  requestEstimateChanges,
} from "./portal.ts";
import { addProof, addProofInput, listProofs, overrideProof, overrideProofInput } from "./proofs.ts";
import {
  agingInput,
  agingReport,
  exportInput,
  exportInvoicesCsv,
  revenueInput,
  revenueReport,
} from "./reports.ts";
import { sendDocumentInput, sendEstimate, sendInvoice, sendProof } from "./sending.ts";
import { getBillingSettings, updateBillingSettings, updateBillingSettingsInput } from "./settings.ts";

const member = orgProcedure("member");
const admin = orgProcedure("admin");
const byId = z.object({ id: idSchema });
/**
 * The customer portal: anyone holding a document's link, no account. The link is the credential
 * (scoped to one document, expiring); each request counts against a per-link, per-IP limit.
 */
const portal = publicProcedure.use(async ({ ctx, getRawInput, next }) => {
  const token = ((await getRawInput()) as { token?: unknown } | undefined)?.token;
  await enforceRateLimit(
    ctx.db,
    "billingPortal",
    [String(token ?? "").slice(0, 16), ctx.clientIp],
    ctx.clock.now(),
  );
  return next();
});

const actorOf = (ctx: { org: { id: string }; session: { userId: string } }) => ({
  organizationId: ctx.org.id,
  userId: ctx.session.userId,
});

/** Getting paid for shop work: estimates, invoices, payments (issue 12). */
export const billingRouter = router({
  settings: router({
    get: member
      .input(z.object({}))
      .output(settingsGetOutput)
      .query(({ ctx }) => getBillingSettings(ctx.db, ctx.org.id)),
    /** Tax rates, numbering, terms, reminders and retention are the shop's policy: admins and owners. */
    update: admin
      .input(updateBillingSettingsInput)
      .output(settingsUpdateOutput)
      .mutation(({ ctx, input }) => updateBillingSettings(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  estimates: router({
    list: member
      .input(listEstimatesInput)
      .output(estimatesListOutput)
      .query(({ ctx, input }) => listEstimates(ctx.db, ctx.org.id, input)),
    get: member
      .input(byId)
      .output(estimatesGetOutput)
      .query(({ ctx, input }) => getEstimate(ctx.db, ctx.org.id, input.id)),
    create: member
      .input(createEstimateInput)
      .output(estimatesCreateOutput)
      .mutation(({ ctx, input }) => createEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    /** Emails the customer a portal link to view, approve or ask for changes. */
    send: member
      .input(sendDocumentInput)
      .output(estimatesSendOutput)
      .mutation(({ ctx, input }) =>
        sendEstimate(ctx.db, ctx.services.mail, actorOf(ctx), input, ctx.clock.now()),
      ),
    revise: member
      .input(reviseEstimateInput)
      .output(estimatesReviseOutput)
      .mutation(({ ctx, input }) => reviseEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  invoices: router({
    list: member
      .input(listInvoicesInput)
      .output(invoicesListOutput)
      .query(({ ctx, input }) => listInvoices(ctx.db, ctx.org.id, input, ctx.clock.now())),
    get: member
      .input(byId)
      .output(invoicesGetOutput)
      .query(({ ctx, input }) => getInvoice(ctx.db, ctx.org.id, input.id, ctx.clock.now())),
    create: member
      .input(createInvoiceInput)
      .output(invoicesCreateOutput)
      .mutation(({ ctx, input }) => createInvoice(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    fromEstimate: member
      .input(invoiceFromEstimateInput)
      .output(invoicesFromEstimateOutput)
      .mutation(({ ctx, input }) => invoiceFromEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    updateDraft: member
      .input(updateDraftInput)
      .output(invoicesUpdateDraftOutput)
      .mutation(({ ctx, input }) => updateDraft(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    issue: member
      .input(issueInvoiceInput)
      .output(invoicesIssueOutput)
      .mutation(({ ctx, input }) => issueInvoice(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    /** Voiding and crediting undo money owed: admins and owners. */
    void: admin
      .input(voidInvoiceInput)
      .output(invoicesVoidOutput)
      .mutation(({ ctx, input }) => voidInvoice(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    creditNote: admin
      .input(creditNoteInput)
      .output(invoicesCreditNoteOutput)
      .mutation(({ ctx, input }) => createCreditNote(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    send: member
      .input(sendDocumentInput)
      .output(invoicesSendOutput)
      .mutation(({ ctx, input }) => sendInvoice(ctx.db, ctx.services, actorOf(ctx), input, ctx.clock.now())),
    /** The PDF, base64 (the resource route sends it as an attachment). */
    pdf: member
      .input(byId)
      .output(invoicesPdfOutput)
      .query(async ({ ctx, input }) => {
        const view = await getInvoice(ctx.db, ctx.org.id, input.id, ctx.clock.now());
        const file = await invoicePdfFile(ctx.db, ctx.services.storage, view);
        return { fileName: file.fileName, base64: Buffer.from(file.bytes).toString("base64") };
      }),
  }),
  payments: router({
    /** Cash, bank transfer, check: recorded by anyone who works the job. */
    record: member
      .input(recordPaymentInput)
      .output(paymentsRecordOutput)
      .mutation(({ ctx, input }) => recordManualPayment(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    /** Money back out: admins and owners. */
    refund: admin
      .input(refundInput)
      .output(paymentsRefundOutput)
      .mutation(({ ctx, input }) =>
        refundPayment(ctx.db, ctx.services.payments, actorOf(ctx), input, ctx.clock.now()),
      ),
  }),
  portal: router({
    view: portal
      .input(portalTokenInput)
      .output(portalViewOutput)
      .query(({ ctx, input }) => portalView(ctx.db, input.token, ctx.clock.now())),
    approve: portal
      .input(approveEstimateInput)
      .output(portalApproveOutput)
      .mutation(({ ctx, input }) =>
        approveEstimate(
          ctx.db,
          input,
          { ip: ctx.clientIp, userAgent: ctx.headers.get("user-agent") ?? "" },
          ctx.clock.now(),
        ),
      ),
    requestChanges: portal
      .input(requestChangesInput)
      .output(portalRequestChangesOutput)
      .mutation(({ ctx, input }) => requestEstimateChanges(ctx.db, input, ctx.clock.now())),
    decideProof: portal
      .input(portalDecideProofInput)
      .output(portalDecideProofOutput)
      .mutation(({ ctx, input }) =>
        portalDecideProof(
          ctx.db,
          input,
          { ip: ctx.clientIp, userAgent: ctx.headers.get("user-agent") ?? "" },
          ctx.clock.now(),
        ),
      ),
    pdf: portal
      .input(portalTokenInput)
      .output(portalPdfOutput)
      .query(async ({ ctx, input }) => {
        const file = await portalPdf(ctx.db, ctx.services.storage, input.token, ctx.clock.now());
        return { fileName: file.fileName, base64: Buffer.from(file.bytes).toString("base64") };
      }),
    pay: portal
      .input(portalTokenInput)
      .output(portalPayOutput)
      .mutation(({ ctx, input }) =>
        portalCheckout(ctx.db, ctx.services.payments, input.token, ctx.baseUrl, ctx.clock.now()),
      ),
  }),
  /** The signed-in customer's own estimates and invoices (their verified email), across shops. */
  account: router({
    documents: signedInProcedure
      .input(z.object({}))
      .output(accountDocumentsOutput)
      .query(({ ctx }) => listAccountDocuments(ctx.db, ctx.session.userId, ctx.clock.now())),
    /** A fresh portal link to one of them. */
    open: signedInProcedure
      .input(openDocumentInput)
      .output(accountOpenOutput)
      .mutation(({ ctx, input }) => openAccountDocument(ctx.db, ctx.session.userId, input, ctx.clock.now())),
  }),
  reports: router({
    aging: member
      .input(agingInput)
      .output(reportsAgingOutput)
      .query(({ ctx, input }) => agingReport(ctx.db, ctx.org.id, input, ctx.clock.now())),
    revenue: member
      .input(revenueInput)
      .output(reportsRevenueOutput)
      .query(({ ctx, input }) => revenueReport(ctx.db, ctx.org.id, input)),
    exportCsv: member
      .input(exportInput)
      .output(reportsExportCsvOutput)
      .query(({ ctx, input }) => exportInvoicesCsv(ctx.db, ctx.org.id, input, ctx.clock.now())),
  }),
  proofs: router({
    list: member
      .input(z.object({ jobId: idSchema }))
      .output(proofsListOutput)
      .query(({ ctx, input }) => listProofs(ctx.db, ctx.org.id, input.jobId)),
    add: member
      .input(addProofInput)
      .output(proofsAddOutput)
      .mutation(({ ctx, input }) => addProof(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    send: member
      .input(sendDocumentInput)
      .output(proofsSendOutput)
      .mutation(({ ctx, input }) =>
        sendProof(ctx.db, ctx.services.mail, actorOf(ctx), input, ctx.clock.now()),
      ),
    /** Printing without the customer's approval: owners and admins, with a reason (audited). */
    override: admin
      .input(overrideProofInput)
      .output(proofsOverrideOutput)
      .mutation(({ ctx, input }) => overrideProof(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
});
