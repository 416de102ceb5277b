import { type Kysely, sql } from "kysely";

// Order and payment state under races (issue 18, req. 1-3).
//
// - captured_minor: what the payment provider reports it took for the order (a paid event, also one
//   that lands after the order was cancelled). refund_id: the full refund the platform asked for. A
//   cancelled order with money captured and no refund_id owes the customer a refund; the webhook and the
//   order pages settle it (idempotently) until refund_id is set.
// - payment_mismatch: signed payment events that did not match their order (amount, currency, or either
//   missing). They are never applied; the admin console lists them for a person to look at.
// - A shop's currency change expires its open quotes: a cart or widget order can never sum quotes in two
//   currencies. Done by a trigger so every path that changes the currency (profile, seed, support) is
//   covered. Expiry is set to the quote's own created_at, which is before any "now" the application's
//   clock can give for it, so the quote reads as expired whatever clock the app runs on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("marketplace_order")
    .addColumn("captured_minor", "integer", (c) => c.notNull().defaultTo(0).check(sql`captured_minor >= 0`))
    .execute();
  await db.schema.alterTable("marketplace_order").addColumn("refund_id", "text").execute();
  await sql`update marketplace_order set captured_minor = total_minor where paid_at is not null`.execute(db);
  // Before this migration a paid order was refunded before it showed cancelled (or refunded).
  await sql`update marketplace_order set refund_id = 'refunded-before-0090'
    where paid_at is not null and status in ('cancelled', 'refunded')`.execute(db);

  await db.schema
    .createTable("payment_mismatch")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("order_id", "text", (c) => c.references("marketplace_order.id").onDelete("set null"))
    .addColumn("reason", "text", (c) =>
      c.notNull().check(sql`reason in ('amount', 'currency', 'missing_amount', 'missing_currency')`),
    )
    .addColumn("expected_minor", "integer")
    .addColumn("expected_currency", "text")
    .addColumn("received_minor", "integer")
    .addColumn("received_currency", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("payment_mismatch_created_idx")
    .on("payment_mismatch")
    .columns(["created_at desc", "id desc"])
    .execute();

  await sql`
    create function expire_quotes_on_currency_change() returns trigger language plpgsql as $$
    begin
      update marketplace_quote set expires_at = created_at
      where organization_id = new.organization_id and expires_at > created_at;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger organization_profile_currency_change
    after update of currency on organization_profile
    for each row when (old.currency is distinct from new.currency)
    execute function expire_quotes_on_currency_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger organization_profile_currency_change on organization_profile`.execute(db);
  await sql`drop function expire_quotes_on_currency_change()`.execute(db);
  await db.schema.dropTable("payment_mismatch").execute();
  await db.schema.alterTable("marketplace_order").dropColumn("refund_id").execute();
  await db.schema.alterTable("marketplace_order").dropColumn("captured_minor").execute();
}
