import type { Kysely } from "kysely";

// Issue 20: a job's files and photos the shop marks as shared reach the customer's order page.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("job_file")
    .addColumn("shared_with_customer", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("job_file").dropColumn("shared_with_customer").execute();
}
