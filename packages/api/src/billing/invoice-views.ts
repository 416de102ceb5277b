// Reading invoices: one with its ledger and balance, the view shared with the portal, the list.

import { sql } from "kysely";
import type { z } from "zod";
import { type Executor, likePattern, notFound } from "../kernel/index.ts";
import { invoiceBalance, invoiceStatus } from "./balance.ts";
import { isoDay } from "./document.ts";
import type { listInvoicesInput } from "./invoice-inputs.ts";

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
