import { type Kysely, sql } from "kysely";

// Shop workspace (issue 4): the shop's logo is an uploaded image kept by the storage service. The public
// address (/logos/<logo_id>) names a generated id, never the storage key; a new upload gets a new id.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("shop_settings")
    .addColumn("logo_id", "text", (c) => c.unique())
    .addColumn("logo_storage_key", "text")
    .addColumn("logo_content_type", "text")
    .execute();
  await sql`alter table shop_settings add constraint shop_settings_logo_check
    check ((logo_id is null) = (logo_storage_key is null) and (logo_id is null) = (logo_content_type is null))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table shop_settings drop constraint shop_settings_logo_check`.execute(db);
  await db.schema
    .alterTable("shop_settings")
    .dropColumn("logo_id")
    .dropColumn("logo_storage_key")
    .dropColumn("logo_content_type")
    .execute();
}
