import { type Kysely, sql } from "kysely";

// Slicer-verified quotes (issue 14): one row per (uploaded model, printer profile, slicer version) with
// what the slicer reported or why it could not slice. Rows with the same mesh hash, profile hash and
// slicer version are interchangeable (the cache). `slice_queued_at` on an upload says the slicing work
// was sent, so a sweep sends it once however many workers run.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable("model_slice")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("upload_id", "text", (c) => c.notNull().references("model_upload.id").onDelete("cascade"))
    .addColumn("printer_id", "text", (c) => c.notNull().references("printer.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('running', 'sliced', 'failed')`))
    .addColumn("mesh_hash", "text", (c) => c.notNull())
    .addColumn("profile_hash", "text", (c) => c.notNull())
    .addColumn("profile_version", "integer", (c) => c.notNull())
    .addColumn("slicer_name", "text", (c) => c.notNull())
    .addColumn("slicer_version", "text", (c) => c.notNull())
    .addColumn("exit_code", "integer")
    .addColumn("error_class", "text", (c) =>
      c.check(
        sql`error_class in ('unreadable', 'no_layers', 'nothing_on_bed', 'does_not_fit', 'timeout', 'out_of_memory', 'failed')`,
      ),
    )
    .addColumn("print_seconds", "integer")
    .addColumn("filament_mm", "float8")
    .addColumn("filament_cm3", "float8")
    .addColumn("filament_g", "float8")
    .addColumn("layers", "integer")
    .addColumn("per_role", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("wall_ms", "integer")
    .addColumn("peak_memory_bytes", "bigint")
    // Copied from an earlier slice of the same mesh and profile (no slicer run).
    .addColumn("cached", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("finished_at", "timestamptz")
    .addUniqueConstraint("model_slice_key", ["upload_id", "printer_id", "profile_hash", "slicer_version"])
    .addCheckConstraint(
      "model_slice_outcome",
      sql`(status = 'sliced') = (print_seconds is not null) and (status = 'failed') = (error_class is not null)`,
    )
    .execute();
  await db.schema
    .createIndex("model_slice_cache_idx")
    .on("model_slice")
    .columns(["mesh_hash", "profile_hash", "slicer_version"])
    .execute();
  await db.schema.createIndex("model_slice_printer_idx").on("model_slice").column("printer_id").execute();
  await db.schema.alterTable("model_upload").addColumn("slice_queued_at", "timestamptz").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("model_upload").dropColumn("slice_queued_at").execute();
  await db.schema.dropTable("model_slice").execute();
}
