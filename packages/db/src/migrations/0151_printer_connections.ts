import { type Kysely, sql } from "kysely";

// Printers that report their own jobs (issue 14, requirement 7): a shop's Moonraker or OctoPrint URL
// per printer with its API key sealed (AES-256-GCM, never stored in the clear), the poll's last outcome
// (an unreachable printer says so on the printers page), and each finished print it reported, matched
// to the job it printed when one fits.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("printer_connection")
    .addColumn("printer_id", "text", (c) => c.primaryKey().references("printer.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('moonraker', 'octoprint')`))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("api_key_ciphertext", "text")
    .addColumn("last_polled_at", "timestamptz")
    .addColumn("last_ok_at", "timestamptz")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("printer_connection_org_idx")
    .on("printer_connection")
    .column("organization_id")
    .execute();
  await db.schema
    .createTable("printer_report")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("printer_id", "text", (c) => c.notNull().references("printer.id").onDelete("cascade"))
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('completed', 'cancelled', 'error')`))
    .addColumn("started_at", "timestamptz", (c) => c.notNull())
    .addColumn("ended_at", "timestamptz", (c) => c.notNull())
    .addColumn("print_seconds", "double precision", (c) => c.notNull().check(sql`print_seconds >= 0`))
    .addColumn("filament_mm", "double precision")
    .addColumn("job_id", "text", (c) => c.references("job.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("printer_report_external_uq", ["printer_id", "external_id"])
    .execute();
  await db.schema.createIndex("printer_report_job_idx").on("printer_report").column("job_id").execute();
  await db.schema
    .createIndex("printer_report_org_idx")
    .on("printer_report")
    .column("organization_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("printer_report").execute();
  await db.schema.dropTable("printer_connection").execute();
}
