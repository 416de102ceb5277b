import { type Kysely, sql } from "kysely";

// Support view (issue 16, req. 8). A shop's owner grants the platform's support read-only access to the
// workspace for a limited time (support_grant: until expires_at, or until revoked). While a grant is
// live a platform admin can open the workspace read-only: support_visit ties the admin's session to the
// grant (one visit per session), so every request of that session resolves to the shop, read-only, and
// answers NOT_FOUND once the grant has ended. Pages viewed are written to the audit log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("support_grant")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("granted_by_user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("granted_by_name", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("revoked_at", "timestamptz")
    .addColumn("revoked_by_user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addCheckConstraint("support_grant_expires_after_created", sql`expires_at > created_at`)
    .execute();
  await db.schema
    .createIndex("support_grant_org_idx")
    .on("support_grant")
    .columns(["organization_id", "created_at desc"])
    .execute();

  await db.schema
    .createTable("support_visit")
    .addColumn("session_id", "text", (c) => c.primaryKey().references("session.id").onDelete("cascade"))
    .addColumn("grant_id", "text", (c) => c.notNull().references("support_grant.id").onDelete("cascade"))
    .addColumn("admin_user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("support_visit_grant_idx").on("support_visit").column("grant_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("support_visit").execute();
  await db.schema.dropTable("support_grant").execute();
}
