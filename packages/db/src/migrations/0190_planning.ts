import { type Kysely, sql } from "kysely";

// Capacity planning (issue 15): the shop's working hours (per weekday, minutes after midnight in the
// shop's time zone) and which printers may run unattended outside them once a print is started.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("shop_settings")
    .addColumn("working_hours", "jsonb", (c) =>
      c
        .notNull()
        .defaultTo(
          sql`'{"1":[[480,1080]],"2":[[480,1080]],"3":[[480,1080]],"4":[[480,1080]],"5":[[480,1080]]}'::jsonb`,
        ),
    )
    .execute();
  await db.schema
    .alterTable("printer")
    .addColumn("unattended", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("printer").dropColumn("unattended").execute();
  await db.schema.alterTable("shop_settings").dropColumn("working_hours").execute();
}
