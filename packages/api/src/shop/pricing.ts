import { recordAudit } from "@ktizo/db";
import { isQuoteError } from "@ktizo/quote";
import { z } from "zod";
import {
  badRequest,
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import {
  defaultPricingRules,
  effectivePricingModel,
  type ShopPricingRules,
  shopPricingRulesSchema,
} from "./pricing-model.ts";
import { ensureShopSettings } from "./profile.ts";
import {
  modelAnalysisInput,
  quoteModel,
  type ShopQuote,
  type SlicedFigures,
  toModelAnalysis,
} from "./quote.ts";

export interface ShopPricing {
  pricing: ShopPricingRules;
  /** false until the shop saves its own rules (defaults are shown). */
  customized: boolean;
  currency: string;
}

export async function getShopPricing(db: Executor, organizationId: string): Promise<ShopPricing> {
  await ensureShopSettings(db, organizationId);
  const row = await db
    .selectFrom("shopSettings as s")
    .innerJoin("organizationProfile as p", "p.organizationId", "s.organizationId")
    .select(["s.pricing", "p.currency"])
    .where("s.organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("Shop not found");
  return { ...pricingRulesFrom(row.pricing), currency: row.currency };
}

/** The rules stored in `shop_settings.pricing`: the defaults until the shop saves valid rules of its own. */
export function pricingRulesFrom(stored: unknown): { pricing: ShopPricingRules; customized: boolean } {
  if (stored === null || stored === undefined) return { pricing: defaultPricingRules, customized: false };
  const parsed = shopPricingRulesSchema.safeParse(stored);
  return { pricing: parsed.success ? parsed.data : defaultPricingRules, customized: parsed.success };
}

export const updatePricingInput = z.object({ pricing: shopPricingRulesSchema });

/** Saves the pricing rules; overrides must name this shop's materials and printers; audited with before/after. */
export async function updateShopPricing(
  db: Executor,
  actor: OrgActor,
  pricing: ShopPricingRules,
  now: Date,
): Promise<ShopPricing> {
  const validated = shopPricingRulesSchema.parse(pricing);
  await assertOwnIds(db, actor.organizationId, validated);
  await assertEngineAccepts(db, actor.organizationId, validated);
  const before = await getShopPricing(db, actor.organizationId);
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("shopSettings")
      .set({ pricing: JSON.stringify(validated), updatedAt: now })
      .where("organizationId", "=", actor.organizationId)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "shop.pricing.updated",
      subjectType: "organization",
      subjectId: actor.organizationId,
      data: { before: before.customized ? before.pricing : null, after: validated },
    });
  });
  return getShopPricing(db, actor.organizationId);
}

/** Every material × printer combination must give the quote engine a PricingModel it accepts. */
async function assertEngineAccepts(db: Executor, organizationId: string, rules: ShopPricingRules) {
  const [materials, printers, currency] = await Promise.all([
    db
      .selectFrom("material")
      .select(["id", "name", "technology", "densityGramsPerCm3", "costPerKgMinor"])
      .where("organizationId", "=", organizationId)
      .execute(),
    db
      .selectFrom("printer")
      .select(["id", "name", "technology", "hourlyRateMinor"])
      .where("organizationId", "=", organizationId)
      .execute(),
    db
      .selectFrom("organizationProfile")
      .select("currency")
      .where("organizationId", "=", organizationId)
      .executeTakeFirst(),
  ]);
  for (const m of materials) {
    for (const p of printers.filter((x) => x.technology === m.technology)) {
      try {
        effectivePricingModel(rules, m, p, currency?.currency ?? "USD");
      } catch (e) {
        if (!isQuoteError(e)) throw e;
        throw badRequest(`${m.name} on ${p.name}: ${e.message}`, { pricing: e.message });
      }
    }
  }
}

async function assertOwnIds(db: Executor, organizationId: string, pricing: ShopPricingRules) {
  const materialIds = [
    ...new Set([...Object.keys(pricing.materials), ...pricing.pairs.map((p) => p.materialId)]),
  ];
  const printerIds = [
    ...new Set([...Object.keys(pricing.printers), ...pricing.pairs.map((p) => p.printerId)]),
  ];
  if (materialIds.length > 0) {
    const found = await db
      .selectFrom("material")
      .select("id")
      .where("organizationId", "=", organizationId)
      .where("id", "in", materialIds)
      .execute();
    if (found.length !== materialIds.length) {
      throw notFound("Material not found");
    }
  }
  if (printerIds.length > 0) {
    const found = await db
      .selectFrom("printer")
      .select("id")
      .where("organizationId", "=", organizationId)
      .where("id", "in", printerIds)
      .execute();
    if (found.length !== printerIds.length) {
      throw notFound("Printer not found");
    }
  }
}

export const pricePreviewInput = z.object({
  /** The dropped model's analysis (the quote engine runs in the browser; uploads use quoteForShop). */
  analysis: modelAnalysisInput,
  materialId: idSchema,
  printerId: idSchema,
  quantity: z.number().int().min(1, "Quantity is at least 1").max(1_000_000).default(1),
  rush: z.boolean().default(false),
  /** Unsaved rules from the editor; the saved rules when absent. */
  pricing: shopPricingRulesSchema.optional(),
});

/**
 * The exact quote a customer would get from this shop for a model, material and printer: estimate,
 * printability and price breakdown. The marketplace uses it too (with `pricing` absent).
 */
export async function quoteForShop(
  db: Executor,
  organizationId: string,
  input: z.input<typeof pricePreviewInput>,
  /** The slicer's figures for this model and printer (issue 14); the heuristic estimate when absent. */
  sliced: SlicedFigures | null = null,
): Promise<ShopQuote> {
  const q = pricePreviewInput.parse(input);
  const [material, printer, saved] = await Promise.all([
    db
      .selectFrom("material")
      .select(["id", "name", "technology", "densityGramsPerCm3", "costPerKgMinor"])
      .where("organizationId", "=", organizationId)
      .where("id", "=", q.materialId)
      .where("archivedAt", "is", null)
      .executeTakeFirst(),
    db
      .selectFrom("printer")
      .select([
        "id",
        "name",
        "technology",
        "hourlyRateMinor",
        "buildWidthMm",
        "buildDepthMm",
        "buildHeightMm",
      ])
      .where("organizationId", "=", organizationId)
      .where("id", "=", q.printerId)
      .executeTakeFirst(),
    getShopPricing(db, organizationId),
  ]);
  if (!material) throw notFound("Material not found");
  if (!printer) throw notFound("Printer not found");
  return quoteModel(
    toModelAnalysis(q.analysis),
    q.pricing ?? saved.pricing,
    material,
    {
      ...printer,
      buildVolumeMm: { x: printer.buildWidthMm, y: printer.buildDepthMm, z: printer.buildHeightMm },
    },
    { quantity: q.quantity, rush: q.rush, currency: saved.currency, sliced },
  );
}
