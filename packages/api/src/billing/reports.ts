import { sql } from "kysely";
import { z } from "zod";
import { minorToDecimal } from "../browser-safe/money.ts";
import { type CsvCell, toCsv } from "../job/csv.ts";
import type { Executor } from "../kernel/index.ts";
import { isoDay, isoDayInput } from "./document.ts";
import { listInvoices } from "./invoice-views.ts";
import { lineAmount } from "./totals.ts";

export const AGING_BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export const agingInput = z.object({ asOf: isoDayInput.optional() });
export const revenueInput = z.object({ from: isoDayInput, to: isoDayInput }).refine((v) => v.from <= v.to, {
  message: "The start comes after the end",
  path: ["from"],
});
export const exportInput = z.object({
  format: z
    .enum(["plain", "quickbooks", "xero"], { error: "Choose plain, QuickBooks or Xero" })
    .default("plain"),
  issuedFrom: isoDayInput.optional(),
  issuedTo: isoDayInput.optional(),
});

/** Which aging bucket an open balance is in on `asOf` (days past the due date). */
export function agingBucket(dueDate: string, asOf: string): AgingBucket {
  const days = Math.round(
    (Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / 86_400_000,
  );
  if (days <= 0) return "current";
  if (days <= 30) return "1-30";
  if (days <= 60) return "31-60";
  if (days <= 90) return "61-90";
  return "90+";
}

/** What customers owe, by how late it is, per currency (issued, unpaid invoices). */
export async function agingReport(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof agingInput>,
  now: Date,
) {
  const asOf = input.asOf ?? isoDay(now);
  const invoices = await listInvoices(db, organizationId, { kind: "invoice" }, now);
  const byCurrency = new Map<string, Record<AgingBucket, { minor: number; count: number }>>();
  for (const inv of invoices) {
    if (inv.status !== "issued" || !inv.dueDate || inv.balance.dueMinor <= 0) continue;
    const row =
      byCurrency.get(inv.currency) ??
      (Object.fromEntries(AGING_BUCKETS.map((b) => [b, { minor: 0, count: 0 }])) as Record<
        AgingBucket,
        { minor: number; count: number }
      >);
    const bucket = row[agingBucket(inv.dueDate, asOf)];
    bucket.minor += inv.balance.dueMinor;
    bucket.count += 1;
    byCurrency.set(inv.currency, row);
  }
  return { asOf, currencies: [...byCurrency].map(([currency, buckets]) => ({ currency, buckets })) };
}

/**
 * Per calendar month: invoiced (issued invoices less credit notes, by issue date) and received
 * (payments less refunds, by the day received), per currency.
 */
export async function revenueReport(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof revenueInput>,
) {
  const invoiced = await db
    .selectFrom("invoice")
    .select([
      sql<string>`substr(issue_date, 1, 7)`.as("month"),
      "currency",
      sql<number>`sum(case when kind = 'invoice' then total_minor else -total_minor end)`.as("minor"),
    ])
    .where("organizationId", "=", organizationId)
    .where("status", "=", "issued")
    .where("issueDate", ">=", input.from)
    .where("issueDate", "<=", input.to)
    .groupBy([sql`substr(issue_date, 1, 7)`, "currency"])
    .execute();
  const received = await db
    .selectFrom("billingPayment")
    .select([
      sql<string>`to_char(received_at at time zone 'UTC', 'YYYY-MM')`.as("month"),
      "currency",
      sql<number>`sum(case when kind = 'payment' then amount_minor else -amount_minor end)`.as("minor"),
    ])
    .where("organizationId", "=", organizationId)
    .where("status", "=", "succeeded")
    .where("receivedAt", ">=", new Date(`${input.from}T00:00:00Z`))
    .where("receivedAt", "<", new Date(new Date(`${input.to}T00:00:00Z`).getTime() + 86_400_000))
    .groupBy([sql`to_char(received_at at time zone 'UTC', 'YYYY-MM')`, "currency"])
    .execute();
  const months = new Map<
    string,
    { month: string; currency: string; invoicedMinor: number; receivedMinor: number }
  >();
  const at = (month: string, currency: string) => {
    const key = `${month}|${currency}`;
    const row = months.get(key) ?? { month, currency, invoicedMinor: 0, receivedMinor: 0 };
    months.set(key, row);
    return row;
  };
  for (const r of invoiced) at(r.month, r.currency).invoicedMinor += Number(r.minor);
  for (const r of received) at(r.month, r.currency).receivedMinor += Number(r.minor);
  return [...months.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency),
  );
}

