import { type Kysely, sql } from "kysely";

// The admin console runs the platform (issue 16, req. 3 and 4).
//
// - order_refund: refunds a platform admin asked for (full or partial, with a reason). A row is written
//   before the payment provider is asked (status pending) under the order's row lock, so what is still
//   refundable counts pending refunds too and two racing refunds cannot exceed what was captured. Each
//   admin request carries a key (unique per order): a resubmitted form finds its row and refunds nothing
//   twice; the provider's idempotency key is the row's id.
// - payment_dispute: Stripe disputes (`charge.dispute.*`), one row per dispute, updated in place by each
//   later event, with the evidence deadline and the status.
// - webhook_event: every Stripe (and, when there are any, Twilio) webhook received: its signature
//   result, outcome and error, and the verified event itself so a failed one can be replayed (its effect
//   is guarded by processed_webhook_event, so it still happens once).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("order_refund")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("order_id", "text", (c) => c.notNull().references("marketplace_order.id").onDelete("cascade"))
    .addColumn("request_key", "text", (c) => c.notNull())
    .addColumn("amount_minor", "integer", (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'succeeded', 'failed')`),
    )
    .addColumn("provider_refund_id", "text")
    .addColumn("error", "text")
    .addColumn("actor_user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("settled_at", "timestamptz")
    .addUniqueConstraint("order_refund_request_unique", ["order_id", "request_key"])
    .execute();
  await db.schema.createIndex("order_refund_created_idx").on("order_refund").column("created_at").execute();

  await db.schema
    .createTable("payment_dispute")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("order_id", "text", (c) => c.references("marketplace_order.id").onDelete("set null"))
    .addColumn("charge_id", "text")
    .addColumn("payment_intent_id", "text")
    .addColumn("amount_minor", "integer", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("evidence_due_at", "timestamptz")
    .addColumn("last_event_type", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("payment_dispute_order_idx").on("payment_dispute").column("order_id").execute();
  await db.schema
    .createIndex("payment_dispute_created_idx")
    .on("payment_dispute")
    .column("created_at")
    .execute();

  await db.schema
    .createTable("webhook_event")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("provider", "text", (c) => c.notNull().check(sql`provider in ('stripe', 'twilio')`))
    .addColumn("event_id", "text")
    .addColumn("event_type", "text")
    .addColumn("signature", "text", (c) => c.notNull().check(sql`signature in ('valid', 'invalid')`))
    .addColumn("outcome", "text", (c) =>
      c
        .notNull()
        .check(sql`outcome in ('received', 'applied', 'duplicate', 'ignored', 'rejected', 'failed')`),
    )
    .addColumn("error", "text")
    .addColumn("event", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("received_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("webhook_event_received_idx")
    .on("webhook_event")
    .columns(["received_at desc", "id desc"])
    .execute();
  await db.schema.createIndex("webhook_event_event_idx").on("webhook_event").column("event_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("webhook_event").execute();
  await db.schema.dropTable("payment_dispute").execute();
  await db.schema.dropTable("order_refund").execute();
}
