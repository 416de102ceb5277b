import { newId, type PrintTechnology } from "@ktizo/db";
import {
  applyScale,
  isUnscaled,
  MODEL_UNITS,
  type ModelAnalysis,
  type ModelScale,
  type PrintabilityReport,
  type QuoteBreakdown,
  roundPercent,
} from "@ktizo/quote";
import { sql } from "kysely";
import { z } from "zod";
import { TECHNOLOGIES } from "../browser-safe/job-status.ts";
import type { Executor } from "../kernel/index.ts";
import { DomainError, notFound } from "../kernel/index.ts";
import { type Corrections, calibrationCorrections, calibrationCorrectionsFor } from "../shop/calibration.ts";
import type { ShopPricingRules } from "../shop/pricing-model.ts";
import { getPublicShop, getPublicShops, type PublicShop } from "../shop/public.ts";
import { quoteModel } from "../shop/quote.ts";
import { type UploadSlices, uploadSlices } from "../shop/slices.ts";
import { QUOTE_TTL_MS, type UploadOwner } from "./common.ts";
import { type ConvertedPrice, convertForComparison, type RateTable } from "./exchange-rates.ts";
import { getUpload } from "./uploads.ts";

export const qualitySchema = z.enum(["draft", "standard", "fine"], {
  error: "Quality is draft, standard or fine",
});
export type Quality = z.infer<typeof qualitySchema>;

/**
 * The unit the customer says the model's file is in, and a scale on top (issue 20). The bounds of the
 * scaled model itself are checked against the model (`scaledModel`).
 */
export const modelScaleFields = {
  unit: z.enum(MODEL_UNITS, { error: "Units are mm, cm, m or inches" }).default("mm"),
  scalePercent: z
    .number({ error: "Scale is a percentage" })
    .finite("Scale is a percentage")
    .min(1, "Scale must be between 1% and 10,000%")
    .max(10_000, "Scale must be between 1% and 10,000%")
    .default(100)
    .transform(roundPercent),
};

export const quoteOptionsInput = z.object({
  uploadId: z.string().min(1).max(100),
  quantity: z.number().int().min(1).max(10_000).default(1),
  quality: qualitySchema.default("standard"),
  technology: z.enum(TECHNOLOGIES).optional(),
  sort: z.enum(["price", "leadTime"]).default("price"),
  ...modelScaleFields,
  /** The customer's currency: foreign prices are also shown in it, and "price" sorts by it. */
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "A currency is three letters")
    .transform((c) => c.toUpperCase())
    .optional(),
});

/**
 * The upload's analysis at the customer's unit and scale; a scale that makes the model too large or too
 * small for any printer is refused beside the scale field.
 */
export function scaledModel(analysis: ModelAnalysis, scale: ModelScale): ModelAnalysis {
  const check = applyScale(analysis, scale);
  if (!check.ok) throw new DomainError("BAD_REQUEST", check.message, { [check.field]: check.message });
  return check.analysis;
}

/** Why a scaled model's price stays an estimate: the slicer sliced the file at its own size. */
const SCALED_NOT_SLICED = "scaled models are estimated: the slicer works on the file's own size";

export interface QuoteOption {
  materialId: string;
  materialName: string;
  materialKind: string;
  technology: PrintTechnology;
  colors: string[];
  printerName: string;
  totalMinor: number;
  breakdown: QuoteBreakdown;
  printability: PrintabilityReport;
  warnings: string[];
  /** "sliced" once PrusaSlicer has sliced the model with this printer's profile (issue 14). */
  basis: "sliced" | "estimated";
  /** Per piece, as the slicer reported them (grams in this material); null while estimated. */
  sliced: { printSeconds: number; grams: number } | null;
  /** Why the price is still an estimate when slicing failed, in the customer's words. */
  sliceNote: string | null;
  /** The price in the customer's currency for comparison (a foreign shop, rates known); never charged. */
  converted: ConvertedPrice | null;
}

export interface ShopQuotes {
  organizationId: string;
  slug: string;
  name: string;
  country: string;
  currency: string;
  leadDays: number;
  rating: number | null;
  options: QuoteOption[];
}

