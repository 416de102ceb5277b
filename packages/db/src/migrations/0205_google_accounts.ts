import { type Kysely, sql } from "kysely";

// Issue 13: Google per workspace USER (each user connects their own Gmail), linked Gmail threads synced
// into the job's conversation, the cached copy of those threads' messages, and a Drive folder per job.
// The old per-organization `google_connection` table was never used by a feature; it is dropped.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("google_connection").ifExists().execute();
  await db.schema
    .createTable("google_account")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    // The Gmail address Google reports for the grant (users.getProfile).
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("scopes", "text", (c) => c.notNull())
    // AES-256-GCM, organization and user ids as associated data; never exported.
    .addColumn("refresh_token_ciphertext", "text", (c) => c.notNull())
    // The Gmail history cursor of the last sync (users.history.list startHistoryId).
    .addColumn("history_id", "text")
    .addColumn("last_synced_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("google_account_org_user", ["organization_id", "user_id"])
    .execute();
  await db.schema
    .createTable("gmail_thread_link")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("account_id", "text", (c) => c.notNull().references("google_account.id").onDelete("cascade"))
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("job_id", "text", (c) => c.references("job.id").onDelete("cascade"))
    .addColumn("customer_id", "text", (c) => c.references("customer.id").onDelete("cascade"))
    .addColumn("subject", "text")
    .addColumn("linked_by_user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("gmail_thread_link_thread", ["account_id", "thread_id"])
    .addCheckConstraint("gmail_thread_link_target", sql`job_id is not null or customer_id is not null`)
    .execute();
  await db.schema
    .createTable("gmail_message")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("account_id", "text", (c) => c.notNull().references("google_account.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("from_header", "text", (c) => c.notNull())
    .addColumn("to_header", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("sent_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("gmail_message_account_message", ["account_id", "message_id"])
    .execute();
  await db.schema
    .createTable("drive_folder")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("job_id", "text", (c) => c.notNull().unique().references("job.id").onDelete("cascade"))
    // Whose Google account holds the folder (drive.file: only that grant sees it); null after disconnect.
    .addColumn("account_id", "text", (c) => c.references("google_account.id").onDelete("set null"))
    .addColumn("folder_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("web_link", "text")
    .addColumn("last_synced_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("drive_file")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("folder_id", "text", (c) => c.notNull().references("drive_folder.id").onDelete("cascade"))
    .addColumn("drive_file_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("size_bytes", "bigint")
    // "ktizo": uploaded from the job's files; "drive": added by someone in Drive, listed back.
    .addColumn("origin", "text", (c) => c.notNull().check(sql`origin in ('ktizo', 'drive')`))
    .addColumn("job_file_id", "text", (c) => c.references("job_file.id").onDelete("set null"))
    .addColumn("web_link", "text")
    .addColumn("modified_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("drive_file_folder_file", ["folder_id", "drive_file_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("drive_file").execute();
  await db.schema.dropTable("drive_folder").execute();
  await db.schema.dropTable("gmail_message").execute();
  await db.schema.dropTable("gmail_thread_link").execute();
  await db.schema.dropTable("google_account").execute();
  await db.schema
    .createTable("google_connection")
    .addColumn("organization_id", "text", (c) =>
      c.primaryKey().references("organization.id").onDelete("cascade"),
    )
    .addColumn("connected_by_user_id", "text")
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("refresh_token_ciphertext", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
