import { type Kysely, sql } from "kysely";

// Privacy (issue 7): per-user privacy settings (analytics, AI, marketing, restriction/objection),
// the organization-level AI switch, privacy requests (exports and deletions, with their age for the
// admin console), and versioned policies with their acceptances.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable("privacy_settings")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("user.id").onDelete("cascade"))
    .addColumn("analytics_off", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("ai_off", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("marketing_off", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("restrict_processing", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("object_processing", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("organization_privacy")
    .addColumn("organization_id", "text", (c) =>
      c.primaryKey().references("organization.id").onDelete("cascade"),
    )
    .addColumn("ai_off", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  // No foreign key to user: a completed deletion keeps its request row (with user_id null) so the
  // admin console can show that it was answered and when.
  await db.schema
    .createTable("privacy_request")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('export', 'deletion')`))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(
          sql`status in ('pending', 'ready', 'scheduled', 'completed', 'cancelled', 'expired', 'failed')`,
        ),
    )
    .addColumn("user_id", "text")
    .addColumn("requested_at", "timestamptz", (c) => c.notNull())
    .addColumn("due_at", "timestamptz")
    .addColumn("completed_at", "timestamptz")
    .addColumn("file_key", "text")
    .addColumn("expires_at", "timestamptz")
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createIndex("privacy_request_user_idx")
    .on("privacy_request")
    .columns(["user_id", "kind", "requested_at"])
    .execute();
  await db.schema
    .createIndex("privacy_request_open_idx")
    .on("privacy_request")
    .columns(["status", "due_at"])
    .execute();

  await db.schema
    .createTable("policy_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('privacy', 'terms')`))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("effective_at", "timestamptz", (c) => c.notNull())
    .addColumn("published_at", "timestamptz", (c) => c.notNull())
    .addColumn("published_by", "text")
    .addUniqueConstraint("policy_version_kind_version_key", ["kind", "version"])
    .execute();

  await db.schema
    .createTable("policy_acceptance")
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("policy_version_id", "text", (c) =>
      c.notNull().references("policy_version.id").onDelete("cascade"),
    )
    .addColumn("accepted_at", "timestamptz", (c) => c.notNull())
    .addColumn("context", "text", (c) => c.notNull().check(sql`context in ('sign-up', 'sign-in', 'banner')`))
    .addPrimaryKeyConstraint("policy_acceptance_pkey", ["user_id", "policy_version_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("policy_acceptance").execute();
  await db.schema.dropTable("policy_version").execute();
  await db.schema.dropTable("privacy_request").execute();
  await db.schema.dropTable("organization_privacy").execute();
  await db.schema.dropTable("privacy_settings").execute();
}
