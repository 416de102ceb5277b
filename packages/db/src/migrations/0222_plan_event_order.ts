import type { Kysely } from "kysely";

// Issue 16, req. 9: Stripe does not promise the order of its events. The subscription row keeps the
// creation time of the subscription event it reflects, so an older event arriving late changes nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("shop_subscription")
    .addColumn("stripe_event_created_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("shop_subscription").dropColumn("stripe_event_created_at").execute();
}
