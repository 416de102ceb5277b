/**
 * The reference exchange rates (issue 20, marketplace domain) for domains that may not import the
 * marketplace: the inbox converts a purchase order's prices to the shop's currency with them.
 */
import type { Services } from "@ktizo/services";
import type { RateLookup } from "../inbox/po-draft.ts";
import type { Executor } from "../kernel/index.ts";
import { rateBetween, ratesForComparison } from "../marketplace/exchange-rates.ts";

/** The stored rates (fetched once on a new installation), read when first asked. */
export function rateLookup(db: Executor, services: Pick<Services, "exchangeRates">, now: Date): RateLookup {
  return async (from, to) => rateBetween(await ratesForComparison(db, services.exchangeRates, now), from, to);
}
