import {
  type BillingLine,
  type BillingParty,
  type CustomerAddress,
  type InvoiceKind,
  type InvoiceTerms,
  newId,
  recordAudit,
} from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  likePattern,
  type MemberActor,
  notFound,
  searchSchema,
} from "../kernel/index.ts";
import { invoiceBalance, invoiceStatus } from "./balance.ts";
import {
  addDays,
  documentColumns,
  documentFieldsInput,
  isoDay,
  isoDayInput,
  jobItemLines,
  type ResolvedDocument,
  resolveDocument,
  totalsOf,
} from "./document.ts";
import { getBillingSettings } from "./settings.ts";

export const TERMS_DAYS: Record<Exclude<InvoiceTerms, "custom">, number> = {
  due_on_receipt: 0,
  net_15: 15,
  net_30: 30,
};

const termsInput = {
  terms: z
    .enum(["due_on_receipt", "net_15", "net_30", "custom"], { error: "Choose the payment terms" })
    .optional(),
  /** Days to pay with custom terms. */
  termsDays: z.number().int().min(0).max(365, "At most 365 days").optional(),
  recipientEmail: z
    .string()
    .trim()
    .toLowerCase()
    .email("Not a valid email address")
    .max(254)
    .nullable()
    .optional(),
};

export const createInvoiceInput = documentFieldsInput
  .extend({ jobId: idSchema, lines: documentFieldsInput.shape.lines.optional(), ...termsInput })
  .strict();
export const invoiceFromEstimateInput = z.object({ estimateId: idSchema, ...termsInput }).strict();
export const updateDraftInput = documentFieldsInput
  .partial()
  .extend({ id: idSchema, ...termsInput })
  .strict();
export const issueInvoiceInput = z.object({ id: idSchema, issueDate: isoDayInput.optional() }).strict();
export const voidInvoiceInput = z
  .object({
    id: idSchema,
    reason: z.string().trim().min(3, "Say why it is void").max(500, "At most 500 characters"),
  })
  .strict();
export const creditNoteInput = z
  .object({
    invoiceId: idSchema,
    reason: z.string().trim().min(3, "Say what the credit is for").max(500, "At most 500 characters"),
    /** Left out: the whole remaining amount, as the invoice's lines. */
    lines: documentFieldsInput.shape.lines.optional(),
  })
  .strict();
export const listInvoicesInput = z.object({
  jobId: idSchema.optional(),
  customerId: idSchema.optional(),
  kind: z.enum(["invoice", "credit_note"]).optional(),
  status: z.enum(["draft", "sent", "viewed", "partly_paid", "paid", "overdue", "void"]).optional(),
  search: searchSchema,
  issuedFrom: isoDayInput.optional(),
  issuedTo: isoDayInput.optional(),
});

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

async function lockDraft(trx: Executor, organizationId: string, id: string) {
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

const addressLines = (a: CustomerAddress | undefined) =>
  a
    ? [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(" "), a.region].filter(
        (v): v is string => !!v,
      )
    : [];

/** The seller's details as an invoice must print them (legal name, address, tax id, logo). */
export async function sellerOf(
  trx: Executor,
  organizationId: string,
  taxId: string | null,
): Promise<BillingParty> {
  const p = await trx
    .selectFrom("organizationProfile")
    .leftJoin("shopSettings", "shopSettings.organizationId", "organizationProfile.organizationId")
    .select([
      "companyName",
      "phone",
      "addressLine1",
      "addressLine2",
      "city",
      "postalCode",
      "region",
      "country",
      "shopSettings.logoId",
    ])
    .where("organizationProfile.organizationId", "=", organizationId)
    .executeTakeFirstOrThrow();
  return {
    name: p.companyName,
    company: null,
    addressLines: [
      p.addressLine1,
      p.addressLine2,
      [p.postalCode, p.city].filter(Boolean).join(" "),
      p.region,
    ].filter((v): v is string => !!v),
    country: p.country,
    taxId,
    phone: p.phone,
    logoId: p.logoId ?? null,
  };
}

/**
 * The buyer as the invoice must show them: name, company and billing address. No email and no phone:
 * the record keeps only what an invoice needs (the email to send it to is kept apart).
 */
export async function buyerOf(trx: Executor, customerId: string | null): Promise<BillingParty> {
  const c = customerId
    ? await trx
        .selectFrom("customer")
        .select(["name", "company", "addresses"])
        .where("id", "=", customerId)
        .executeTakeFirst()
    : undefined;
  if (!c) throw conflict("The invoice has no customer");
  const billing = c.addresses.find((a) => /bill/i.test(a.label)) ?? c.addresses[0];
  return {
    name: c.name,
    company: c.company,
    addressLines: addressLines(billing),
    country: billing?.country ?? null,
    taxId: null,
    phone: null,
  };
}

/**
 * The next number of a shop's sequence, taken by updating its counter row inside the caller's
 * transaction: concurrent issuers queue on the row lock, and a rolled-back issue gives its number back,
 * so the sequence has no gaps and no duplicates.
 */
export async function nextNumber(
  trx: Executor,
  organizationId: string,
  kind: InvoiceKind,
  year: number,
): Promise<number> {
  const row = await trx
    .insertInto("billingCounter")
    .values({ organizationId, kind, year, lastValue: 1 })
    .onConflict((oc) =>
      oc
        .columns(["organizationId", "kind", "year"])
        .doUpdateSet({ lastValue: sql<number>`billing_counter.last_value + 1` }),
    )
    .returning("lastValue")
    .executeTakeFirstOrThrow();
  return row.lastValue;
}

/** Financial records are kept this long from their date (the shop's retention setting, default 10 years). */
export const retainUntil = (day: string, years: number) =>
  `${Number(day.slice(0, 4)) + years}${day.slice(4) === "-02-29" ? "-02-28" : day.slice(4)}`;

export const formatNumber = (prefix: string, year: number, n: number) =>
  `${prefix}-${year}-${String(n).padStart(4, "0")}`;

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

export async function ledgerOf(trx: Executor, invoiceId: string) {
  return trx
    .selectFrom("billingPayment")
    .select([
      "id",
      "kind",
      "status",
      "amountMinor",
      "method",
      "reference",
      "isDeposit",
      "receivedAt",
      "refundOf",
      "createdAt",
    ])
    .where("invoiceId", "=", invoiceId)
    .orderBy("createdAt")
    .execute();
}

export async function creditedOf(trx: Executor, invoiceId: string): Promise<number> {
  const r = await trx
    .selectFrom("invoice")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("totalMinor"), eb.lit(0)).as("s"))
    .where("creditedInvoiceId", "=", invoiceId)
    .where("status", "=", "issued")
    .executeTakeFirstOrThrow();
  return Number(r.s);
}

