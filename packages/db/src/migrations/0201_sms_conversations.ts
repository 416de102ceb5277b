import { type Kysely, sql } from "kysely";

// Issue 13 (req. 1, 2, 6): two-way SMS on the job's conversation, message templates per shop, and the
// customer's notification preference and SMS consent.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The customer's phone as E.164 (derived from `phone` by the one normalising helper): inbound texts are
  // matched by it. Null when what was typed is not a valid number.
  await db.schema
    .alterTable("customer")
    .addColumn("phone_e164", "text")
    // Which channel the customer wants notifications on; "none" turns off marketing only: service
    // notifications (payment, pickup, proof) still go, by email.
    .addColumn("notify_channel", "text", (c) =>
      c.notNull().defaultTo("email").check(sql`notify_channel in ('email', 'sms', 'both', 'none')`),
    )
    // The customer's agreement to receive texts: when, how (a staff member ticked it on the customer form,
    // or the customer in their account) and by whom. Null: no consent, nothing is texted.
    .addColumn("sms_consent_at", "timestamptz")
    .addColumn("sms_consent_source", "text", (c) => c.check(sql`sms_consent_source in ('staff', 'customer')`))
    .addColumn("sms_consent_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .execute();
  await db.schema
    .createIndex("customer_phone_e164")
    .on("customer")
    .columns(["organization_id", "phone_e164"])
    .where(sql.ref("phone_e164"), "is not", null)
    .execute();

  // STOP / START per shop and phone number, with the keyword and the inbound message as evidence.
  await db.schema
    .createTable("sms_opt_out")
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("phone_e164", "text", (c) => c.notNull())
    .addColumn("opted_out", "boolean", (c) => c.notNull())
    .addColumn("keyword", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.references("conversation_message.id").onDelete("set null"))
    .addColumn("changed_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("sms_opt_out_pk", ["organization_id", "phone_e164"])
    .execute();

  // The shop's sender: its Twilio number (inbound texts to it reach this shop) and optionally a Messaging
  // Service that sends on its behalf.
  await db.schema
    .createTable("shop_sms_settings")
    .addColumn("organization_id", "text", (c) =>
      c.primaryKey().references("organization.id").onDelete("cascade"),
    )
    .addColumn("phone_e164", "text", (c) => c.notNull().unique())
    .addColumn("messaging_service_sid", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("message_template")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("message_template_name")
    .on("message_template")
    .expression(sql`organization_id, lower(name)`)
    .unique()
    .execute();

  // A proof approved by a text reply keeps the inbound message as evidence.
  await db.schema
    .alterTable("proof")
    .addColumn("decided_message_id", "text", (c) =>
      c.references("conversation_message.id").onDelete("set null"),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("proof").dropColumn("decided_message_id").execute();
  await db.schema.dropTable("message_template").execute();
  await db.schema.dropTable("shop_sms_settings").execute();
  await db.schema.dropTable("sms_opt_out").execute();
  await db.schema.dropIndex("customer_phone_e164").execute();
  await db.schema
    .alterTable("customer")
    .dropColumn("phone_e164")
    .dropColumn("notify_channel")
    .dropColumn("sms_consent_at")
    .dropColumn("sms_consent_source")
    .dropColumn("sms_consent_by")
    .execute();
}
