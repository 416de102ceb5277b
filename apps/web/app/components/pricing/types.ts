import type { RouterOutputs, Served } from "~/lib/api-types";

/** The shop's pricing rules as the pricing page receives them (shop.pricing.get). */
export type PricingRulesView = Served<RouterOutputs["shop"]["pricing"]["get"]>["pricing"];
/** A material as the pricing page lists it. */
export type PricingMaterialOption = Pick<
  Served<RouterOutputs["shop"]["materials"]["list"]>[number],
  "id" | "name" | "technology" | "costPerKgMinor"
>;
/** A printer as the pricing page lists it. */
export type PricingPrinterOption = Pick<
  Served<RouterOutputs["shop"]["printers"]["list"]>[number],
  "id" | "name" | "technology" | "hourlyRateMinor"
>;
