import type { BillingDeposit, BillingDiscount, BillingLine, BillingTaxRate, BillingTotals } from "@ktizo/db";
import { z } from "zod";
import { badRequest, type Executor, idSchema, minorAmountSchema } from "../kernel/index.ts";
import { computeTotals } from "./totals.ts";

/** The largest total a document may have (the columns are 32-bit integers of minor units). */
export const MAX_DOCUMENT_MINOR = 2_000_000_000;

const bps = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} is in basis points (1000 = 10 %)`)
    .min(0, `${label} cannot be negative`)
    .max(10_000, `${label} is at most 100 %`);

export const discountInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("percent"), bps: bps("The discount") }),
  z.object({ kind: z.literal("amount"), minor: minorAmountSchema("The discount") }),
]);
export const depositInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("percent"), bps: bps("The deposit") }),
  z.object({ kind: z.literal("amount"), minor: minorAmountSchema("The deposit") }),
]);

export const lineInput = z.object({
  description: z.string().trim().min(1, "Describe the line").max(500, "At most 500 characters"),
  quantity: z
    .number({ error: "The quantity must be a number" })
    .int("A whole quantity")
    .min(1, "At least 1")
    .max(100_000, "At most 100,000"),
  /** Ignored for a line of a job item: its price comes from the job (the quote engine or the shop's rules). */
  unitPriceMinor: minorAmountSchema("The unit price").default(0),
  discountBps: bps("The line discount").default(0),
  /** One of the shop's tax rates, or none. */
  taxRateId: z.string().trim().max(40).nullable().default(null),
  jobItemId: idSchema.nullable().default(null),
});
export type LineInput = z.infer<typeof lineInput>;

export const documentFieldsInput = z.object({
  lines: z.array(lineInput).min(1, "Add at least one line").max(200, "At most 200 lines"),
  discount: discountInput.nullable().default(null),
  shippingMinor: minorAmountSchema("Shipping").default(0),
  shippingTaxRateId: z.string().trim().max(40).nullable().default(null),
  notes: z.string().trim().max(5000, "Notes are at most 5000 characters").default(""),
});
export type DocumentFields = z.infer<typeof documentFieldsInput>;

export interface ResolvedDocument {
  lines: BillingLine[];
  discount: BillingDiscount | null;
  shippingMinor: number;
  shippingTaxRateBps: number;
  notes: string;
}

function taxRateOf(rates: BillingTaxRate[], id: string | null, field: string): BillingTaxRate | null {
  if (!id) return null;
  const rate = rates.find((r) => r.id === id);
  if (!rate) throw badRequest("That tax rate is not one of the shop's", { [field]: "Choose a tax rate" });
  return rate;
}

/**
 * Turns lines as entered into lines as stored: tax rates looked up among the shop's own (so a browser
 * cannot invent one), and a line of a job item priced as the job prices it.
 */
export async function resolveDocument(
  trx: Executor,
  scope: { organizationId: string; jobId: string | null },
  taxRates: BillingTaxRate[],
  fields: DocumentFields,
): Promise<ResolvedDocument> {
  const itemIds = fields.lines.map((l) => l.jobItemId).filter((v): v is string => v !== null);
  const items =
    itemIds.length === 0 || !scope.jobId
      ? []
      : await trx
          .selectFrom("jobItem")
          .select(["id", "unitPriceMinor"])
          .where("organizationId", "=", scope.organizationId)
          .where("jobId", "=", scope.jobId)
          .where("id", "in", itemIds)
          .execute();
  const lines = fields.lines.map((l, i): BillingLine => {
    const rate = taxRateOf(taxRates, l.taxRateId, `lines.${i}.taxRateId`);
    let unitPriceMinor = l.unitPriceMinor;
    if (l.jobItemId) {
      const item = items.find((it) => it.id === l.jobItemId);
      if (!item)
        throw badRequest("That line item is not on this job", {
          [`lines.${i}.jobItemId`]: "Not on this job",
        });
      unitPriceMinor = item.unitPriceMinor;
    }
    return {
      description: l.description,
      quantity: l.quantity,
      unitPriceMinor,
      discountBps: l.discountBps,
      taxRateBps: rate?.rateBps ?? 0,
      taxInclusive: rate?.inclusive ?? false,
      taxName: rate?.name ?? "",
      jobItemId: l.jobItemId,
    };
  });
  const shippingRate = taxRateOf(taxRates, fields.shippingTaxRateId, "shippingTaxRateId");
  return {
    lines,
    discount: fields.discount,
    shippingMinor: fields.shippingMinor,
    shippingTaxRateBps: shippingRate?.rateBps ?? 0,
    notes: fields.notes,
  };
}

/** Totals of a resolved document, refused when they do not fit a document. */
export function totalsOf(doc: ResolvedDocument, deposit: BillingDeposit | null) {
  const totals = computeTotals({ ...doc, deposit });
  if (totals.totalMinor > MAX_DOCUMENT_MINOR) {
    throw badRequest("The total is too large for one document", { lines: "Split it into several documents" });
  }
  return totals;
}

/** Today's date in UTC as YYYY-MM-DD; documents carry calendar dates. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** `day` plus `n` days (YYYY-MM-DD). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

export const isoDayInput = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-05-31")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && isoDay(new Date(`${v}T00:00:00Z`)) === v,
    "Not a real date",
  );

/** The job's own line items as document lines, priced as the job prices them (the quote engine or the shop). */
export async function jobItemLines(trx: Executor, jobId: string): Promise<LineInput[]> {
  const items = await trx
    .selectFrom("jobItem")
    .select(["id", "description", "quantity", "unitPriceMinor"])
    .where("jobId", "=", jobId)
    .orderBy("position")
    .execute();
  return items.map((it) => ({
    description: it.description,
    quantity: it.quantity,
    unitPriceMinor: it.unitPriceMinor,
    discountBps: 0,
    taxRateId: null,
    jobItemId: it.id,
  }));
}

/** The stored columns of a resolved document and its totals (estimate versions and invoices alike). */
export function documentColumns(doc: ResolvedDocument, totals: BillingTotals) {
  return {
    lines: JSON.stringify(doc.lines),
    discount: doc.discount ? JSON.stringify(doc.discount) : null,
    shippingMinor: doc.shippingMinor,
    shippingTaxRateBps: doc.shippingTaxRateBps,
    notes: doc.notes,
    totals: JSON.stringify(totals),
    totalMinor: totals.totalMinor,
  };
}
