import { type Kysely, sql } from "kysely";

// Shop workspace (issue 4): notification links are stored as the web app's /org/… paths. Rows written
// before pointed at /shop/jobs/<id> and /shop/materials/<id>; rewrite them to where those pages live.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update notification set link = '/org/jobs/' || substr(link, length('/shop/jobs/') + 1)
    where link like '/shop/jobs/%'`.execute(db);
  await sql`update notification
    set link = '/org/materials?history=' || substr(link, length('/shop/materials/') + 1) || '#movements'
    where link like '/shop/materials/%'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`update notification set link = '/shop/jobs/' || substr(link, length('/org/jobs/') + 1)
    where link like '/org/jobs/%'`.execute(db);
  await sql`update notification
    set link = '/shop/materials/' || replace(substr(link, length('/org/materials?history=') + 1), '#movements', '')
    where link like '/org/materials?history=%'`.execute(db);
}
