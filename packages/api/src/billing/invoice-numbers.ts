// Invoice numbers without gaps, their format, and how long a record is kept.

import type { InvoiceKind } from "@ktizo/db";
import { sql } from "kysely";
import type { Executor } from "../kernel/index.ts";

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