/** An invoice or credit note of the shop with its payments, credit notes, balance and status. */
export async function getInvoice(db: Executor, organizationId: string, id: string, now: Date) {
  const invoice = await db
    .selectFrom("invoice")
    .selectAll()
    .where("id", "=", id)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!invoice) throw notFound("Invoice not found");
  return invoiceView(db, invoice, now);
}

type InvoiceRow = Awaited<ReturnType<typeof loadInvoiceRow>>;
const loadInvoiceRow = (db: Executor, id: string) =>
  db.selectFrom("invoice").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** The view of an invoice row (shared by the shop's pages and the customer portal). */
export async function invoiceView(db: Executor, invoice: InvoiceRow, now: Date) {
  const payments = await ledgerOf(db, invoice.id);
  const creditNotes = await db
    .selectFrom("invoice")
    .select(["id", "number", "totalMinor", "issueDate", "notes", "status"])
    .where("creditedInvoiceId", "=", invoice.id)
    .orderBy("createdAt")
    .execute();
  const credited = creditNotes.filter((c) => c.status === "issued").reduce((s, c) => s + c.totalMinor, 0);
  const balance = invoiceBalance(invoice.totalMinor, invoice.kind === "invoice" ? credited : 0, payments);
  return {
    ...invoice,
    payments,
    creditNotes,
    balance,
    displayStatus: invoiceStatus(invoice, balance, isoDay(now)),
  };
}

/** The shop's invoices and credit notes, newest first, with balance and status. */
export async function listInvoices(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof listInvoicesInput>,
  now: Date,
) {
  let q = db
    .selectFrom("invoice")
    .leftJoin("customer", "customer.id", "invoice.customerId")
    .leftJoin("job", "job.id", "invoice.jobId")
    .select([
      "invoice.id",
      "invoice.kind",
      "invoice.number",
      "invoice.status",
      "invoice.currency",
      "invoice.issueDate",
      "invoice.dueDate",
      "invoice.totalMinor",
      "invoice.sentAt",
      "invoice.viewedAt",
      "invoice.jobId",
      "invoice.buyer",
      "invoice.createdAt",
      "customer.name as customerName",
      "job.number as jobNumber",
      (eb) =>
        eb
          .selectFrom("billingPayment")
          .select(
            sql<number>`coalesce(sum(case when kind = 'payment' then amount_minor else -amount_minor end), 0)`.as(
              "net",
            ),
          )
          .whereRef("billingPayment.invoiceId", "=", "invoice.id")
          .where("billingPayment.status", "=", "succeeded")
          .as("netPaidMinor"),
      (eb) =>
        eb
          .selectFrom("invoice as cn")
          .select(sql<number>`coalesce(sum(cn.total_minor), 0)`.as("c"))
          .whereRef("cn.creditedInvoiceId", "=", "invoice.id")
          .where("cn.status", "=", "issued")
          .as("creditedMinor"),
    ])
    .where("invoice.organizationId", "=", organizationId);
  if (input.jobId) q = q.where("invoice.jobId", "=", input.jobId);
  if (input.customerId) q = q.where("invoice.customerId", "=", input.customerId);
  if (input.kind) q = q.where("invoice.kind", "=", input.kind);
  if (input.issuedFrom) q = q.where("invoice.issueDate", ">=", input.issuedFrom);
  if (input.issuedTo) q = q.where("invoice.issueDate", "<=", input.issuedTo);
  if (input.search) {
    const like = likePattern(input.search);
    q = q.where((eb) =>
      eb.or([
        eb("invoice.number", "ilike", like),
        eb("customer.name", "ilike", like),
        eb(sql<string>`invoice.buyer->>'name'`, "ilike", like),
      ]),
    );
  }
  const rows = await q.orderBy("invoice.createdAt", "desc").limit(500).execute();
  const today = isoDay(now);
  const items = rows.map((r) => {
    const net = Number(r.netPaidMinor ?? 0);
    const credited = r.kind === "invoice" ? Number(r.creditedMinor ?? 0) : 0;
    const balance = {
      paidMinor: Math.max(net, 0),
      refundedMinor: Math.max(-net, 0),
      creditedMinor: credited,
      dueMinor: r.totalMinor - credited - net,
    };
    // The sums come back from Postgres as text: answer them as the numbers the type promises.
    return {
      ...r,
      netPaidMinor: net,
      creditedMinor: Number(r.creditedMinor ?? 0),
      balance,
      displayStatus: invoiceStatus(r, balance, today),
    };
  });
  return input.status ? items.filter((i) => i.displayStatus === input.status) : items;
}
