import type { PrintTechnology } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  type Executor,
  likePattern,
  type Page,
  paginationSchema,
  technologySchema,
  toPage,
} from "../kernel/index.ts";
import { getPublicShop, type PublicShop } from "../shop/public.ts";
import { listShopReviews, type ReviewView } from "./reviews.ts";
import { shipsTo } from "./shipping.ts";

export const searchShopsInput = paginationSchema.extend({
  search: z.string().trim().max(200).optional(),
  technology: technologySchema.optional(),
  materialKind: z.string().trim().toUpperCase().max(40).optional(),
  color: z.string().trim().max(40).optional(),
  /** A country the shop ships to (one of its shipping options delivers there; see shipping.ts). */
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as US")
    .optional(),
  maxLeadDays: z.number().int().min(1).max(365).optional(),
  minRating: z.number().min(1).max(5).optional(),
  sort: z.enum(["rating", "leadTime", "name", "newest"]).default("rating"),
});

export interface ShopSearchResult {
  organizationId: string;
  slug: string;
  name: string;
  description: string;
  country: string;
  city: string | null;
  currency: string;
  technologies: PrintTechnology[];
  standardLeadDays: number;
  /** Countries the shop's shipping options deliver to. */
  shipsTo: string[];
  materialKinds: string[];
  rating: number | null;
  reviewCount: number;
  /** The platform checked the shop: its Stripe account takes charges and an admin reviewed it. */
  verified: boolean;
}

/** Verified: an admin reviewed the shop (issue 16) and its Stripe account takes charges now. */
const VERIFIED = sql<boolean>`(s.verified_at is not null and exists (select 1 from shop_payment_account pa
  where pa.organization_id = o.id and pa.charges_enabled))`;

/** Listed shops for the marketplace directory; unlisted shops never appear. */
export async function searchShops(
  db: Executor,
  filters: z.input<typeof searchShopsInput>,
): Promise<Page<ShopSearchResult>> {
  const f = searchShopsInput.parse(filters);
  let q = db
    .selectFrom("organization as o")
    .innerJoin("organizationProfile as p", "p.organizationId", "o.id")
    .innerJoin("shopSettings as s", "s.organizationId", "o.id")
    .where("s.listed", "=", true)
    .select([
      "o.id as organizationId",
      "o.slug",
      "o.name",
      "s.description",
      "p.country",
      "p.city",
      "p.currency",
      "s.technologies",
      "s.standardLeadDays",
      "s.shippingOptions",
      "o.createdAt",
      sql<
        string[]
      >`coalesce((select array_agg(distinct m.kind order by m.kind) from material m where m.organization_id = o.id and m.archived_at is null), '{}')`.as(
        "materialKinds",
      ),
      sql<
        number | null
      >`(select round(avg(r.rating)::numeric, 2)::float8 from shop_review r where r.organization_id = o.id)`.as(
        "rating",
      ),
      sql<number>`(select count(*)::int from shop_review r where r.organization_id = o.id)`.as("reviewCount"),
      VERIFIED.as("verified"),
    ]);
  if (f.search) {
    const p = likePattern(f.search);
    q = q.where((eb) =>
      eb.or([eb("o.name", "ilike", p), eb("s.description", "ilike", p), eb("p.city", "ilike", p)]),
    );
  }
  if (f.technology) q = q.where(sql<boolean>`s.technologies ? ${f.technology}`);
  if (f.country) {
    // Same rule as optionDeliversTo: an option's own zone list, or else the shop's own country.
    q = q.where(
      sql<boolean>`exists (select 1 from jsonb_array_elements(s.shipping_options) opt where case when jsonb_typeof(opt->'countries') = 'array' and jsonb_array_length(opt->'countries') > 0 then opt->'countries' @> jsonb_build_array(${f.country}::text) else p.country = ${f.country} end)`,
    );
  }
  if (f.maxLeadDays) q = q.where("s.standardLeadDays", "<=", f.maxLeadDays);
  if (f.materialKind || f.color) {
    const kind = f.materialKind;
    const color = f.color?.toLowerCase();
    q = q.where(({ exists, selectFrom }) => {
      let m = selectFrom("material as m")
        .select("m.id")
        .whereRef("m.organizationId", "=", "o.id")
        .where("m.archivedAt", "is", null);
      if (kind) m = m.where(sql<boolean>`upper(m.kind) = ${kind}`);
      if (color)
        m = m.where(
          sql<boolean>`exists (select 1 from jsonb_array_elements_text(m.colors) c where lower(c) = ${color})`,
        );
      return exists(m);
    });
  }
  if (f.minRating) {
    q = q.where(
      sql<boolean>`(select avg(r.rating) from shop_review r where r.organization_id = o.id) >= ${f.minRating}`,
    );
  }
  const total = await db
    .selectFrom(q.as("x"))
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  const ordered =
    f.sort === "rating"
      ? q.orderBy(sql`rating desc nulls last`).orderBy("o.name")
      : f.sort === "leadTime"
        ? q.orderBy("s.standardLeadDays").orderBy("o.name")
        : f.sort === "newest"
          ? q.orderBy("o.createdAt", "desc")
          : q.orderBy("o.name");
  const rows = await ordered
    .orderBy("o.id")
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return toPage(
    rows.map(({ createdAt: _c, shippingOptions, ...r }) => ({
      ...r,
      shipsTo: shipsTo(shippingOptions, r.country),
      rating: r.rating === null ? null : Number(r.rating),
    })),
    total.n,
    f,
  );
}

export interface ShopPage {
  shop: Omit<PublicShop, "pricing" | "materials" | "printers"> & {
    materials: Omit<PublicShop["materials"][number], "costPerKgMinor">[];
    printers: Omit<PublicShop["printers"][number], "hourlyRateMinor">[];
    /** Countries the shop's shipping options deliver to. */
    shipsTo: string[];
  };
  rating: number | null;
  reviewCount: number;
  reviews: ReviewView[];
  /** The platform checked the shop (see VERIFIED). */
  verified: boolean;
}

/** A listed shop's public page: profile, materials, printer capabilities and reviews (no cost figures). */
export async function getShopPage(db: Executor, slug: string): Promise<ShopPage> {
  const { pricing: _p, materials, printers, ...shop } = await getPublicShop(db, slug);
  const reviews = await listShopReviews(db, shop.organizationId, { page: 1, pageSize: 20 });
  const verified = await db
    .selectFrom("organization as o")
    .innerJoin("shopSettings as s", "s.organizationId", "o.id")
    .select(VERIFIED.as("verified"))
    .where("o.id", "=", shop.organizationId)
    .executeTakeFirst();
  return {
    shop: {
      ...shop,
      materials: materials.map(({ costPerKgMinor: _c, ...m }) => m),
      printers: printers.map(({ hourlyRateMinor: _h, ...p }) => p),
      shipsTo: shipsTo(shop.shippingOptions, shop.country),
    },
    rating: reviews.rating,
    reviewCount: reviews.total,
    reviews: reviews.items,
    verified: verified?.verified === true,
  };
}
