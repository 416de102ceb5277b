import { z } from "zod";
import { idSchema } from "../shop/common.ts";
import { orgProcedure, router } from "../trpc.ts";
import {
  createEstimate,
  createEstimateInput,
  getEstimate,
  listEstimates,
  listEstimatesInput,
  reviseEstimate,
  reviseEstimateInput,
} from "./estimates.ts";
import {
  createCreditNote,
  createInvoice,
  createInvoiceInput,
  creditNoteInput,
  getInvoice,
  invoiceFromEstimate,
  invoiceFromEstimateInput,
  issueInvoice,
  issueInvoiceInput,
  listInvoices,
  listInvoicesInput,
  updateDraft,
  updateDraftInput,
  voidInvoice,
  voidInvoiceInput,
} from "./invoices.ts";
import { invoicePdfFile } from "./pdf.ts";
import { getBillingSettings, updateBillingSettings, updateBillingSettingsInput } from "./settings.ts";

const member = orgProcedure("member");
const admin = orgProcedure("admin");
const byId = z.object({ id: idSchema });
const actorOf = (ctx: { org: { id: string }; session: { userId: string } }) => ({
  organizationId: ctx.org.id,
  userId: ctx.session.userId,
});

/** Getting paid for shop work: estimates, invoices, payments (issue 12). */
export const billingRouter = router({
  settings: router({
    get: member.input(z.object({})).query(({ ctx }) => getBillingSettings(ctx.db, ctx.org.id)),
    /** Tax rates, numbering, terms, reminders and retention are the shop's policy: admins and owners. */
    update: admin
      .input(updateBillingSettingsInput)
      .mutation(({ ctx, input }) => updateBillingSettings(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  estimates: router({
    list: member
      .input(listEstimatesInput)
      .query(({ ctx, input }) => listEstimates(ctx.db, ctx.org.id, input)),
    get: member.input(byId).query(({ ctx, input }) => getEstimate(ctx.db, ctx.org.id, input.id)),
    create: member
      .input(createEstimateInput)
      .mutation(({ ctx, input }) => createEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    revise: member
      .input(reviseEstimateInput)
      .mutation(({ ctx, input }) => reviseEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
  }),
  invoices: router({
    list: member
      .input(listInvoicesInput)
      .query(({ ctx, input }) => listInvoices(ctx.db, ctx.org.id, input, ctx.clock.now())),
    get: member
      .input(byId)
      .query(({ ctx, input }) => getInvoice(ctx.db, ctx.org.id, input.id, ctx.clock.now())),
    create: member
      .input(createInvoiceInput)
      .mutation(({ ctx, input }) => createInvoice(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    fromEstimate: member
      .input(invoiceFromEstimateInput)
      .mutation(({ ctx, input }) => invoiceFromEstimate(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    updateDraft: member
      .input(updateDraftInput)
      .mutation(({ ctx, input }) => updateDraft(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    issue: member
      .input(issueInvoiceInput)
      .mutation(({ ctx, input }) => issueInvoice(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    /** Voiding and crediting undo money owed: admins and owners. */
    void: admin
      .input(voidInvoiceInput)
      .mutation(({ ctx, input }) => voidInvoice(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    creditNote: admin
      .input(creditNoteInput)
      .mutation(({ ctx, input }) => createCreditNote(ctx.db, actorOf(ctx), input, ctx.clock.now())),
    /** The PDF, base64 (the resource route sends it as an attachment). */
    pdf: member.input(byId).query(async ({ ctx, input }) => {
      const view = await getInvoice(ctx.db, ctx.org.id, input.id, ctx.clock.now());
      const file = await invoicePdfFile(ctx.db, ctx.services.storage, view);
      return { fileName: file.fileName, base64: Buffer.from(file.bytes).toString("base64") };
    }),
  }),
});
