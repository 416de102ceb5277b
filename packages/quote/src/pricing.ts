import { fail } from "./errors.ts";
import { type EstimateParams, resolveEstimateParams } from "./estimate.ts";

/** A quantity discount: orders of at least minQuantity pieces of a model get discountPercent off. */
export interface QuantityTier {
  minQuantity: number;
  discountPercent: number;
}

/**
 * A shop's pricing. Money is in integer minor units of `currency`, in its own ISO 4217 digits (cents,
 * yen, fils); per-unit rates may carry decimals (e.g. 2.5 cents per gram) because they are multiplied
 * before rounding.
 */
export interface PricingModel {
  currency: string;
  /** Material price, per gram or per cm³ of material actually used. */
  material: { unit: "gram" | "cm3"; priceMinor: number };
  /** Machine time, per hour. */
  machineHourlyMinor: number;
  setupFeePerOrderMinor: number;
  setupFeePerModelMinor: number;
  minimumOrderMinor: number;
  quantityTiers: QuantityTier[];
  /** Multiplier on the production subtotal for rush orders, ≥ 1 (1.5 = +50 %). */
  rushMultiplier: number;
  markupPercent: number;
  taxRatePercent: number;
  /** How this shop's process turns a model into grams and hours (see EstimateParams). */
  process?: EstimateParams;
}

export interface QuoteLine {
  code: string;
  label: string;
  amountMinor: number;
}

export interface QuoteBreakdown {
  currency: string;
  lines: QuoteLine[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface QuoteItem {
  /** Grams and hours per piece, e.g. from estimatePrint. */
  estimate: { weightG: number; materialVolumeCm3: number; printHours: number };
  quantity: number;
  label?: string;
}

export interface QuoteRequest {
  pricing: PricingModel;
  items: QuoteItem[];
  rush?: boolean;
}

/** Rounds half away from zero to an integer (the one rounding rule of this module). */
export function roundMinor(x: number): number {
  const r = Math.floor(Math.abs(x) + 0.5 + 1e-9);
  return x < 0 ? -r : r;
}

function bad(msg: string): never {
  fail("INVALID_PRICING", `Pricing: ${msg}`);
}

function money(o: Record<string, unknown>, k: string, integer: boolean): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) bad(`${k} must be a non-negative number.`);
  if (integer && !Number.isInteger(v)) bad(`${k} must be a whole number of minor units (cents).`);
  if (v > 1e12) bad(`${k} is unreasonably large.`);
  return v;
}

/** Validates untrusted JSON (e.g. a shop's form) into a PricingModel, or throws INVALID_PRICING. */
export function parsePricingModel(input: unknown): PricingModel {
  if (typeof input !== "object" || input === null || Array.isArray(input)) bad("must be an object.");
  const o = input as Record<string, unknown>;
  if (typeof o.currency !== "string" || !/^[A-Z]{3}$/.test(o.currency))
    bad('currency must be an ISO 4217 code such as "EUR".');
  const m = o.material as Record<string, unknown> | undefined;
  if (typeof m !== "object" || m === null) bad('material must be { unit: "gram" | "cm3", priceMinor }.');
  if (m.unit !== "gram" && m.unit !== "cm3") bad('material.unit must be "gram" or "cm3".');
  const materialPrice = money(m, "priceMinor", false);
  const tiersIn = o.quantityTiers ?? [];
  if (!Array.isArray(tiersIn)) bad("quantityTiers must be a list.");
  if (tiersIn.length > 50) bad("quantityTiers has more than 50 entries.");
  const tiers: QuantityTier[] = tiersIn.map((t, i) => {
    if (typeof t !== "object" || t === null) bad(`quantityTiers[${i}] must be an object.`);
    const tt = t as Record<string, unknown>;
    if (typeof tt.minQuantity !== "number" || !Number.isInteger(tt.minQuantity) || tt.minQuantity < 1) {
      bad(`quantityTiers[${i}].minQuantity must be a whole number ≥ 1.`);
    }
    if (typeof tt.discountPercent !== "number" || !(tt.discountPercent >= 0 && tt.discountPercent <= 100)) {
      bad(`quantityTiers[${i}].discountPercent must be between 0 and 100.`);
    }
    return { minQuantity: tt.minQuantity, discountPercent: tt.discountPercent };
  });
  const seen = new Set<number>();
  for (const t of tiers) {
    if (seen.has(t.minQuantity)) bad(`two quantity tiers start at ${t.minQuantity}.`);
    seen.add(t.minQuantity);
  }
  const rush = o.rushMultiplier ?? 1;
  if (typeof rush !== "number" || !Number.isFinite(rush) || rush < 1 || rush > 10)
    bad("rushMultiplier must be between 1 and 10.");
  const markup = o.markupPercent ?? 0;
  if (typeof markup !== "number" || !Number.isFinite(markup) || markup < 0 || markup > 1000) {
    bad("markupPercent must be between 0 and 1000.");
  }
  const tax = o.taxRatePercent ?? 0;
  if (typeof tax !== "number" || !Number.isFinite(tax) || tax < 0 || tax > 100)
    bad("taxRatePercent must be between 0 and 100.");
  const withDefaults = { setupFeePerOrderMinor: 0, setupFeePerModelMinor: 0, minimumOrderMinor: 0, ...o };
  const model: PricingModel = {
    currency: o.currency,
    material: { unit: m.unit, priceMinor: materialPrice },
    machineHourlyMinor: money(o, "machineHourlyMinor", false),
    setupFeePerOrderMinor: money(withDefaults, "setupFeePerOrderMinor", true),
    setupFeePerModelMinor: money(withDefaults, "setupFeePerModelMinor", true),
    minimumOrderMinor: money(withDefaults, "minimumOrderMinor", true),
    quantityTiers: tiers.sort((a, b) => a.minQuantity - b.minQuantity),
    rushMultiplier: rush,
    markupPercent: markup,
    taxRatePercent: tax,
  };
  if (o.process !== undefined) {
    try {
      resolveEstimateParams(o.process as EstimateParams);
    } catch (e) {
      bad(`process: ${e instanceof Error ? e.message : "invalid"}`);
    }
    model.process = o.process as EstimateParams;
  }
  return model;
}

