import { type Kysely, sql } from "kysely";

// Shop workspace (issue 4): shop settings, printers, materials and their stock ledger, customers, jobs
// with line items, status history, notes and files, and in-app notifications. Every table carries
// organization_id so every query can be scoped by the caller's organization.
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  const orgRef = "organization.id";

  // 1:1 with organization: what organization/organization_profile do not hold.
  await db.schema
    .createTable("shop_settings")
    .addColumn("organization_id", "text", (c) => c.primaryKey().references(orgRef).onDelete("cascade"))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("contact_email", "text")
    .addColumn("timezone", "text", (c) => c.notNull().defaultTo("UTC"))
    .addColumn("technologies", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("standard_lead_days", "integer", (c) => c.notNull().defaultTo(5))
    .addColumn("rush_lead_days", "integer")
    .addColumn("shipping_options", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("listed", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("pricing", "jsonb")
    .addColumn("widget", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("next_job_number", "integer", (c) => c.notNull().defaultTo(1001))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("shop_settings_listed_idx").on("shop_settings").column("listed").execute();

  await db.schema
    .createTable("printer")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("make", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("model", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("technology", "text", (c) => c.notNull().check(sql`technology in ('fdm', 'resin', 'powder')`))
    .addColumn("build_width_mm", "numeric(8, 2)", (c) => c.notNull().check(sql`build_width_mm > 0`))
    .addColumn("build_depth_mm", "numeric(8, 2)", (c) => c.notNull().check(sql`build_depth_mm > 0`))
    .addColumn("build_height_mm", "numeric(8, 2)", (c) => c.notNull().check(sql`build_height_mm > 0`))
    .addColumn("layer_heights_mm", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("nozzle_mm", "numeric(4, 2)")
    .addColumn("hourly_rate_minor", "integer", (c) => c.notNull().check(sql`hourly_rate_minor >= 0`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("available").check(sql`status in ('available', 'maintenance', 'offline')`),
    )
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("printer_org_idx").on("printer").columns(["organization_id", "name"]).execute();

  await db.schema
    .createTable("material")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("technology", "text", (c) => c.notNull().check(sql`technology in ('fdm', 'resin', 'powder')`))
    .addColumn("colors", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("finishes", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("density_grams_per_cm3", "numeric(6, 3)", (c) =>
      c.notNull().check(sql`density_grams_per_cm3 > 0`),
    )
    .addColumn("cost_per_kg_minor", "integer", (c) => c.notNull().check(sql`cost_per_kg_minor >= 0`))
    .addColumn("on_hand_g", "integer", (c) => c.notNull().defaultTo(0).check(sql`on_hand_g >= 0`))
    .addColumn("reserved_g", "integer", (c) => c.notNull().defaultTo(0).check(sql`reserved_g >= 0`))
    .addColumn("reorder_threshold_g", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`reorder_threshold_g >= 0`),
    )
    .addColumn("low_stock_notified_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("material_org_idx")
    .on("material")
    .columns(["organization_id", "name"])
    .execute();

  await db.schema
    .createTable("printer_material")
    .addColumn("printer_id", "text", (c) => c.notNull().references("printer.id").onDelete("cascade"))
    .addColumn("material_id", "text", (c) => c.notNull().references("material.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addPrimaryKeyConstraint("printer_material_pk", ["printer_id", "material_id"])
    .execute();
  await db.schema
    .createIndex("printer_material_material_idx")
    .on("printer_material")
    .column("material_id")
    .execute();

  await db.schema
    .createTable("customer")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("company", "text")
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("addresses", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("customer_org_name_idx")
    .on("customer")
    .columns(["organization_id", "name"])
    .execute();
  await db.schema
    .createIndex("customer_org_email_idx")
    .on("customer")
    .columns(["organization_id", "email"])
    .execute();

  await db.schema
    .createTable("job")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("customer_id", "text", (c) => c.notNull().references("customer.id").onDelete("restrict"))
    .addColumn("source", "text", (c) =>
      c.notNull().check(sql`source in ('manual', 'walk_in', 'phone', 'email', 'marketplace', 'widget')`),
    )
    .addColumn("order_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("held_from_status", "text")
    .addColumn("priority", "text", (c) => c.notNull().defaultTo("normal"))
    .addColumn("rush", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("due_at", "timestamptz")
    .addColumn("printer_id", "text", (c) => c.references("printer.id").onDelete("set null"))
    .addColumn("scheduled_start_at", "timestamptz")
    .addColumn("scheduled_end_at", "timestamptz")
    .addColumn("stock_state", "text", (c) =>
      c.notNull().defaultTo("none").check(sql`stock_state in ('none', 'reserved', 'consumed')`),
    )
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("total_minor", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status_changed_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("status_changed_by", "text")
    .addColumn("created_by", "text")
    .addColumn("overdue_notified_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("job_org_number_unique", ["organization_id", "number"])
    .addCheckConstraint(
      "job_status_check",
      sql`status in ('quote', 'approved', 'scheduled', 'printing', 'post_processing', 'ready', 'shipped', 'picked_up', 'completed', 'on_hold', 'cancelled')`,
    )
    .addCheckConstraint("job_priority_check", sql`priority in ('low', 'normal', 'high', 'urgent')`)
    .addCheckConstraint(
      "job_schedule_check",
      sql`(scheduled_start_at is null) = (scheduled_end_at is null) and (scheduled_end_at is null or scheduled_end_at > scheduled_start_at)`,
    )
    .execute();
  await db.schema
    .createIndex("job_org_status_idx")
    .on("job")
    .columns(["organization_id", "status"])
    .execute();
  await db.schema.createIndex("job_org_due_idx").on("job").columns(["organization_id", "due_at"]).execute();
  await db.schema.createIndex("job_customer_idx").on("job").column("customer_id").execute();
  await db.schema
    .createIndex("job_printer_schedule_idx")
    .on("job")
    .columns(["printer_id", "scheduled_start_at"])
    .execute();
  await db.schema
    .createIndex("job_org_order_unique")
    .on("job")
    .columns(["organization_id", "order_id"])
    .unique()
    .where(sql.ref("order_id"), "is not", null)
    .execute();

  await db.schema
    .createTable("job_file")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("job_id", "text", (c) => c.notNull().references("job.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('model', 'mockup', 'proof', 'photo', 'other')`),
    )
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("analysis", "jsonb")
    .addColumn("uploaded_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("job_file_job_idx").on("job_file").column("job_id").execute();

  await db.schema
    .createTable("job_item")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("job_id", "text", (c) => c.notNull().references("job.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("file_id", "text", (c) => c.references("job_file.id").onDelete("set null"))
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn("material_id", "text", (c) => c.references("material.id").onDelete("set null"))
    .addColumn("color", "text")
    .addColumn("unit_price_minor", "integer", (c) => c.notNull().check(sql`unit_price_minor >= 0`))
    .addColumn("grams_per_unit", "integer", (c) => c.notNull().defaultTo(0).check(sql`grams_per_unit >= 0`))
    .addColumn("minutes_per_unit", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`minutes_per_unit >= 0`),
    )
    .addColumn("width_mm", "numeric(8, 2)")
    .addColumn("depth_mm", "numeric(8, 2)")
    .addColumn("height_mm", "numeric(8, 2)")
    .execute();
  await db.schema.createIndex("job_item_job_idx").on("job_item").columns(["job_id", "position"]).execute();

  await db.schema
    .createTable("job_status_change")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("job_id", "text", (c) => c.notNull().references("job.id").onDelete("cascade"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "text")
    .addColumn("note", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("job_status_change_job_idx")
    .on("job_status_change")
    .columns(["job_id", "created_at"])
    .execute();

  await db.schema
    .createTable("job_note")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("job_id", "text", (c) => c.notNull().references("job.id").onDelete("cascade"))
    .addColumn("author_user_id", "text")
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("job_note_job_idx").on("job_note").columns(["job_id", "created_at"]).execute();

  // Ledger of every stock change; material.on_hand_g / reserved_g are maintained with it in one transaction.
  await db.schema
    .createTable("stock_movement")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("material_id", "text", (c) => c.notNull().references("material.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('reserve', 'release', 'consume', 'adjust')`),
    )
    .addColumn("grams", "integer", (c) => c.notNull())
    .addColumn("on_hand_after_g", "integer", (c) => c.notNull())
    .addColumn("reserved_after_g", "integer", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("job_id", "text", (c) => c.references("job.id").onDelete("set null"))
    .addColumn("actor_user_id", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("stock_movement_material_idx")
    .on("stock_movement")
    .columns(["material_id", "created_at"])
    .execute();

  await db.schema
    .createTable("notification")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.references("user.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("link", "text")
    .addColumn("dedupe_key", "text")
    .addColumn("read_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("notification_org_created_idx")
    .on("notification")
    .columns(["organization_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("notification_org_dedupe_unique")
    .on("notification")
    .columns(["organization_id", "dedupe_key"])
    .unique()
    .where(sql.ref("dedupe_key"), "is not", null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "notification",
    "stock_movement",
    "job_note",
    "job_status_change",
    "job_item",
    "job_file",
    "job",
    "customer",
    "printer_material",
    "material",
    "printer",
    "shop_settings",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
