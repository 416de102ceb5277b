// Draft invoices: from a job, from an approved estimate, edited while still a draft.

import { type InvoiceTerms, newId, recordAudit } from "@ktizo/db";
import type { z } from "zod";
import { conflict, type Executor, inTransaction, type MemberActor, notFound } from "../kernel/index.ts";
import {
  documentColumns,
  jobItemLines,
  type ResolvedDocument,
  resolveDocument,
  totalsOf,
} from "./document.ts";
import {
  type createInvoiceInput,
  type invoiceFromEstimateInput,
  TERMS_DAYS,
  type updateDraftInput,
} from "./invoice-inputs.ts";
import { getInvoice } from "./invoice-views.ts";
import { getBillingSettings } from "./settings.ts";

function termsDaysOf(terms: InvoiceTerms, custom: number | undefined, fallback: number): number {
  return terms === "custom" ? (custom ?? fallback) : TERMS_DAYS[terms];
}

function defaultTerms(days: number): InvoiceTerms {
  const named = Object.entries(TERMS_DAYS).find(([, d]) => d === days);
  return (named?.[0] as InvoiceTerms | undefined) ?? "custom";
}

async function jobOf(trx: Executor, organizationId: string, jobId: string) {
  const job = await trx
    .selectFrom("job")
    .innerJoin("customer", "customer.id", "job.customerId")
    .select(["job.id", "job.currency", "job.customerId", "customer.email"])
    .where("job.id", "=", jobId)
    .where("job.organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  return job;
}

/** A new draft invoice; `actor.userId` null when Ktizo makes it (a marketplace order's receipt). */
export async function insertDraft(
  trx: Executor,
  actor: { organizationId: string; userId: string | null },
  base: {
    jobId: string;
    estimateId: string | null;
    customerId: string;
    currency: string;
    email: string | null;
  },
  doc: ResolvedDocument,
  terms: { terms?: InvoiceTerms; termsDays?: number; recipientEmail?: string | null },
  now: Date,
): Promise<string> {
  const settings = await getBillingSettings(trx, actor.organizationId);
  const chosen = terms.terms ?? defaultTerms(settings.defaultTermsDays);
  const totals = totalsOf(doc, null);
  const id = newId("inv");
  await trx
    .insertInto("invoice")
    .values({
      id,
      organizationId: actor.organizationId,
      jobId: base.jobId,
      estimateId: base.estimateId,
      customerId: base.customerId,
      currency: base.currency,
      terms: chosen,
      termsDays: termsDaysOf(chosen, terms.termsDays, settings.defaultTermsDays),
      ...documentColumns(doc, totals),
      recipientEmail: terms.recipientEmail === undefined ? base.email : terms.recipientEmail,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  await recordAudit(trx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "billing.invoice.drafted",
    subjectType: "invoice",
    subjectId: id,
    data: { jobId: base.jobId, estimateId: base.estimateId, totalMinor: totals.totalMinor },
  });
  return id;
}

/** A draft invoice straight from a job: its line items (priced as the job prices them) or the lines given. */
export async function createInvoice(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof createInvoiceInput>,
  now: Date,
) {
  const id = await inTransaction(db, async (trx) => {
    const job = await jobOf(trx, actor.organizationId, input.jobId);
    const lines = input.lines ?? (await jobItemLines(trx, job.id));
    if (lines.length === 0)
      throw conflict("The job has no line items: add lines", { lines: "Add at least one line" });
    const settings = await getBillingSettings(trx, actor.organizationId);
    const doc = await resolveDocument(
      trx,
      { organizationId: actor.organizationId, jobId: job.id },
      settings.taxRates,
      {
        ...input,
        lines,
      },
    );
    return insertDraft(
      trx,
      actor,
      {
        jobId: job.id,
        estimateId: null,
        customerId: job.customerId,
        currency: job.currency,
        email: job.email,
      },
      doc,
      input,
      now,
    );
  });
  return getInvoice(db, actor.organizationId, id, now);
}

/** A draft invoice of the approved version of an estimate, as the customer approved it. */
export async function invoiceFromEstimate(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof invoiceFromEstimateInput>,
  now: Date,
) {
  const id = await inTransaction(db, async (trx) => {
    const estimate = await trx
      .selectFrom("estimate")
      .select(["id", "jobId", "status", "approvedVersion"])
      .where("id", "=", input.estimateId)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!estimate) throw notFound("Estimate not found");
    if (estimate.status !== "approved" || estimate.approvedVersion === null) {
      throw conflict("Only an approved estimate can be invoiced; invoice the job instead");
    }
    const open = await trx
      .selectFrom("invoice")
      .select("id")
      .where("estimateId", "=", estimate.id)
      .where("kind", "=", "invoice")
      .where("status", "<>", "void")
      .executeTakeFirst();
    if (open) throw conflict("This estimate already has an invoice");
    const version = await trx
      .selectFrom("estimateVersion")
      .selectAll()
      .where("estimateId", "=", estimate.id)
      .where("version", "=", estimate.approvedVersion)
      .executeTakeFirstOrThrow();
    const job = await jobOf(trx, actor.organizationId, estimate.jobId);
    return insertDraft(
      trx,
      actor,
      {
        jobId: job.id,
        estimateId: estimate.id,
        customerId: job.customerId,
        currency: job.currency,
        email: job.email,
      },
      {
        lines: version.lines,
        discount: version.discount,
        shippingMinor: version.shippingMinor,
        shippingTaxRateBps: version.shippingTaxRateBps,
        notes: version.notes,
      },
      input,
      now,
    );
  });
  return getInvoice(db, actor.organizationId, id, now);
}

export async function lockDraft(trx: Executor, organizationId: string, id: string) {
  const invoice = await trx
    .selectFrom("invoice")
    .selectAll()
    .where("id", "=", id)
    .where("organizationId", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!invoice) throw notFound("Invoice not found");
  if (invoice.status !== "draft") {
    throw conflict("An issued invoice cannot be changed: issue a credit note or void it with a reason");
  }
  return invoice;
}

export async function updateDraft(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof updateDraftInput>,
  now: Date,
) {
  await inTransaction(db, async (trx) => {
    const invoice = await lockDraft(trx, actor.organizationId, input.id);
    const settings = await getBillingSettings(trx, actor.organizationId);
    const set: Record<string, unknown> = { updatedAt: now };
    if (input.lines) {
      const doc = await resolveDocument(
        trx,
        { organizationId: actor.organizationId, jobId: invoice.jobId },
        settings.taxRates,
        {
          lines: input.lines,
          discount: input.discount ?? null,
          shippingMinor: input.shippingMinor ?? 0,
          shippingTaxRateId: input.shippingTaxRateId ?? null,
          notes: input.notes ?? invoice.notes,
        },
      );
      const totals = totalsOf(doc, null);
      Object.assign(set, documentColumns(doc, totals));
    } else if (input.notes !== undefined) {
      set.notes = input.notes;
    }
    if (input.terms) {
      set.terms = input.terms;
      set.termsDays = termsDaysOf(input.terms, input.termsDays, invoice.termsDays);
    }
    if (input.recipientEmail !== undefined) set.recipientEmail = input.recipientEmail;
    await trx.updateTable("invoice").set(set).where("id", "=", invoice.id).execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.invoice.draft_updated",
      subjectType: "invoice",
      subjectId: invoice.id,
      data: { fields: Object.keys(input).filter((k) => k !== "id") },
    });
  });
  return getInvoice(db, actor.organizationId, input.id, now);
}
