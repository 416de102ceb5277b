import { type Kysely, sql } from "kysely";

// Issue 20: the unit and scale a customer chose for a model travel with its quote (in the quote's
// inputs), its order line and the shop's job item; and the exchange rates used to compare shops' prices
// in the customer's currency (refreshed by a background job, one row per currency against the euro).
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ["order_line", "job_item"]) {
    await db.schema
      .alterTable(table)
      .addColumn("scale_unit", "text", (c) =>
        c.notNull().defaultTo("mm").check(sql`scale_unit in ('mm', 'cm', 'm', 'in')`),
      )
      .addColumn("scale_percent", "double precision", (c) =>
        c.notNull().defaultTo(100).check(sql`scale_percent >= 1 and scale_percent <= 10000`),
      )
      .execute();
  }
  await db.schema
    .createTable("exchange_rate")
    .addColumn("currency", "text", (c) => c.primaryKey().check(sql`currency ~ '^[A-Z]{3}$'`))
    // Units of `currency` per euro (the ECB's reference rates are quoted this way).
    .addColumn("per_eur", "double precision", (c) => c.notNull().check(sql`per_eur > 0`))
    // The day the provider published the rate (not when we fetched it).
    .addColumn("rate_date", "text", (c) => c.notNull().check(sql`rate_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("fetched_at", "timestamptz", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("exchange_rate").execute();
  for (const table of ["order_line", "job_item"]) {
    await db.schema.alterTable(table).dropColumn("scale_unit").dropColumn("scale_percent").execute();
  }
}
