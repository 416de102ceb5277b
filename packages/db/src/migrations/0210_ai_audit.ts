import { type Kysely, sql } from "kysely";

// AI audit trail and suggestion outcomes (issue 15, req. 5 and 6).
//
// - ai_request_log: one row per request the AI service made (or tried) for someone: who (organization,
//   user), when (the injected clock), which feature, which KINDS of data were sent (never the content),
//   the provider and model, token counts (the provider's own, or an estimate for the local rules, which
//   `tokens_estimated` says) and the outcome. Written by the AI gate only; nothing when AI is switched
//   off. The user's rows lose the user when the account is deleted; the organization's go with it.
// - ai_suggestion_outcome: what became of an AI suggestion shown to someone (a drafted customer reply):
//   accepted (sent, possibly edited) or dismissed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("ai_request_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("feature", "text", (c) => c.notNull())
    .addColumn("data_kinds", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("input_tokens", "integer", (c) => c.notNull().defaultTo(0).check(sql`input_tokens >= 0`))
    .addColumn("output_tokens", "integer", (c) => c.notNull().defaultTo(0).check(sql`output_tokens >= 0`))
    .addColumn("tokens_estimated", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('ok', 'error')`))
    .addColumn("error_kind", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ai_request_log_org_idx")
    .on("ai_request_log")
    .columns(["organization_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("ai_request_log_user_idx")
    .on("ai_request_log")
    .columns(["user_id", "created_at"])
    .execute();

  await db.schema
    .createTable("ai_suggestion_outcome")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("feature", "text", (c) => c.notNull())
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('accepted', 'dismissed')`))
    .addColumn("edited", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ai_suggestion_outcome_org_idx")
    .on("ai_suggestion_outcome")
    .columns(["organization_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("ai_suggestion_outcome").execute();
  await db.schema.dropTable("ai_request_log").execute();
}
