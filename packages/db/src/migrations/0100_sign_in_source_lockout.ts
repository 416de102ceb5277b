import type { Kysely } from "kysely";

// Lockout per account AND per source (issue 18, ASVS 6.3): failed sign-ins are counted for each account
// from each source (a client IP, or a device the account signed in on before), so someone elsewhere can
// lock only themselves out. sign_in_lockout stays the account-wide count, which pauses sign-in only for
// unknown devices when an account is attacked from many sources.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sign_in_failure")
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("window_started_at", "timestamptz", (c) => c.notNull())
    .addColumn("locked_until", "timestamptz")
    .addPrimaryKeyConstraint("sign_in_failure_pkey", ["user_id", "source"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("sign_in_failure").execute();
}