/** The layer height for a quality from the printer's list (coarsest, middle, finest); null: engine default. */
function layerHeightFor(layers: number[], quality: Quality): number | null {
  const sorted = [...layers].filter((l) => l > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  if (quality === "fine") return sorted[0] ?? null;
  if (quality === "draft") return sorted[sorted.length - 1] ?? null;
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
}

/** The shop's rules with the chosen quality's layer height for `printerId`. */
function withQuality(
  rules: ShopPricingRules,
  printerId: string,
  layerHeightMm: number | null,
): ShopPricingRules {
  if (layerHeightMm === null) return rules;
  const current = rules.printers[printerId] ?? { enabled: true, machineHourlyMinor: null, process: {} };
  return {
    ...rules,
    printers: {
      ...rules.printers,
      [printerId]: { ...current, process: { ...current.process, layerHeightMm } },
    },
  };
}

interface Priced extends QuoteOption {
  printerId: string;
  layerHeightMm: number | null;
  gramsPerUnit: number;
  minutesPerUnit: number;
}

/**
 * Every way `shop` can make the model in `materialId` (or all its materials): material offered and in
 * stock, on an offered printer that runs it and fits the part. Keeps the cheapest printer per material.
 */
export function priceInShop(
  shop: PublicShop,
  analysis: ModelAnalysis,
  opts: {
    quantity: number;
    quality: Quality;
    rush: boolean;
    materialId?: string;
    slices?: UploadSlices;
    /** The shop's calibration factors, when it has switched them on (issue 14). */
    corrections?: Corrections;
    /** Why the slices are not used (a scaled model): the options say so instead of waiting for them. */
    unsliced?: string;
  },
): Priced[] {
  const out: Priced[] = [];
  // What depends on the printer alone, worked out once per printer rather than once per material.
  const printers = shop.printers.map((p) => {
    const layer = layerHeightFor(p.layerHeightsMm, opts.quality);
    // Printers are sliced at their "standard" layer height: other qualities stay estimated.
    const slice = opts.quality === "standard" ? opts.slices?.get(p.id) : undefined;
    return { p, layer, slice, rules: withQuality(shop.pricing, p.id, layer) };
  });
  for (const m of shop.materials) {
    if (opts.materialId && m.id !== opts.materialId) continue;
    if (!m.inStock) continue;
    let best: Priced | null = null;
    for (const { p, layer, slice, rules } of printers) {
      if (p.technology !== m.technology || !p.materialIds.includes(m.id)) continue;
      const sliced = slice && !("failed" in slice) ? slice : null;
      let q: ReturnType<typeof quoteModel>;
      try {
        q = quoteModel(analysis, rules, m, p, {
          quantity: opts.quantity,
          rush: opts.rush,
          currency: shop.currency,
          sliced,
          correction: opts.corrections?.get(`${p.id}:${m.id}:${sliced ? "sliced" : "estimated"}`),
        });
      } catch (e) {
        if (e instanceof DomainError) continue; // a shop whose pricing cannot price this model is skipped
        throw e;
      }
      if (!q.printability.fits) continue;
      if (best && best.totalMinor <= q.breakdown.totalMinor) continue;
      best = {
        materialId: m.id,
        materialName: m.name,
        materialKind: m.kind,
        technology: m.technology,
        colors: m.colors,
        printerName: p.name,
        printerId: p.id,
        layerHeightMm: layer,
        totalMinor: q.breakdown.totalMinor,
        breakdown: q.breakdown,
        printability: q.printability,
        warnings: q.warnings,
        basis: q.basis,
        sliced: sliced
          ? { printSeconds: sliced.printSeconds, grams: Math.round(q.estimate.weightG * 100) / 100 }
          : null,
        sliceNote: opts.unsliced ?? (slice && "failed" in slice ? slice.failed : null),
        converted: null,
        gramsPerUnit: q.gramsPerUnit,
        minutesPerUnit: q.minutesPerUnit,
      };
    }
    if (best) out.push(best);
  }
  return out.sort((a, b) => a.totalMinor - b.totalMinor);
}

/**
 * Instant quotes for one upload from every listed shop that can make it, priced on the server by the
 * quote engine with each shop's stored rules. Nothing is stored: createQuote stores the chosen one.
 */
export async function quoteOptions(
  db: Executor,
  owner: UploadOwner,
  input: z.input<typeof quoteOptionsInput>,
  /** Exchange rates for showing and sorting foreign prices in `input.currency`; none: unconverted. */
  rates: RateTable = new Map(),
): Promise<ShopQuotes[]> {
  const f = quoteOptionsInput.parse(input);
  const upload = await getUpload(db, owner, f.uploadId);
  const scale: ModelScale = { unit: f.unit, percent: f.scalePercent };
  const analysis = scaledModel(upload.analysis, scale);
  // The slicer sliced the file as it is: a scaled model is priced from the estimate.
  const unscaled = isUnscaled(scale);
  const slices = unscaled ? await uploadSlices(db, upload.id) : undefined;
  // Prices in several currencies are ranked in one: the customer's, else the euro (the rates' base).
  const comparedIn = f.currency ?? "EUR";
  // Every listed shop that could make it, read in a fixed number of queries however many there are.
  const shops = await getPublicShops(db, { technology: f.technology });
  const ids = shops.map((shop) => shop.organizationId);
  const [corrections, ratings] = await Promise.all([
    calibrationCorrectionsFor(db, ids),
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom("shopReview")
          .select(["organizationId", sql<number>`avg(rating)::float8`.as("rating")])
          .where("organizationId", "in", ids)
          .groupBy("organizationId")
          .execute(),
  ]);
  const ratingOf = new Map(ratings.map((r) => [r.organizationId, Number(r.rating)]));
  const result: ShopQuotes[] = [];
  for (const shop of shops) {
    const options = priceInShop(shop, analysis, {
      quantity: f.quantity,
      quality: f.quality,
      rush: false,
      slices,
      corrections: corrections.get(shop.organizationId) ?? new Map(),
      ...(unscaled ? {} : { unsliced: SCALED_NOT_SLICED }),
    });
    if (options.length === 0) continue;
    result.push({
      organizationId: shop.organizationId,
      slug: shop.slug,
      name: shop.name,
      country: shop.country,
      currency: shop.currency,
      leadDays: shop.standardLeadDays,
      rating: ratingOf.has(shop.organizationId)
        ? Math.round(ratingOf.get(shop.organizationId)! * 100) / 100
        : null,
      options: options.map(
        ({ printerId: _p, layerHeightMm: _l, gramsPerUnit: _g, minutesPerUnit: _m, ...o }) => ({
          ...o,
          converted: f.currency ? convertForComparison(rates, o.totalMinor, shop.currency, f.currency) : null,
        }),
      ),
    });
  }
  // Ranked by the price in one currency: a shop's own when it is the compared one (or no rate is known).
  const cheapest = (s: ShopQuotes) => {
    const total = s.options[0]?.totalMinor;
    if (total === undefined) return Number.MAX_SAFE_INTEGER;
    return convertForComparison(rates, total, s.currency, comparedIn)?.amountMinor ?? total;
  };
  return result.sort(
    (a, b) => (f.sort === "leadTime" ? a.leadDays - b.leadDays : 0) || cheapest(a) - cheapest(b),
  );
}

export const createQuoteInput = z.object({
  uploadId: z.string().min(1).max(100),
  shopSlug: z.string().min(1).max(100),
  materialId: z.string().min(1).max(100),
  color: z.string().trim().max(40).nullable().default(null),
  quality: qualitySchema.default("standard"),
  quantity: z.number().int().min(1, "At least one piece").max(10_000, "At most 10,000 pieces"),
  rush: z.boolean().default(false),
  ...modelScaleFields,
});

export interface QuoteView {
  id: string;
  uploadId: string;
  fileName: string;
  organizationId: string;
  shopName: string;
  shopSlug: string;
  materialId: string;
  materialName: string;
  color: string | null;
  quality: Quality;
  quantity: number;
  rush: boolean;
  currency: string;
  breakdown: QuoteBreakdown;
  totalMinor: number;
  leadDays: number;
  gramsPerUnit: number;
  minutesPerUnit: number;
  /** Which figures the stored price came from (issue 14); checkout charges the stored price as it is. */
  basis: "sliced" | "estimated";
  /** The unit and scale the model was quoted at (issue 20), and its size there. */
  scale: ModelScale;
  sizeMm: { x: number; y: number; z: number } | null;
  expiresAt: Date;
  expired: boolean;
}

/**
 * Prices the customer's choice on the server and stores it with its inputs and an expiry: an order pays
 * exactly this total while the quote holds.
 */
export async function createQuote(
  db: Executor,
  owner: UploadOwner,
  input: z.input<typeof createQuoteInput>,
  now: Date,
  /** The shop already resolved by the caller (the widget prices for unlisted shops too). */
  resolvedShop?: PublicShop,
): Promise<QuoteView> {
  const f = createQuoteInput.parse(input);
  const upload = await getUpload(db, owner, f.uploadId);
  const shop = resolvedShop ?? (await getPublicShop(db, f.shopSlug));
  const material = shop.materials.find((m) => m.id === f.materialId);
  if (!material) throw notFound("This shop does not offer that material");
  if (f.color && !material.colors.some((c) => c.toLowerCase() === f.color?.toLowerCase())) {
    throw new DomainError("BAD_REQUEST", `${material.name} does not come in ${f.color}`, {
      color: "Choose one of the listed colors",
    });
  }
  if (f.rush && shop.rushLeadDays === null) {
    throw new DomainError("BAD_REQUEST", "This shop does not take rush orders", { rush: "Not offered" });
  }
  const scale: ModelScale = { unit: f.unit, percent: f.scalePercent };
  const analysis = scaledModel(upload.analysis, scale);
  const unscaled = isUnscaled(scale);
  const corrections = await calibrationCorrections(db, shop.organizationId);
  const [priced] = priceInShop(shop, analysis, {
    quantity: f.quantity,
    quality: f.quality,
    rush: f.rush,
    materialId: f.materialId,
    slices: unscaled ? await uploadSlices(db, upload.id) : undefined,
    corrections,
    ...(unscaled ? {} : { unsliced: SCALED_NOT_SLICED }),
  });
  if (!priced) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `${shop.name} cannot make this model in ${material.name} right now`,
    );
  }
  const leadDays = f.rush && shop.rushLeadDays !== null ? shop.rushLeadDays : shop.standardLeadDays;
  const row = {
    id: newId("quo"),
    uploadId: upload.id,
    organizationId: shop.organizationId,
    materialId: material.id,
    printerId: priced.printerId,
    color: f.color,
    quantity: f.quantity,
    rush: f.rush,
    currency: shop.currency,
    totalMinor: priced.totalMinor,
    leadDays,
    expiresAt: new Date(now.getTime() + QUOTE_TTL_MS),
    createdAt: now,
  };
  const inputs = {
    quality: f.quality,
    layerHeightMm: priced.layerHeightMm,
    materialName: material.name,
    printerName: priced.printerName,
    gramsPerUnit: priced.gramsPerUnit,
    minutesPerUnit: priced.minutesPerUnit,
    // Which figures the stored price came from; the stored price is what checkout charges.
    basis: priced.basis,
    // The minutes already carry the shop's calibration: the planner must not correct them again.
    calibrated: corrections.has(`${priced.printerId}:${material.id}:${priced.basis}`),
    // At the customer's scale: the job's item sizes and the shop's checks use these.
    scale,
    bbox: analysis.bbox.size,
    volumeMm3: analysis.volumeMm3,
  };
  await db
    .insertInto("marketplaceQuote")
    .values({ ...row, inputs: JSON.stringify(inputs), breakdown: JSON.stringify(priced.breakdown) })
    .execute();
  // The printer and the row's creation time stay in the shop's records, not in the customer's view.
  const { printerId: _printerId, createdAt: _createdAt, ...stored } = row;
  return {
    ...stored,
    fileName: upload.fileName,
    shopName: shop.name,
    shopSlug: shop.slug,
    materialName: material.name,
    quality: f.quality,
    breakdown: priced.breakdown,
    gramsPerUnit: priced.gramsPerUnit,
    minutesPerUnit: priced.minutesPerUnit,
    basis: priced.basis,
    scale,
    sizeMm: analysis.bbox.size,
    expired: false,
  };
}

