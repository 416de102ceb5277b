import { type Kysely, sql } from "kysely";

// Calibration from actual print times (issue 14, requirement 6): per shop, whether the fitted
// correction of print times is applied to new quotes. The fits themselves are computed from the jobs'
// status history when asked (they change with every finished job), so only the shop's switch is stored.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("shop_calibration")
    .addColumn("organization_id", "text", (c) =>
      c.primaryKey().references("organization.id").onDelete("cascade"),
    )
    .addColumn("enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("shop_calibration").execute();
}
