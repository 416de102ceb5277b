import { type Kysely, sql } from "kysely";

// Marketplace (issue 5): model uploads (anonymous ones tied to an upload session), stored quotes with
// their inputs and expiry, carts, saved addresses, orders with lines and a status timeline, payment
// webhook idempotency, the customer-shop message thread, reviews and customer notifications.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  const orgRef = "organization.id";
  const userRef = "user.id";

  await db.schema
    .createTable("model_upload")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.references(userRef).onDelete("cascade"))
    // Anonymous visitors: the id inside their signed upload-session cookie (cleared when claimed).
    .addColumn("upload_session_id", "text")
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("analysis", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addCheckConstraint("model_upload_owner", sql`user_id is not null or upload_session_id is not null`)
    .execute();
  await db.schema.createIndex("model_upload_user_idx").on("model_upload").column("user_id").execute();
  await db.schema
    .createIndex("model_upload_session_idx")
    .on("model_upload")
    .column("upload_session_id")
    .execute();

  await db.schema
    .createTable("marketplace_quote")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("upload_id", "text", (c) => c.notNull().references("model_upload.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("material_id", "text", (c) => c.notNull())
    .addColumn("printer_id", "text", (c) => c.notNull())
    .addColumn("color", "text")
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn("rush", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("inputs", "jsonb", (c) => c.notNull())
    .addColumn("breakdown", "jsonb", (c) => c.notNull())
    .addColumn("total_minor", "integer", (c) => c.notNull().check(sql`total_minor >= 0`))
    .addColumn("lead_days", "integer", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("marketplace_quote_upload_idx")
    .on("marketplace_quote")
    .column("upload_id")
    .execute();

  await db.schema
    .createTable("cart_item")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references(userRef).onDelete("cascade"))
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("quote_id", "text", (c) => c.notNull().references("marketplace_quote.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("cart_item_quote_unique", ["user_id", "quote_id"])
    .execute();

  await db.schema
    .createTable("shipping_address")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references(userRef).onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("line1", "text", (c) => c.notNull())
    .addColumn("line2", "text")
    .addColumn("city", "text", (c) => c.notNull())
    .addColumn("postal_code", "text", (c) => c.notNull())
    .addColumn("region", "text")
    .addColumn("country", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("shipping_address_user_idx").on("shipping_address").column("user_id").execute();

  await db.schema
    .createTable("shop_payment_account")
    .addColumn("organization_id", "text", (c) => c.primaryKey().references(orgRef).onDelete("cascade"))
    .addColumn("stripe_account_id", "text", (c) => c.notNull())
    .addColumn("charges_enabled", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("marketplace_order")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("number", "integer", (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn("user_id", "text", (c) => c.notNull().references(userRef).onDelete("restrict"))
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("restrict"))
    .addColumn("checkout_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(
          sql`status in ('pending_payment', 'payment_failed', 'paid', 'in_production', 'shipped', 'delivered', 'cancelled', 'refunded')`,
        ),
    )
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("subtotal_minor", "integer", (c) => c.notNull())
    .addColumn("shipping_minor", "integer", (c) => c.notNull())
    .addColumn("tax_minor", "integer", (c) => c.notNull())
    .addColumn("total_minor", "integer", (c) => c.notNull())
    .addColumn("refunded_minor", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("platform_fee_minor", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("shipping_option", "jsonb", (c) => c.notNull())
    .addColumn("shipping_address", "jsonb", (c) => c.notNull())
    .addColumn("customer_name", "text", (c) => c.notNull())
    .addColumn("customer_email", "text", (c) => c.notNull())
    .addColumn("checkout_session_id", "text")
    .addColumn("payment_intent_id", "text")
    .addColumn("job_id", "text")
    .addColumn("tracking_number", "text")
    .addColumn("paid_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("marketplace_order_user_idx")
    .on("marketplace_order")
    .column("user_id")
    .execute();
  await db.schema
    .createIndex("marketplace_order_org_idx")
    .on("marketplace_order")
    .column("organization_id")
    .execute();
  await db.schema
    .createIndex("marketplace_order_session_idx")
    .on("marketplace_order")
    .column("checkout_session_id")
    .execute();

  await db.schema
    .createTable("order_line")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("order_id", "text", (c) => c.notNull().references("marketplace_order.id").onDelete("cascade"))
    .addColumn("quote_id", "text", (c) => c.notNull())
    .addColumn("upload_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("material_id", "text", (c) => c.notNull())
    .addColumn("color", "text")
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("total_minor", "integer", (c) => c.notNull())
    .addColumn("grams_per_unit", "integer", (c) => c.notNull())
    .addColumn("minutes_per_unit", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("order_line_order_idx").on("order_line").column("order_id").execute();

  await db.schema
    .createTable("order_event")
    .addColumn("id", "text", (c) => c.primaryKey())
    // Insertion order, for a stable timeline when events share a timestamp.
    .addColumn("seq", "bigint", (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn("order_id", "text", (c) => c.notNull().references("marketplace_order.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("order_event_order_idx").on("order_event").column("order_id").execute();

  // Each payment event is applied once: this row is written in the same transaction as its effect.
  await db.schema
    .createTable("processed_webhook_event")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("processed_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("order_message")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn("order_id", "text", (c) => c.notNull().references("marketplace_order.id").onDelete("cascade"))
    .addColumn("author_user_id", "text", (c) => c.references(userRef).onDelete("set null"))
    .addColumn("author_side", "text", (c) => c.notNull().check(sql`author_side in ('customer', 'shop')`))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("attachment_key", "text")
    .addColumn("attachment_name", "text")
    .addColumn("attachment_type", "text")
    .addColumn("read_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("order_message_order_idx").on("order_message").column("order_id").execute();

  await db.schema
    .createTable("shop_review")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("order_id", "text", (c) => c.unique())
    .addColumn("user_id", "text", (c) => c.references(userRef).onDelete("set null"))
    .addColumn("author_name", "text", (c) => c.notNull())
    .addColumn("rating", "integer", (c) => c.notNull().check(sql`rating between 1 and 5`))
    .addColumn("body", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("shop_review_org_idx").on("shop_review").column("organization_id").execute();

  await db.schema
    .createTable("customer_notification")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references(userRef).onDelete("cascade"))
    .addColumn("order_id", "text", (c) => c.references("marketplace_order.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("read_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("customer_notification_user_idx")
    .on("customer_notification")
    .column("user_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "customer_notification",
    "shop_review",
    "order_message",
    "processed_webhook_event",
    "order_event",
    "order_line",
    "marketplace_order",
    "shop_payment_account",
    "shipping_address",
    "cart_item",
    "marketplace_quote",
    "model_upload",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
