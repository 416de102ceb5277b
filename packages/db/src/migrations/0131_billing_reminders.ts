import { type Kysely, sql } from "kysely";

// Invoice reminders (issue 12, req. 6): one row per reminder sent, so each step of the cadence (before
// the due date, on it, each overdue interval) is emailed at most once however often the job runs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("invoice_reminder")
    .addColumn("invoice_id", "text", (c) => c.notNull().references("invoice.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) => c.references("organization.id").onDelete("cascade"))
    .addColumn("step", "text", (c) => c.notNull().check(sql`step ~ '^(before|due|overdue-[0-9]+)$'`))
    .addColumn("sent_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("invoice_reminder_pk", ["invoice_id", "step"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("invoice_reminder").execute();
}