const storedScale = z
  .object({ unit: z.enum(MODEL_UNITS), percent: z.number().min(1).max(10_000) })
  .catch({ unit: "mm", percent: 100 });
const storedSize = z.object({ x: z.number(), y: z.number(), z: z.number() }).nullable().catch(null);

/** Quotes as their owner sees them (uploads visible to `owner`). */
export async function readQuotes(db: Executor, quoteIds: string[], now: Date): Promise<QuoteView[]> {
  if (quoteIds.length === 0) return [];
  const rows = await db
    .selectFrom("marketplaceQuote as q")
    .innerJoin("modelUpload as u", "u.id", "q.uploadId")
    .innerJoin("organization as o", "o.id", "q.organizationId")
    .select([
      "q.id",
      "q.uploadId",
      "u.fileName",
      "q.organizationId",
      "o.name as shopName",
      "o.slug as shopSlug",
      "q.materialId",
      "q.color",
      "q.quantity",
      "q.rush",
      "q.currency",
      "q.breakdown",
      "q.inputs",
      "q.totalMinor",
      "q.leadDays",
      "q.expiresAt",
    ])
    .where("q.id", "in", quoteIds)
    .execute();
  return rows.map(({ inputs, breakdown, ...r }) => ({
    ...r,
    materialName: String(inputs.materialName ?? ""),
    quality: qualitySchema.catch("standard").parse(inputs.quality),
    breakdown: breakdown as unknown as QuoteBreakdown,
    gramsPerUnit: Number(inputs.gramsPerUnit ?? 0),
    minutesPerUnit: Number(inputs.minutesPerUnit ?? 0),
    basis: inputs.basis === "sliced" ? ("sliced" as const) : ("estimated" as const),
    // Quotes stored before issue 20 have no scale: they were made as the file says.
    scale: storedScale.parse(inputs.scale ?? undefined),
    sizeMm: storedSize.parse(inputs.bbox ?? null),
    expired: new Date(r.expiresAt).getTime() <= now.getTime(),
  }));
}

export async function getQuote(
  db: Executor,
  owner: UploadOwner,
  quoteId: string,
  now: Date,
): Promise<QuoteView> {
  const q = await db
    .selectFrom("marketplaceQuote")
    .select("uploadId")
    .where("id", "=", quoteId)
    .executeTakeFirst();
  if (!q) throw notFound("Quote not found");
  await getUpload(db, owner, q.uploadId); // NOT_FOUND unless the caller owns the upload
  const [view] = await readQuotes(db, [quoteId], now);
  if (!view) throw notFound("Quote not found");
  return view;
}
