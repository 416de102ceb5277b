import { type Kysely, sql } from "kysely";

// Slicer profiles from the shop's own data (issue 14, requirement 4): each printer keeps its slicer
// settings (validated JSON, numbers and booleans only) and a version bumped on every change that affects
// slicing, so a slice names the profile version it used. Materials add the filament diameter and the
// temperatures (density and cost per kg exist already).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("printer")
    .addColumn("slicer_settings", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("slicer_profile_version", "integer", (c) =>
      c.notNull().defaultTo(1).check(sql`slicer_profile_version > 0`),
    )
    .execute();
  await db.schema
    .alterTable("material")
    .addColumn("filament_diameter_mm", "numeric(4, 2)", (c) =>
      c.notNull().defaultTo(1.75).check(sql`filament_diameter_mm > 0`),
    )
    .addColumn("print_temperature_c", "integer", (c) => c.check(sql`print_temperature_c between 0 and 500`))
    .addColumn("bed_temperature_c", "integer", (c) => c.check(sql`bed_temperature_c between 0 and 200`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("material")
    .dropColumn("filament_diameter_mm")
    .dropColumn("print_temperature_c")
    .dropColumn("bed_temperature_c")
    .execute();
  await db.schema
    .alterTable("printer")
    .dropColumn("slicer_settings")
    .dropColumn("slicer_profile_version")
    .execute();
}
