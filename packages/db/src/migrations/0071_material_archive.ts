import { type Kysely, sql } from "kysely";

// Shop workspace (issue 4): a material with history (stock ledger, job items) is archived rather than
// deleted, so the ledger and the jobs keep it; archived materials leave every picker and the marketplace.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("material").addColumn("archived_at", "timestamptz").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table material drop column archived_at`.execute(db);
}
