import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { readLimitedText } from "../http-body.ts";
import type { ExchangeRatesService, ReferenceRates } from "./types.ts";

const MAX_RESPONSE_BYTES = 512 * 1024;
const CURRENCY = /^[A-Z]{3}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface HttpExchangeRatesOptions {
  /**
   * The provider's daily rates: the ECB's reference rates XML
   * (https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml) or a JSON endpoint answering
   * `{ "base": "EUR", "date": "YYYY-MM-DD", "rates": { "USD": 1.08, … } }` (any base that it also lists
   * against EUR, or EUR itself).
   */
  url: string;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

const jsonRates = z.object({
  base: z.string().regex(CURRENCY),
  date: z.string().regex(DAY),
  rates: z.record(z.string().regex(CURRENCY), z.number().positive().finite()),
});

/** The ECB's eurofxref XML: `<Cube time='2026-12-04'>` holding `<Cube currency='USD' rate='1.0812'/>`. */
export function parseEcbXml(xml: string): Omit<ReferenceRates, "source"> {
  const date = /<Cube\s+time=['"](\d{4}-\d{2}-\d{2})['"]/.exec(xml)?.[1];
  if (!date) throw new Error("no <Cube time='…'> in the answer");
  const perEur: Record<string, number> = { EUR: 1 };
  for (const m of xml.matchAll(/<Cube\s+currency=['"]([A-Z]{3})['"]\s+rate=['"]([0-9.]+)['"]\s*\/>/g)) {
    const rate = Number(m[2]);
    if (m[1] && rate > 0 && Number.isFinite(rate)) perEur[m[1]] = rate;
  }
  if (Object.keys(perEur).length < 2) throw new Error("no rates in the answer");
  return { date, perEur };
}

/** A JSON answer rebased on the euro. */
export function parseJsonRates(value: unknown): Omit<ReferenceRates, "source"> {
  const parsed = jsonRates.safeParse(value);
  if (!parsed.success) throw new Error("not a { base, date, rates } answer");
  const { base, date, rates } = parsed.data;
  const all: Record<string, number> = { ...rates, [base]: 1 };
  const eur = all.EUR;
  if (!eur) throw new Error(`the answer has no EUR rate against ${base}`);
  const perEur: Record<string, number> = {};
  for (const [currency, rate] of Object.entries(all)) perEur[currency] = rate / eur;
  return { date, perEur };
}

/**
 * A provider's daily reference rates over HTTPS: one GET of the configured URL, redirects not followed,
 * the answer read up to 512 KB and parsed as the ECB's XML or as JSON.
 */
export function createHttpExchangeRates(options: HttpExchangeRatesOptions): ExchangeRatesService {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const source = new URL(options.url).hostname.endsWith("ecb.europa.eu") ? "ECB" : new URL(options.url).host;
  const fail = (message: string, cause?: unknown) =>
    new ProviderError("exchange-rates", message, cause ? { cause } : undefined);
  return {
    provider: "http",
    async latest() {
      let response: Response;
      try {
        response = await fetch(options.url, {
          headers: {
            accept: "application/xml, application/json;q=0.9",
            "user-agent": "Ktizo exchange rates",
          },
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        throw fail("the rates provider could not be reached", e);
      }
      if (!response.ok) throw fail(`the rates provider answered HTTP ${response.status}`);
      const body = await readLimitedText(response, MAX_RESPONSE_BYTES);
      if (body === null) throw fail("the rates provider's answer is too large");
      const text = body.trim();
      try {
        const rates = text.startsWith("<") ? parseEcbXml(text) : parseJsonRates(JSON.parse(text));
        return { ...rates, source };
      } catch (e) {
        throw fail(`the rates provider's answer could not be read: ${e instanceof Error ? e.message : e}`, e);
      }
    },
  };
}
