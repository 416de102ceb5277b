import { type Kysely, sql } from "kysely";

// Capacity planning (issue 15): planned maintenance per printer, which the planner keeps free and the
// schedule shows; and what a shop user did with a smart suggestion (accepted or dismissed), so a
// dismissed suggestion stays away and the shop can see where suggestions helped.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("printer_maintenance")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("printer_id", "text", (c) => c.notNull().references("printer.id").onDelete("cascade"))
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("printer_maintenance_ends_after_start", sql`ends_at > starts_at`)
    .execute();
  await db.schema
    .createIndex("printer_maintenance_printer_idx")
    .on("printer_maintenance")
    .columns(["organization_id", "printer_id", "starts_at"])
    .execute();

  await db.schema
    .createTable("suggestion_outcome")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('printer_material', 'price_check', 'reorder')`),
    )
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('accepted', 'dismissed')`))
    /** What was suggested, as shown (printer, material, range, amount), for the record. */
    .addColumn("detail", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("suggestion_outcome_subject_idx")
    .on("suggestion_outcome")
    .columns(["organization_id", "kind", "subject_id"])
    .execute();
  // A job's suggestion is answered once; a reorder suggestion comes back (and is answered) over time.
  await sql`create unique index suggestion_outcome_job_once on suggestion_outcome
    (organization_id, kind, subject_id) where kind <> 'reorder'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("suggestion_outcome").execute();
  await db.schema.dropTable("printer_maintenance").execute();
}
