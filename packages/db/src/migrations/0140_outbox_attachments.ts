import type { Kysely } from "kysely";

// Mail attachments (issue 12, req. 4: the invoice PDF goes with the invoice email). The outbox keeps
// what each message carried (name, type, size and the bytes, base64), so the local stand-in shows the
// attachment and tests read it back; the row goes with the message under the deletion rules.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("outbox_message").addColumn("attachments", "jsonb").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("outbox_message").dropColumn("attachments").execute();
}