const usDate = (d: string | null) => (d ? `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}` : "");
const euDate = (d: string | null) => (d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : "");

/**
 * Issued invoices and credit notes as CSV: "plain" (one row per document, for a spreadsheet), or one
 * row per line in the column sets QuickBooks Online's invoice import and Xero's sales-invoice import
 * take (credit notes as negative amounts; dates as those imports read them by default).
 */
export async function exportInvoicesCsv(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof exportInput>,
  now: Date,
) {
  const list = await listInvoices(
    db,
    organizationId,
    { issuedFrom: input.issuedFrom, issuedTo: input.issuedTo },
    now,
  );
  const issued = list.filter((i) => i.status !== "draft").reverse();
  const fileName = `invoices-${input.format}-${isoDay(now)}.csv`;
  const amount = (minor: number, currency: string) => Number(minorToDecimal(minor, currency));
  if (input.format === "plain") {
    const rows: CsvCell[][] = issued.map((i) => [
      i.number,
      i.kind === "credit_note" ? "Credit note" : "Invoice",
      i.buyer?.name ?? i.customerName ?? "",
      i.issueDate,
      i.dueDate,
      i.currency,
      amount(i.totalMinor, i.currency),
      amount(i.balance.paidMinor - i.balance.refundedMinor, i.currency),
      amount(i.kind === "invoice" && i.status === "issued" ? i.balance.dueMinor : 0, i.currency),
      i.displayStatus,
    ]);
    const header = [
      "Number",
      "Type",
      "Customer",
      "Issue date",
      "Due date",
      "Currency",
      "Total",
      "Paid",
      "Balance due",
      "Status",
    ];
    return { fileName, csv: toCsv(header, rows) };
  }
  const docs = await db
    .selectFrom("invoice")
    .select(["id", "lines", "terms", "termsDays", "notes", "recipientEmail"])
    .where("id", "in", issued.length ? issued.map((i) => i.id) : [""])
    .execute();
  const byId = new Map(docs.map((d) => [d.id, d]));
  const rows: CsvCell[][] = [];
  for (const i of issued) {
    const doc = byId.get(i.id);
    if (!doc || i.status === "void") continue;
    const sign = i.kind === "credit_note" ? -1 : 1;
    for (const l of doc.lines) {
      const lineMinor = sign * lineAmount(l);
      const customer = i.buyer?.name ?? i.customerName ?? "";
      if (input.format === "quickbooks") {
        rows.push([
          i.number,
          customer,
          usDate(i.issueDate),
          usDate(i.dueDate),
          doc.terms === "custom"
            ? `Net ${doc.termsDays}`
            : { due_on_receipt: "Due on receipt", net_15: "Net 15", net_30: "Net 30" }[doc.terms],
          doc.notes,
          l.description,
          sign * l.quantity,
          amount(l.unitPriceMinor, i.currency),
          amount(lineMinor, i.currency),
          l.taxRateBps > 0 ? "Y" : "N",
          l.taxRateBps > 0 ? `${l.taxRateBps / 100}%` : "",
          i.currency,
        ]);
      } else {
        rows.push([
          customer,
          doc.recipientEmail,
          i.number,
          i.kind === "credit_note" ? "Credit note" : "",
          euDate(i.issueDate),
          euDate(i.dueDate),
          l.description,
          sign * l.quantity,
          amount(l.unitPriceMinor, i.currency),
          l.discountBps ? l.discountBps / 100 : "",
          "200",
          l.taxRateBps > 0 ? l.taxName || `Tax ${l.taxRateBps / 100}%` : "Tax Exempt",
          i.currency,
        ]);
      }
    }
  }
  const header =
    input.format === "quickbooks"
      ? [
          "InvoiceNo",
          "Customer",
          "InvoiceDate",
          "DueDate",
          "Terms",
          "Memo",
          "ItemDescription",
          "ItemQuantity",
          "ItemRate",
          "ItemAmount",
          "Taxable",
          "TaxRate",
          "Currency",
        ]
      : [
          "*ContactName",
          "EmailAddress",
          "*InvoiceNumber",
          "Reference",
          "*InvoiceDate",
          "*DueDate",
          "*Description",
          "*Quantity",
          "*UnitAmount",
          "Discount",
          "*AccountCode",
          "*TaxType",
          "Currency",
        ];
  return { fileName, csv: toCsv(header, rows) };
}
