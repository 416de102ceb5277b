import { type Kysely, sql } from "kysely";

// Issue 13: one conversation per job and per customer. Every message the shop and its customer exchange
// outside the marketplace's order chat (SMS, email: sent from Ktizo or synced from a linked Gmail thread)
// is one row here, with its channel, direction, author and delivery status. Portal (order chat) messages
// stay in order_message and are merged into the same timeline when it is read.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("conversation_message")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("customer_id", "text", (c) => c.references("customer.id").onDelete("cascade"))
    .addColumn("job_id", "text", (c) => c.references("job.id").onDelete("set null"))
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('email', 'sms')`))
    .addColumn("direction", "text", (c) => c.notNull().check(sql`direction in ('in', 'out')`))
    // The staff member who sent it (out), or null (inbound, automatic).
    .addColumn("author_user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    // Who it reads as: "Ada Lovelace <ada@example.com>", "+447911123456", "Acme Prints".
    .addColumn("author_label", "text", (c) => c.notNull())
    // The other end: an E.164 number or an email address.
    .addColumn("counterpart", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(
          sql`status in ('queued', 'sent', 'delivered', 'failed', 'undelivered', 'received', 'blocked')`,
        ),
    )
    .addColumn("status_detail", "text")
    // "twilio", "outbox", "gmail", "smtp": where the message went or came from.
    .addColumn("provider", "text", (c) => c.notNull())
    // The provider's id (Twilio MessageSid, Gmail message id): status callbacks and syncs find the row by it.
    .addColumn("external_id", "text")
    // A Gmail thread id, so replies go into the same thread.
    .addColumn("thread_ref", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "conversation_message_has_subject",
      sql`customer_id is not null or job_id is not null`,
    )
    .execute();
  await db.schema
    .createIndex("conversation_message_external")
    .on("conversation_message")
    .columns(["provider", "external_id"])
    .unique()
    .where(sql.ref("external_id"), "is not", null)
    .execute();
  await db.schema
    .createIndex("conversation_message_job")
    .on("conversation_message")
    .columns(["organization_id", "job_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("conversation_message_customer")
    .on("conversation_message")
    .columns(["organization_id", "customer_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("conversation_message").execute();
}
