/**
 * Reference exchange rates (issue 20): used only to show a shop's price in the customer's currency for
 * comparison. Nothing is ever charged at these rates: orders are paid in the shop's own currency.
 */
export interface ReferenceRates {
  /** Units of each currency (ISO 4217, upper case) per euro; EUR itself is 1. */
  perEur: Record<string, number>;
  /** The day the rates were published, YYYY-MM-DD (not when they were fetched). */
  date: string;
  /** Who published them, for the page and the log: "ECB", "fixed table", the endpoint's host. */
  source: string;
}

export interface ExchangeRatesService {
  /** "http" fetches a provider's daily rates; "fixed" is the local stand-in's table. */
  readonly provider: "http" | "fixed";
  /** The provider's latest rates. Throws ProviderError when it cannot be reached or answers nonsense. */
  latest(): Promise<ReferenceRates>;
}
