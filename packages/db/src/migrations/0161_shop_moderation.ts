import { type Kysely, sql } from "kysely";

// Shop moderation by the platform (issue 16, req. 2). An admin can unlist a shop with a reason (a hold:
// the shop cannot list itself again until an admin relists it; the check keeps that true whatever path
// writes the row) and mark a shop verified (Stripe charges enabled plus the admin's review).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("shop_settings").addColumn("moderation_hold_reason", "text").execute();
  await db.schema.alterTable("shop_settings").addColumn("moderation_hold_at", "timestamptz").execute();
  await db.schema.alterTable("shop_settings").addColumn("verified_at", "timestamptz").execute();
  await db.schema.alterTable("shop_settings").addColumn("verified_by", "text").execute();
  await sql`alter table shop_settings add constraint shop_settings_hold_unlisted
    check (moderation_hold_at is null or not listed)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table shop_settings drop constraint shop_settings_hold_unlisted`.execute(db);
  for (const c of ["verified_by", "verified_at", "moderation_hold_at", "moderation_hold_reason"]) {
    await db.schema.alterTable("shop_settings").dropColumn(c).execute();
  }
}
