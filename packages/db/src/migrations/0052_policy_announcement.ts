import { type Kysely, sql } from "kysely";

// Privacy (issue 7): a new policy version is announced by a background job, not inside the admin's
// request. `announced_at` marks a version whose emails are all sent; `announce_cursor` is the last user
// id emailed, so a job that stops half-way resumes without sending anyone the notice twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("policy_version").addColumn("announced_at", "timestamptz").execute();
  await db.schema.alterTable("policy_version").addColumn("announce_cursor", "text").execute();
  // Versions published before this migration were announced in the request.
  await sql`update policy_version set announced_at = published_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("policy_version").dropColumn("announce_cursor").execute();
  await db.schema.alterTable("policy_version").dropColumn("announced_at").execute();
}
