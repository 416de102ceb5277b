import { type Kysely, sql } from "kysely";

// Proofs (issue 12, req. 3): numbered versions of a proof file on a job, each approved or rejected by
// the customer with a comment (name, time, IP and browser kept); printing waits for the current
// version's approval unless an owner or admin overrides it with a reason.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("proof")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) =>
      c.notNull().references("organization.id").onDelete("cascade"),
    )
    .addColumn("job_id", "text", (c) => c.notNull().references("job.id").onDelete("cascade"))
    .addColumn("job_file_id", "text", (c) => c.notNull().references("job_file.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'approved', 'rejected')`),
    )
    .addColumn("comment", "text")
    .addColumn("decided_name", "text")
    .addColumn("decided_at", "timestamptz")
    .addColumn("decided_ip", "text")
    .addColumn("decided_user_agent", "text")
    // An owner's or admin's decision to print without the customer's approval, with the reason.
    .addColumn("override_reason", "text")
    .addColumn("override_by", "text")
    .addColumn("override_at", "timestamptz")
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("proof_job_version_unique", ["job_id", "version"])
    .addCheckConstraint("proof_decision_check", sql`(status = 'pending') = (decided_at is null)`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("proof").execute();
}
