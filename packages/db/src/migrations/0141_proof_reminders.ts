import { type Kysely, sql } from "kysely";

// Proof approval reminders (issue 12, req. 3: "pending approvals are reminded"): how many reminders a
// pending proof version has had, so the reminders job claims each one once (a conditional update).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("proof")
    .addColumn("reminders_sent", "integer", (c) => c.notNull().defaultTo(0).check(sql`reminders_sent >= 0`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("proof").dropColumn("reminders_sent").execute();
}
