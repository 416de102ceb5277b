import { type Kysely, sql } from "kysely";

// The platform fee of a marketplace order is fixed when the order is placed (issue 5, req. 4): the
// fee in minor units (platform_fee_minor, already there) and now the rate it was computed with
// (basis points, so a later change of STRIPE_PLATFORM_FEE_BPS does not rewrite history), and the
// shop's connected Stripe account the payment was transferred to (null: collected by the platform,
// e.g. the shop had not connected Stripe, or local test mode without a connected account). A refund
// reverses the transfer only when there was one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("marketplace_order")
    .addColumn("platform_fee_bps", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`platform_fee_bps between 0 and 10000`),
    )
    .execute();
  await db.schema.alterTable("marketplace_order").addColumn("connected_account_id", "text").execute();
  // Orders placed before this migration were transferred when their shop could take charges.
  await sql`
    update marketplace_order o set connected_account_id = a.stripe_account_id
    from shop_payment_account a
    where a.organization_id = o.organization_id and a.charges_enabled and o.checkout_session_id is not null
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("marketplace_order").dropColumn("connected_account_id").execute();
  await db.schema.alterTable("marketplace_order").dropColumn("platform_fee_bps").execute();
}
