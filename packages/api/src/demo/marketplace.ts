import { type Database, newId } from "@ktizo/db";

export interface SeedMarketplaceOptions {
  /** Slugs of the shops that get demo reviews (the two demo shops). */
  shopSlugs: string[];
  /**
   * Shipping zones per shop slug: shipping option name → the countries it delivers to. Set on options
   * that have no zone yet (a shop's own later choice is left alone).
   */
  shipTo?: Record<string, Record<string, readonly string[]>>;
}

const DEMO_REVIEWS = [
  { authorName: "Maya", rating: 5, body: "Crisp layers and it arrived a day early." },
  { authorName: "Jonas", rating: 4, body: "Good print, friendly messages, packaging could be better." },
  { authorName: "Priya", rating: 5, body: "Exactly the quoted price, fast turnaround." },
];

/** Demo reviews on the given shops. Idempotent: a shop that already has reviews is left alone. */
export async function seedMarketplace(
  db: Database,
  options: SeedMarketplaceOptions,
): Promise<{ reviews: number }> {
  let reviews = 0;
  for (const [i, slug] of options.shopSlugs.entries()) {
    const org = await db.selectFrom("organization").select("id").where("slug", "=", slug).executeTakeFirst();
    if (!org) continue;
    const existing = await db
      .selectFrom("shopReview")
      .select("id")
      .where("organizationId", "=", org.id)
      .executeTakeFirst();
    if (existing) continue;
    // Different ratings per shop so sorting by rating shows something.
    const picks = DEMO_REVIEWS.slice(i % 2, DEMO_REVIEWS.length);
    for (const r of picks) {
      await db
        .insertInto("shopReview")
        .values({ id: newId("rev"), organizationId: org.id, orderId: null, userId: null, ...r })
        .execute();
      reviews++;
    }
  }
  for (const [slug, zones] of Object.entries(options.shipTo ?? {})) {
    const row = await db
      .selectFrom("shopSettings as s")
      .innerJoin("organization as o", "o.id", "s.organizationId")
      .select(["s.organizationId", "s.shippingOptions"])
      .where("o.slug", "=", slug)
      .executeTakeFirst();
    if (!row) continue;
    let changed = false;
    const next = row.shippingOptions.map((option) => {
      const zone = zones[option.name];
      if (!zone || option.countries !== undefined) return option;
      changed = true;
      return { ...option, countries: [...zone].sort() };
    });
    if (changed) {
      await db
        .updateTable("shopSettings")
        .set({ shippingOptions: JSON.stringify(next) })
        .where("organizationId", "=", row.organizationId)
        .execute();
    }
  }
  return { reviews };
}
