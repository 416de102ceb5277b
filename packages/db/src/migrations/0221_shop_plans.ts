import { type Kysely, sql } from "kysely";

// Shop plans billed by the platform (issue 16, req. 9). One row per shop that chose a plan: new shops
// start on Free; a shop without a row opened before plans existed (the "founding" plan: every feature,
// unbilled). Stripe's subscription events keep the row as Stripe has it (plan, status, period, trial);
// a failed payment opens a grace period (the paid plan's limits hold until grace_ends_at), a paid
// invoice closes it. The monthly amount is kept for the admin dashboard's recurring revenue.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("shop_subscription")
    .addColumn("organization_id", "text", (c) =>
      c.primaryKey().references("organization.id").onDelete("cascade"),
    )
    .addColumn("plan", "text", (c) => c.notNull().check(sql`plan in ('free', 'pro', 'studio')`))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('active', 'trialing', 'past_due', 'canceled', 'incomplete')`),
    )
    .addColumn("stripe_customer_id", "text")
    .addColumn("stripe_subscription_id", "text", (c) => c.unique())
    .addColumn("amount_minor", "integer", (c) => c.notNull().defaultTo(0).check(sql`amount_minor >= 0`))
    .addColumn("currency", "text", (c) => c.notNull().defaultTo("usd"))
    .addColumn("current_period_end", "timestamptz")
    .addColumn("trial_ends_at", "timestamptz")
    .addColumn("payment_failed_at", "timestamptz")
    .addColumn("grace_ends_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("shop_subscription_customer_idx")
    .on("shop_subscription")
    .column("stripe_customer_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("shop_subscription").execute();
}
