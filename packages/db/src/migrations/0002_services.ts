import { type Kysely, sql } from "kysely";

// Outside-service state owned by @ktizo/services: Google connections, one per organization that chose
// to connect (P12). The refresh token is stored only encrypted (AES-256-GCM, key derived from
// BETTER_AUTH_SECRET); deleting the organization deletes its connection.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("google_connection")
    .addColumn("organization_id", "text", (c) =>
      c.primaryKey().references("organization.id").onDelete("cascade"),
    )
    .addColumn("connected_by_user_id", "text")
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("refresh_token_ciphertext", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("google_connection").execute();
}
