import { type Kysely, sql } from "kysely";

// Issue 17, req. 1: the local test-mode payments (no Stripe keys) kept checkout sessions in one process's
// memory, so a checkout opened on one app process could not be paid on another. They live here now, like
// Stripe keeps them on its side: any process can show, complete, expire or refund a session.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("test_payment_session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('checkout', 'subscription')`))
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("payment_intent_id", "text", (c) => c.unique())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open', 'complete', 'expired')`))
    .addColumn("amount_total_minor", "integer", (c) => c.notNull())
    .addColumn("refunded_minor", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`refunded_minor >= 0 and refunded_minor <= amount_total_minor`),
    )
    .addColumn("data", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("test_payment_refund")
    .addColumn("idempotency_key", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) =>
      c.notNull().references("test_payment_session.id").onDelete("cascade"),
    )
    .addColumn("refund_id", "text", (c) => c.notNull())
    .addColumn("amount_minor", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("test_payment_refund").execute();
  await db.schema.dropTable("test_payment_session").execute();
}
