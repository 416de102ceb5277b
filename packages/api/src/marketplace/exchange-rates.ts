import type { Database } from "@ktizo/db";
import type { Clock, ExchangeRatesService, Services } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { convertMinor } from "../browser-safe/money.ts";
import type { Executor } from "../kernel/index.ts";

/**
 * Exchange rates for comparing prices across currencies (issue 20). The rates come from the
 * exchange-rates service (a provider's daily reference rates, or the stand-in's dated table), are kept
 * in `exchange_rate` (one row per currency, units per euro, with the day they were published) and
 * refreshed daily by a background job. They only ever inform: every order is charged in its shop's
 * currency at its quoted price.
 */

export interface StoredRate {
  perEur: number;
  rateDate: string;
}

export type RateTable = ReadonlyMap<string, StoredRate>;

/** A price shown in another currency for comparison, with the day of the rate used. */
export interface ConvertedPrice {
  amountMinor: number;
  currency: string;
  rateDate: string;
}

/** Stores the provider's latest rates (replacing older ones per currency). */
export async function refreshExchangeRates(
  db: Executor,
  service: Pick<ExchangeRatesService, "latest">,
  now: Date,
): Promise<{ currencies: number; date: string }> {
  const latest = await service.latest();
  const rows = Object.entries(latest.perEur)
    .filter(([currency, rate]) => /^[A-Z]{3}$/.test(currency) && rate > 0 && Number.isFinite(rate))
    .map(([currency, perEur]) => ({
      currency,
      perEur,
      rateDate: latest.date,
      source: latest.source,
      fetchedAt: now,
    }));
  if (rows.length === 0) return { currencies: 0, date: latest.date };
  await db
    .insertInto("exchangeRate")
    .values(rows)
    .onConflict((oc) =>
      oc.column("currency").doUpdateSet({
        perEur: sql`excluded.per_eur`,
        rateDate: sql`excluded.rate_date`,
        source: sql`excluded.source`,
        fetchedAt: sql`excluded.fetched_at`,
      }),
    )
    .execute();
  return { currencies: rows.length, date: latest.date };
}

export async function storedRates(db: Executor): Promise<Map<string, StoredRate>> {
  const rows = await db.selectFrom("exchangeRate").select(["currency", "perEur", "rateDate"]).execute();
  return new Map(rows.map((r) => [r.currency, { perEur: Number(r.perEur), rateDate: r.rateDate }]));
}

/**
 * The stored rates; before the first refresh has run (a new installation), they are fetched once now.
 * A provider that cannot be reached leaves the table empty: prices are then shown unconverted.
 */
export async function ratesForComparison(
  db: Executor,
  service: Pick<ExchangeRatesService, "latest">,
  now: Date,
): Promise<RateTable> {
  const rates = await storedRates(db);
  if (rates.size > 0) return rates;
  try {
    await refreshExchangeRates(db, service, now);
  } catch {
    return rates;
  }
  return storedRates(db);
}

/**
 * How many units of `to` one unit of `from` buys, with the older of the two rates' days; null when either
 * rate is unknown (or no conversion is needed).
 */
export function rateBetween(
  rates: RateTable,
  from: string,
  to: string,
): { rate: number; rateDate: string } | null {
  const source = rates.get(from.toUpperCase());
  const target = rates.get(to.toUpperCase());
  if (!source || !target || from.toUpperCase() === to.toUpperCase()) return null;
  const [rateDate = source.rateDate] = [source.rateDate, target.rateDate].sort();
  return { rate: target.perEur / source.perEur, rateDate };
}

/**
 * `amountMinor` in `from` shown in `to`, rounded by the money module in `to`'s digits; null when either
 * rate is unknown (or no conversion is needed). The older of the two rates' days is the one stated.
 */
export function convertForComparison(
  rates: RateTable,
  amountMinor: number,
  from: string,
  to: string,
): ConvertedPrice | null {
  const r = rateBetween(rates, from, to);
  if (!r) return null;
  return {
    amountMinor: convertMinor(amountMinor, from, to, r.rate),
    currency: to.toUpperCase(),
    rateDate: r.rateDate,
  };
}

const noData = z.object({});

/** Daily at 16:30 UTC, after the ECB publishes its reference rates (around 16:00 CET). */
export const exchangeRatesJob = {
  name: "exchange-rates-refresh",
  schema: noData,
  cron: "30 16 * * *",
  retryLimit: 3,
  run: async (
    _data: z.infer<typeof noData>,
    deps: { db: Database; services: Pick<Services, "exchangeRates">; clock: Clock },
  ): Promise<void> => {
    await refreshExchangeRates(deps.db, deps.services.exchangeRates, deps.clock.now());
  },
};
