import type { PrintTechnology } from "@ktizo/db";
import { type EstimateParams, type PricingModel, parsePricingModel } from "@ktizo/quote";
import { z } from "zod";
import { idSchema, minorAmountSchema } from "../kernel/index.ts";

/**
 * A shop's pricing rules: every parameter of the quote engine (@ktizo/quote's PricingModel and
 * EstimateParams), with overrides per material, per printer, and per material-on-printer pair (the most
 * specific wins: pair, then material or printer, then the shop). Stored as JSON in shop_settings.pricing.
 * The engine's PricingModel for one material on one printer comes from `effectivePricingModel`, and is
 * validated by the engine's own parsePricingModel.
 */
const percent = (label: string, max: number) =>
  z
    .number({ error: `${label} must be a number` })
    .min(0, `${label} cannot be negative`)
    .max(max, `${label} is at most ${max}%`);

const rate = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .min(0, `${label} cannot be negative`)
    .max(1e9);

/** Process parameters of the estimate (omitted: the engine's defaults for the technology). */
export const processOverridesSchema = z
  .object({
    wallThicknessMm: z.number().min(0).max(20, "Wall thickness is in mm (at most 20)"),
    infill: z.number().min(0, "Infill is a fraction from 0 to 1").max(1, "Infill is a fraction from 0 to 1"),
    layerHeightMm: z
      .number()
      .min(0.001, "Layer height is more than 0 mm")
      .max(5, "Layer height is in mm (at most 5)"),
    extrusionRateMm3PerS: z.number().min(0.01, "Extrusion rate is more than 0").max(1000),
    secondsPerLayerOverhead: z.number().min(0).max(3600),
    secondsPerLayer: z.number().min(0).max(3600),
    setupMinutes: z
      .number()
      .min(0)
      .max(24 * 60),
  })
  .partial()
  .strict();
export type ProcessOverrides = z.infer<typeof processOverridesSchema>;

export const materialRulesSchema = z
  .object({
    /** Off: customers cannot choose this material. */
    enabled: z.boolean().default(true),
    /** Customer price per gram (or cm³), in minor units, decimals allowed; null: the material's cost. */
    priceMinor: rate("Material price").nullable().default(null),
    markupPercent: percent("Markup", 1000).nullable().default(null),
    process: processOverridesSchema.default({}),
  })
  .strict();

export const printerRulesSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** null: the printer's own hourly rate. */
    machineHourlyMinor: rate("Machine hourly rate").nullable().default(null),
    process: processOverridesSchema.default({}),
  })
  .strict();

/** Prices for one material on one printer (null: fall back to the material's and printer's rules). */
export const pairRulesSchema = z
  .object({
    materialId: idSchema,
    printerId: idSchema,
    priceMinor: rate("Material price").nullable().default(null),
    machineHourlyMinor: rate("Machine hourly rate").nullable().default(null),
    markupPercent: percent("Markup", 1000).nullable().default(null),
  })
  .strict();

export const shopPricingRulesSchema = z
  .object({
    version: z.literal(1).default(1),
    materialUnit: z.enum(["gram", "cm3"], { error: "Charge material by gram or by cm³" }).default("gram"),
    setupFeePerOrderMinor: minorAmountSchema("Setup fee per order").default(0),
    setupFeePerModelMinor: minorAmountSchema("Setup fee per model").default(0),
    minimumOrderMinor: minorAmountSchema("Minimum order").default(0),
    quantityTiers: z
      .array(
        z.object({
          minQuantity: z.number().int().min(2, "Discounts start at a quantity of 2").max(1_000_000),
          discountPercent: percent("Discount", 100),
        }),
      )
      .max(50, "At most 50 quantity tiers")
      .default([])
      .refine((t) => new Set(t.map((x) => x.minQuantity)).size === t.length, {
        message: "Each quantity tier needs a different minimum quantity",
      })
      .transform((t) => [...t].sort((a, b) => a.minQuantity - b.minQuantity)),
    rushMultiplier: z
      .number()
      .min(1, "The rush multiplier is at least 1 (no surcharge)")
      .max(10, "The rush multiplier is at most 10")
      .default(1.5),
    markupPercent: percent("Markup", 1000).default(0),
    taxRatePercent: percent("Tax rate", 100).default(0),
    process: z
      .object({
        fdm: processOverridesSchema.default({}),
        resin: processOverridesSchema.default({}),
        powder: processOverridesSchema.default({}),
      })
      .default({ fdm: {}, resin: {}, powder: {} }),
    materials: z.record(idSchema, materialRulesSchema).default({}),
    printers: z.record(idSchema, printerRulesSchema).default({}),
    pairs: z
      .array(pairRulesSchema)
      .max(500, "At most 500 material and printer pairs")
      .default([])
      .refine((p) => new Set(p.map((x) => `${x.materialId}|${x.printerId}`)).size === p.length, {
        message: "Each material and printer pair can be set once",
      }),
  })
  .strict();

export type ShopPricingRules = z.infer<typeof shopPricingRulesSchema>;
export const defaultPricingRules: ShopPricingRules = shopPricingRulesSchema.parse({});

export interface RulesMaterial {
  id: string;
  technology: PrintTechnology;
  densityGramsPerCm3: number;
  costPerKgMinor: number;
}
export interface RulesPrinter {
  id: string;
  technology: PrintTechnology;
  hourlyRateMinor: number;
}

/**
 * The quote engine's PricingModel for `material` on `printer` under the shop's rules (validated by
 * @ktizo/quote's parsePricingModel, which throws a QuoteError INVALID_PRICING when something is off).
 */
export function effectivePricingModel(
  rules: ShopPricingRules,
  material: RulesMaterial,
  printer: RulesPrinter,
  currency: string,
): PricingModel {
  const m = rules.materials[material.id];
  const p = rules.printers[printer.id];
  const pair = rules.pairs.find((x) => x.materialId === material.id && x.printerId === printer.id);
  const costPerGram = material.costPerKgMinor / 1000;
  const defaultPrice =
    rules.materialUnit === "gram" ? costPerGram : costPerGram * material.densityGramsPerCm3;
  const process: EstimateParams = {
    technology: printer.technology,
    densityGPerCm3: material.densityGramsPerCm3,
    ...rules.process[printer.technology],
    ...(m?.process ?? {}),
    ...(p?.process ?? {}),
  };
  return parsePricingModel({
    currency,
    material: { unit: rules.materialUnit, priceMinor: pair?.priceMinor ?? m?.priceMinor ?? defaultPrice },
    machineHourlyMinor: pair?.machineHourlyMinor ?? p?.machineHourlyMinor ?? printer.hourlyRateMinor,
    setupFeePerOrderMinor: rules.setupFeePerOrderMinor,
    setupFeePerModelMinor: rules.setupFeePerModelMinor,
    minimumOrderMinor: rules.minimumOrderMinor,
    quantityTiers: rules.quantityTiers,
    rushMultiplier: rules.rushMultiplier,
    markupPercent: pair?.markupPercent ?? m?.markupPercent ?? rules.markupPercent,
    taxRatePercent: rules.taxRatePercent,
    process,
  });
}
