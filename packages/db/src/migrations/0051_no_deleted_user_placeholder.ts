import { type Kysely, sql } from "kysely";

// Privacy (issue 7): since 0040 a marketplace order may have no user, so a purged account's orders keep
// user_id null instead of pointing at the placeholder user "usr_deleted"; the placeholder goes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update marketplace_order set user_id = null where user_id = 'usr_deleted'`.execute(db);
  await sql`update order_message set author_user_id = null where author_user_id = 'usr_deleted'`.execute(db);
  await sql`delete from "user" where id = 'usr_deleted'`.execute(db);
}

export async function down(): Promise<void> {
  // Nothing to restore: the placeholder held no data of its own.
}
