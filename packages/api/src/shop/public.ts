import type { PrinterStatus, PrintTechnology, ShippingOption } from "@ktizo/db";
import { sql } from "kysely";
import type { Executor } from "../kernel/index.ts";
import { notFound } from "../kernel/index.ts";
import { planLimits } from "./plans.ts";
import { pricingRulesFrom } from "./pricing.ts";
import type { ShopPricingRules } from "./pricing-model.ts";
import { getWidgetSettings, type WidgetSettings } from "./widget.ts";

/** What anyone may see of a listed shop. No stock figures, costs or internal notes. */
export interface PublicShopSummary {
  organizationId: string;
  slug: string;
  name: string;
  description: string;
  logo: string | null;
  country: string;
  city: string | null;
  currency: string;
  technologies: PrintTechnology[];
  standardLeadDays: number;
  rushLeadDays: number | null;
  materialKinds: string[];
}

export interface PublicShop extends PublicShopSummary {
  timezone: string;
  shippingOptions: ShippingOption[];
  materials: {
    id: string;
    name: string;
    kind: string;
    technology: PrintTechnology;
    colors: string[];
    finishes: string[];
    densityGramsPerCm3: number;
    costPerKgMinor: number;
    inStock: boolean;
  }[];
  printers: {
    id: string;
    name: string;
    technology: PrintTechnology;
    buildVolumeMm: { x: number; y: number; z: number };
    layerHeightsMm: number[];
    hourlyRateMinor: number;
    status: PrinterStatus;
    materialIds: string[];
  }[];
  /** The rules the quote engine prices with (disabled materials and printers are left out above). */
  pricing: ShopPricingRules;
}

function summaryQuery(db: Executor, listedOnly = true) {
  return db
    .selectFrom("organization as o")
    .innerJoin("organizationProfile as p", "p.organizationId", "o.id")
    .innerJoin("shopSettings as s", "s.organizationId", "o.id")
    .$if(listedOnly, (q) => q.where("s.listed", "=", true))
    .select([
      "o.id as organizationId",
      "o.slug",
      "o.name",
      "s.description",
      "o.logo",
      "p.country",
      "p.city",
      "p.currency",
      "s.technologies",
      "s.standardLeadDays",
      "s.rushLeadDays",
      "s.timezone",
      "s.shippingOptions",
      "s.pricing",
      "o.createdAt",
      sql<
        string[]
      >`coalesce((select array_agg(distinct m.kind order by m.kind) from material m where m.organization_id = o.id and m.archived_at is null), '{}')`.as(
        "materialKinds",
      ),
    ]);
}

/**
 * A listed shop's public page: profile, offered materials and printers, pricing rules. NOT_FOUND when
 * unlisted, unless `listedOnly` is false (the shop's own quote widget, whose caller checked it is on).
 */
export async function getPublicShop(
  db: Executor,
  slug: string,
  options: { listedOnly?: boolean } = {},
): Promise<PublicShop> {
  const [shop] = await getPublicShops(db, { slug, listedOnly: options.listedOnly ?? true });
  if (!shop) throw notFound("Shop not found");
  return shop;
}

/**
 * Many shops' public pages in three queries whatever their number (the marketplace's quote comparison
 * prices every listed shop at once): the shop with `slug`, or every listed shop offering `technology`.
 */
export async function getPublicShops(
  db: Executor,
  filter: { slug: string; listedOnly: boolean } | { technology?: PrintTechnology | undefined },
): Promise<PublicShop[]> {
  const rows = await ("slug" in filter
    ? summaryQuery(db, filter.listedOnly).where("o.slug", "=", filter.slug.toLowerCase())
    : summaryQuery(db).$if(filter.technology !== undefined, (q) =>
        q.where(sql<boolean>`s.technologies @> ${JSON.stringify([filter.technology])}::jsonb`),
      )
  )
    .orderBy("o.name")
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.organizationId);
  const [materials, printers] = await Promise.all([
    db
      .selectFrom("material")
      .select([
        "organizationId",
        "id",
        "name",
        "kind",
        "technology",
        "colors",
        "finishes",
        "densityGramsPerCm3",
        "costPerKgMinor",
        sql<boolean>`on_hand_g - reserved_g > 0`.as("inStock"),
      ])
      .where("organizationId", "in", ids)
      .where("archivedAt", "is", null)
      .orderBy("name")
      .execute(),
    db
      .selectFrom("printer")
      .select([
        "organizationId",
        "id",
        "name",
        "technology",
        "buildWidthMm",
        "buildDepthMm",
        "buildHeightMm",
        "layerHeightsMm",
        "hourlyRateMinor",
        "status",
        sql<
          string[]
        >`coalesce((select array_agg(pm.material_id order by pm.material_id) from printer_material pm where pm.printer_id = printer.id), '{}')`.as(
          "materialIds",
        ),
      ])
      .where("organizationId", "in", ids)
      .where("status", "<>", "offline")
      .orderBy("name")
      .execute(),
  ]);
  // Grouped by shop once (in name order): filtering every shop's rows out of all of them was quadratic
  // in the number of shops (the quote comparison's profile at 200 shops).
  const materialsOf = groupByShop(materials);
  const printersOf = groupByShop(printers);
  return rows.map(({ createdAt: _c, pricing: stored, ...rest }) => {
    const { pricing } = pricingRulesFrom(stored);
    return {
      ...rest,
      materials: (materialsOf.get(rest.organizationId) ?? [])
        .filter((m) => pricing.materials[m.id]?.enabled !== false)
        .map(({ organizationId: _o, ...m }) => m),
      printers: (printersOf.get(rest.organizationId) ?? [])
        .filter((p) => pricing.printers[p.id]?.enabled !== false)
        .map(({ organizationId: _o, buildWidthMm, buildDepthMm, buildHeightMm, ...p }) => ({
          ...p,
          buildVolumeMm: { x: buildWidthMm, y: buildDepthMm, z: buildHeightMm },
        })),
      pricing,
    };
  });
}

function groupByShop<T extends { organizationId: string }>(rows: T[]): Map<string, T[]> {
  const byShop = new Map<string, T[]>();
  for (const row of rows) {
    const list = byShop.get(row.organizationId);
    if (list) list.push(row);
    else byShop.set(row.organizationId, [row]);
  }
  return byShop;
}

/**
 * The quote widget's settings for a shop's embed page (/embed/quote/:shop), whether or not the shop is
 * listed on the marketplace. NOT_FOUND when the shop does not exist, its widget is switched off, or its
 * plan no longer includes the widget.
 */
export async function getPublicWidget(
  db: Executor,
  slug: string,
  now: Date,
): Promise<WidgetSettings & { organizationId: string; name: string }> {
  const org = await db
    .selectFrom("organization")
    .select(["id", "name"])
    .where("slug", "=", slug.toLowerCase())
    .executeTakeFirst();
  if (!org) throw notFound("Shop not found");
  const widget = await getWidgetSettings(db, org.id);
  if (!widget.enabled) throw notFound("Shop not found");
  // A widget switched on under a paid plan stops when the shop is back on a plan without it.
  if (!(await planLimits(db, org.id, now)).limits.widget) throw notFound("Shop not found");
  return { ...widget, organizationId: org.id, name: org.name };
}