function discountFor(tiers: QuantityTier[], quantity: number): number {
  let pct = 0;
  for (const t of tiers) if (quantity >= t.minQuantity) pct = t.discountPercent;
  return pct;
}

/**
 * Prices an order. Each line is computed exactly and rounded once (half away from zero) to minor
 * units; later lines are computed from the already-rounded lines above them, and tax is computed on
 * the rounded subtotal, so the lines always sum exactly to the total:
 *   material, machine time, setup (order), setup (models), quantity discount (−), rush surcharge,
 *   markup, minimum-order adjustment, tax.
 */
export function priceQuote(req: QuoteRequest): QuoteBreakdown {
  const pricing = parsePricingModel(req.pricing);
  if (!Array.isArray(req.items) || req.items.length === 0) bad("a quote needs at least one item.");
  let material = 0;
  let machine = 0;
  let discount = 0;
  for (const [i, it] of req.items.entries()) {
    const q = it.quantity;
    if (!Number.isInteger(q) || q < 1 || q > 1_000_000)
      bad(`items[${i}].quantity must be a whole number between 1 and 1,000,000.`);
    const e = it.estimate;
    for (const k of ["weightG", "materialVolumeCm3", "printHours"] as const) {
      if (typeof e?.[k] !== "number" || !Number.isFinite(e[k]) || e[k] < 0)
        bad(`items[${i}].estimate.${k} must be a non-negative number.`);
    }
    const amount = pricing.material.unit === "gram" ? e.weightG : e.materialVolumeCm3;
    const m = amount * pricing.material.priceMinor * q;
    const h = e.printHours * pricing.machineHourlyMinor * q;
    material += m;
    machine += h;
    discount += ((m + h) * discountFor(pricing.quantityTiers, q)) / 100;
  }
  const lines: QuoteLine[] = [];
  const add = (code: string, label: string, amountMinor: number) => {
    if (amountMinor !== 0) lines.push({ code, label, amountMinor });
  };
  const sum = () => lines.reduce((s, l) => s + l.amountMinor, 0);
  add(
    "material",
    pricing.material.unit === "gram" ? "Material (by weight)" : "Material (by volume)",
    roundMinor(material),
  );
  add("machine", "Machine time", roundMinor(machine));
  add("setup_order", "Setup fee (per order)", pricing.setupFeePerOrderMinor);
  add(
    "setup_model",
    `Setup fee (${req.items.length} model${req.items.length === 1 ? "" : "s"})`,
    pricing.setupFeePerModelMinor * req.items.length,
  );
  add("quantity_discount", "Quantity discount", -roundMinor(discount));
  if (req.rush)
    add(
      "rush",
      `Rush surcharge (×${pricing.rushMultiplier})`,
      roundMinor(sum() * (pricing.rushMultiplier - 1)),
    );
  add("markup", `Markup (${pricing.markupPercent} %)`, roundMinor((sum() * pricing.markupPercent) / 100));
  const before = sum();
  if (before < pricing.minimumOrderMinor)
    add("minimum_order_adjustment", "Minimum order adjustment", pricing.minimumOrderMinor - before);
  const subtotal = sum();
  const tax = roundMinor((subtotal * pricing.taxRatePercent) / 100);
  add("tax", `Tax (${pricing.taxRatePercent} %)`, tax);
  return { currency: pricing.currency, lines, subtotalMinor: subtotal, taxMinor: tax, totalMinor: sum() };
}
