import type { ExchangeRatesService, ReferenceRates } from "./types.ts";

/**
 * The local stand-in: a fixed table of euro reference rates, stated with the day they are from, used when
 * no provider is configured (EXCHANGE_RATES_URL unset). Pages say which day a rate is from, so an old
 * table is visible as such rather than passing for today's.
 */
export const FIXED_RATES: ReferenceRates = {
  date: "2026-12-04",
  source: "fixed table",
  perEur: {
    EUR: 1,
    USD: 1.08,
    GBP: 0.85,
    CHF: 0.94,
    JPY: 162,
    CAD: 1.5,
    AUD: 1.65,
    SEK: 11.2,
    NOK: 11.7,
    DKK: 7.46,
    PLN: 4.3,
    CZK: 25,
  },
};

export function createFixedExchangeRates(rates: ReferenceRates = FIXED_RATES): ExchangeRatesService {
  return {
    provider: "fixed",
    latest: async () => ({ ...rates, perEur: { ...rates.perEur } }),
  };
}
