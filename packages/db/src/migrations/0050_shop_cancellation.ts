import { type Kysely, sql } from "kysely";

// Privacy (issue 7): a shop (organization) can be cancelled with the same 30-day grace period as an
// account. The request row names the organization while it is scheduled (no foreign key: the row stays,
// without the organization, as proof the request was answered) and keeps what undo must restore.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("privacy_request").addColumn("organization_id", "text").execute();
  await db.schema.alterTable("privacy_request").addColumn("data", "jsonb").execute();
  await sql`alter table privacy_request drop constraint privacy_request_kind_check`.execute(db);
  await sql`alter table privacy_request add constraint privacy_request_kind_check
    check (kind in ('export', 'deletion', 'shop_deletion'))`.execute(db);
  await sql`alter table privacy_request add constraint privacy_request_shop_check
    check (kind <> 'shop_deletion' or organization_id is not null or status in ('completed', 'cancelled'))`.execute(
    db,
  );
  await db.schema
    .createIndex("privacy_request_org_idx")
    .on("privacy_request")
    .columns(["organization_id", "kind", "status"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from privacy_request where kind = 'shop_deletion'`.execute(db);
  await db.schema.dropIndex("privacy_request_org_idx").execute();
  await sql`alter table privacy_request drop constraint privacy_request_shop_check`.execute(db);
  await sql`alter table privacy_request drop constraint privacy_request_kind_check`.execute(db);
  await sql`alter table privacy_request add constraint privacy_request_kind_check
    check (kind in ('export', 'deletion'))`.execute(db);
  await db.schema.alterTable("privacy_request").dropColumn("data").execute();
  await db.schema.alterTable("privacy_request").dropColumn("organization_id").execute();
}
