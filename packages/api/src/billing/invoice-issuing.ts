// Issuing an invoice, voiding it, and credit notes against it.

import { type BillingLine, newId, recordAudit } from "@ktizo/db";
import type { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  inTransaction,
  type MemberActor,
  notFound,
} from "../kernel/index.ts";
import { invoiceBalance } from "./balance.ts";
import {
  addDays,
  documentColumns,
  isoDay,
  type ResolvedDocument,
  resolveDocument,
  totalsOf,
} from "./document.ts";
import { lockDraft } from "./invoice-drafts.ts";
import type { creditNoteInput, issueInvoiceInput, voidInvoiceInput } from "./invoice-inputs.ts";
import { formatNumber, nextNumber, retainUntil } from "./invoice-numbers.ts";
import { buyerOf, sellerOf } from "./invoice-parties.ts";
import { creditedOf, getInvoice, ledgerOf } from "./invoice-views.ts";
import { getBillingSettings } from "./settings.ts";

/** Issues a draft: number, dates, the parties' details; from then on the database refuses changes. */
export async function issueInvoice(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof issueInvoiceInput>,
  now: Date,
) {
  await inTransaction(db, async (trx) => {
    const invoice = await lockDraft(trx, actor.organizationId, input.id);
    if (invoice.kind !== "invoice") throw conflict("Credit notes are issued when they are made");
    if (invoice.totalMinor <= 0)
      throw badRequest("An invoice of nothing cannot be issued", { lines: "Add a priced line" });
    const settings = await getBillingSettings(trx, actor.organizationId);
    const issueDate = input.issueDate ?? isoDay(now);
    const year = Number(issueDate.slice(0, 4));
    const seller = await sellerOf(trx, actor.organizationId, settings.taxId);
    const buyer = await buyerOf(trx, invoice.customerId);
    const n = await nextNumber(trx, actor.organizationId, "invoice", year);
    const number = formatNumber(settings.invoicePrefix, year, n);
    await trx
      .updateTable("invoice")
      .set({
        status: "issued",
        number,
        issueDate,
        dueDate: addDays(issueDate, invoice.termsDays),
        seller: JSON.stringify(seller),
        buyer: JSON.stringify(buyer),
        retainUntil: retainUntil(issueDate, settings.retentionYears),
        updatedAt: now,
      })
      .where("id", "=", invoice.id)
      .execute();
    // A deposit paid on the estimate counts toward the invoice made from it.
    if (invoice.estimateId) {
      await trx
        .updateTable("billingPayment")
        .set({ invoiceId: invoice.id })
        .where("estimateId", "=", invoice.estimateId)
        .where("invoiceId", "is", null)
        .execute();
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.invoice.issued",
      subjectType: "invoice",
      subjectId: invoice.id,
      data: { number, totalMinor: invoice.totalMinor },
    });
  });
  return getInvoice(db, actor.organizationId, input.id, now);
}

/** Void with a reason: the number stays used (no gap), the invoice is no longer owed. */
export async function voidInvoice(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof voidInvoiceInput>,
  now: Date,
) {
  await inTransaction(db, async (trx) => {
    const invoice = await trx
      .selectFrom("invoice")
      .select(["id", "status", "kind", "number", "totalMinor"])
      .where("id", "=", input.id)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) throw notFound("Invoice not found");
    if (invoice.status !== "issued") {
      throw conflict(
        invoice.status === "void" ? "The invoice is already void" : "A draft is not issued: edit it instead",
      );
    }
    const entries = await ledgerOf(trx, invoice.id);
    const b = invoiceBalance(invoice.totalMinor, 0, entries);
    if (b.paidMinor - b.refundedMinor > 0) {
      throw conflict("Money was paid on this invoice: refund it or issue a credit note instead of voiding");
    }
    await trx
      .updateTable("invoice")
      .set({ status: "void", voidReason: input.reason, voidedAt: now, updatedAt: now })
      .where("id", "=", invoice.id)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.invoice.voided",
      subjectType: "invoice",
      subjectId: invoice.id,
      data: { number: invoice.number, reason: input.reason },
    });
  });
  return getInvoice(db, actor.organizationId, input.id, now);
}

/** A credit note against an issued invoice, issued at once with its own number (CN-2026-0001). */
export async function createCreditNote(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof creditNoteInput>,
  now: Date,
) {
  const id = await inTransaction(db, async (trx) => {
    const invoice = await trx
      .selectFrom("invoice")
      .selectAll()
      .where("id", "=", input.invoiceId)
      .where("organizationId", "=", actor.organizationId)
      .where("kind", "=", "invoice")
      .forUpdate()
      .executeTakeFirst();
    if (!invoice) throw notFound("Invoice not found");
    if (invoice.status !== "issued" || !invoice.seller || !invoice.buyer) {
      throw conflict("Only an issued invoice can be credited");
    }
    const credited = await creditedOf(trx, invoice.id);
    const settings = await getBillingSettings(trx, actor.organizationId);
    let lines: BillingLine[];
    let doc: ResolvedDocument;
    if (input.lines) {
      doc = await resolveDocument(
        trx,
        { organizationId: actor.organizationId, jobId: invoice.jobId },
        settings.taxRates,
        {
          lines: input.lines,
          discount: null,
          shippingMinor: 0,
          shippingTaxRateId: null,
          notes: input.reason,
        },
      );
      lines = doc.lines;
    } else {
      if (credited > 0)
        throw badRequest("Part is already credited: list the lines to credit", { lines: "Add lines" });
      lines = invoice.lines;
      doc = {
        lines,
        discount: invoice.discount,
        shippingMinor: invoice.shippingMinor,
        shippingTaxRateBps: invoice.shippingTaxRateBps,
        notes: input.reason,
      };
    }
    const totals = totalsOf(doc, null);
    if (totals.totalMinor <= 0) throw badRequest("A credit note of nothing", { lines: "Add a priced line" });
    if (credited + totals.totalMinor > invoice.totalMinor) {
      throw badRequest("The credit is more than is left to credit on the invoice", {
        lines: "Lower the amounts",
      });
    }
    const issueDate = isoDay(now);
    const year = Number(issueDate.slice(0, 4));
    const n = await nextNumber(trx, actor.organizationId, "credit_note", year);
    const cnId = newId("inv");
    await trx
      .insertInto("invoice")
      .values({
        id: cnId,
        organizationId: actor.organizationId,
        kind: "credit_note",
        jobId: invoice.jobId,
        customerId: invoice.customerId,
        creditedInvoiceId: invoice.id,
        status: "issued",
        number: formatNumber(settings.creditNotePrefix, year, n),
        currency: invoice.currency,
        issueDate,
        dueDate: issueDate,
        terms: "due_on_receipt",
        termsDays: 0,
        seller: JSON.stringify(invoice.seller),
        buyer: JSON.stringify(invoice.buyer),
        ...documentColumns(doc, totals),
        recipientEmail: invoice.recipientEmail,
        retainUntil: retainUntil(issueDate, settings.retentionYears),
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.credit_note.issued",
      subjectType: "invoice",
      subjectId: cnId,
      data: { invoiceId: invoice.id, totalMinor: totals.totalMinor, reason: input.reason },
    });
    return cnId;
  });
  return getInvoice(db, actor.organizationId, id, now);
}
