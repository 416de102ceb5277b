import { type Kysely, sql } from "kysely";

// Billing (issue 12): estimates with every version kept, invoices and credit notes numbered per shop
// without gaps, payments and refunds. Amounts are integer minor units of the document's currency.
//
// Issued invoices, credit notes and payments are financial records (privacy promise P23/P35): they do
// not cascade away with the organization, the job or the customer (organization_id, job_id and
// customer_id become null); the seller's and buyer's details they must show are copied onto the
// document when it is issued, and a trigger refuses any change to an issued document's content.
// Calendar dates are ISO text (YYYY-MM-DD): no time zone can shift them on the way in or out.
const isoDate = (column: string) => sql`${sql.ref(column)} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`;
  const orgRef = "organization.id";

  await db.schema
    .createTable("billing_settings")
    .addColumn("organization_id", "text", (c) => c.primaryKey().references(orgRef).onDelete("cascade"))
    // [{ id, name, rateBps, inclusive }]: the shop's named tax rates, chosen per line.
    .addColumn("tax_rates", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("invoice_prefix", "text", (c) =>
      c.notNull().defaultTo("INV").check(sql`invoice_prefix ~ '^[A-Z0-9]{1,8}$'`),
    )
    .addColumn("credit_note_prefix", "text", (c) =>
      c.notNull().defaultTo("CN").check(sql`credit_note_prefix ~ '^[A-Z0-9]{1,8}$'`),
    )
    .addColumn("default_terms_days", "integer", (c) =>
      c.notNull().defaultTo(30).check(sql`default_terms_days between 0 and 365`),
    )
    .addColumn("tax_id", "text")
    .addColumn("legal_footer", "text", (c) => c.notNull().defaultTo(""))
    // Reminder cadence: days before the due date, on it, then every N days overdue (at most M times).
    .addColumn("remind_days_before", "integer", (c) =>
      c.notNull().defaultTo(3).check(sql`remind_days_before between 0 and 60`),
    )
    .addColumn("remind_on_due", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("remind_overdue_every_days", "integer", (c) =>
      c.notNull().defaultTo(7).check(sql`remind_overdue_every_days between 0 and 90`),
    )
    .addColumn("remind_overdue_max", "integer", (c) =>
      c.notNull().defaultTo(3).check(sql`remind_overdue_max between 0 and 20`),
    )
    .addColumn("retention_years", "integer", (c) =>
      c.notNull().defaultTo(10).check(sql`retention_years between 1 and 30`),
    )
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  // One row per shop, document kind and year; issuing takes the next value with UPDATE … RETURNING in
  // the issuing transaction, so concurrent issues queue on the row and a rollback leaves no gap.
  await db.schema
    .createTable("billing_counter")
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('invoice', 'credit_note')`))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("last_value", "integer", (c) => c.notNull().defaultTo(0).check(sql`last_value >= 0`))
    .addPrimaryKeyConstraint("billing_counter_pk", ["organization_id", "kind", "year"])
    .execute();

  await db.schema
    .createTable("estimate")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("job_id", "text", (c) => c.notNull().references("job.id").onDelete("cascade"))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`status in ('draft', 'sent', 'approved', 'changes_requested', 'declined')`),
    )
    .addColumn("current_version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("sent_at", "timestamptz")
    .addColumn("viewed_at", "timestamptz")
    // Approval evidence: the version approved, the typed name, when, from where.
    .addColumn("approved_version", "integer")
    .addColumn("approved_name", "text")
    .addColumn("approved_at", "timestamptz")
    .addColumn("approved_ip", "text")
    .addColumn("approved_user_agent", "text")
    .addColumn("change_request", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addCheckConstraint(
      "estimate_approval_check",
      sql`(status = 'approved') = (approved_at is not null and approved_name is not null and approved_version is not null)`,
    )
    .execute();
  await db.schema
    .createIndex("estimate_org_job_idx")
    .on("estimate")
    .columns(["organization_id", "job_id"])
    .execute();

  // Every version of an estimate, never changed once written (a revision is a new row).
  await db.schema
    .createTable("estimate_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("estimate_id", "text", (c) => c.notNull().references("estimate.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("lines", "jsonb", (c) => c.notNull())
    .addColumn("discount", "jsonb")
    .addColumn("shipping_minor", "integer", (c) => c.notNull().defaultTo(0).check(sql`shipping_minor >= 0`))
    .addColumn("shipping_tax_rate_bps", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`shipping_tax_rate_bps between 0 and 10000`),
    )
    .addColumn("deposit", "jsonb")
    .addColumn("valid_until", "text", (c) => c.check(isoDate("valid_until")))
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("totals", "jsonb", (c) => c.notNull())
    .addColumn("total_minor", "integer", (c) => c.notNull().check(sql`total_minor >= 0`))
    .addColumn("deposit_minor", "integer", (c) => c.notNull().defaultTo(0).check(sql`deposit_minor >= 0`))
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("estimate_version_unique", ["estimate_id", "version"])
    .execute();

  await db.schema
    .createTable("invoice")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.references(orgRef).onDelete("set null"))
    .addColumn("kind", "text", (c) =>
      c.notNull().defaultTo("invoice").check(sql`kind in ('invoice', 'credit_note')`),
    )
    .addColumn("job_id", "text", (c) => c.references("job.id").onDelete("set null"))
    .addColumn("estimate_id", "text", (c) => c.references("estimate.id").onDelete("set null"))
    .addColumn("customer_id", "text", (c) => c.references("customer.id").onDelete("set null"))
    .addColumn("credited_invoice_id", "text", (c) => c.references("invoice.id").onDelete("restrict"))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status in ('draft', 'issued', 'void')`),
    )
    .addColumn("number", "text")
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("issue_date", "text", (c) => c.check(isoDate("issue_date")))
    .addColumn("due_date", "text", (c) => c.check(isoDate("due_date")))
    .addColumn("terms", "text", (c) =>
      c.notNull().defaultTo("net_30").check(sql`terms in ('due_on_receipt', 'net_15', 'net_30', 'custom')`),
    )
    .addColumn("terms_days", "integer", (c) =>
      c.notNull().defaultTo(30).check(sql`terms_days between 0 and 365`),
    )
    // The seller's and buyer's details as printed (copied when issued).
    .addColumn("seller", "jsonb")
    .addColumn("buyer", "jsonb")
    .addColumn("lines", "jsonb", (c) => c.notNull())
    .addColumn("discount", "jsonb")
    .addColumn("shipping_minor", "integer", (c) => c.notNull().defaultTo(0).check(sql`shipping_minor >= 0`))
    .addColumn("shipping_tax_rate_bps", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`shipping_tax_rate_bps between 0 and 10000`),
    )
    .addColumn("totals", "jsonb", (c) => c.notNull())
    .addColumn("total_minor", "integer", (c) => c.notNull().check(sql`total_minor >= 0`))
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    // Where it is emailed: not part of the record, so personal-data reduction may clear it.
    .addColumn("recipient_email", "text")
    .addColumn("sent_at", "timestamptz")
    .addColumn("viewed_at", "timestamptz")
    .addColumn("void_reason", "text")
    .addColumn("voided_at", "timestamptz")
    .addColumn("retain_until", "text", (c) => c.check(isoDate("retain_until")))
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addCheckConstraint(
      "invoice_issued_check",
      sql`(status = 'draft') = (number is null) and (status = 'draft' or (issue_date is not null and due_date is not null and seller is not null and buyer is not null and retain_until is not null))`,
    )
    .addCheckConstraint(
      "invoice_void_check",
      sql`(status = 'void') = (voided_at is not null and void_reason is not null)`,
    )
    .addCheckConstraint(
      "invoice_credit_check",
      sql`(kind = 'credit_note') = (credited_invoice_id is not null)`,
    )
    .execute();
  await sql`create unique index invoice_org_number_unique on invoice (organization_id, kind, number)
    where number is not null`.execute(db);
  await db.schema
    .createIndex("invoice_org_status_idx")
    .on("invoice")
    .columns(["organization_id", "status", "due_date"])
    .execute();
  await db.schema.createIndex("invoice_job_idx").on("invoice").column("job_id").execute();
  await db.schema.createIndex("invoice_credited_idx").on("invoice").column("credited_invoice_id").execute();

  // An issued document's content never changes: corrections are credit notes, or a void with a reason.
  // Allowed on an issued row: void (once, with reason), delivery facts (sent/viewed, recipient), and the
  // links that lose their target (organization, job, estimate, customer set to null).
  await sql`
    create function invoice_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'draft' and old.retain_until::date >= current_date then
          raise exception 'issued invoice % is kept until %', old.number, old.retain_until
            using errcode = 'check_violation';
        end if;
        return old;
      end if;
      if old.status = 'draft' then
        return new;
      end if;
      if new.status = 'draft'
        or (old.status = 'void' and new.status <> 'void')
        or new.kind is distinct from old.kind
        or new.number is distinct from old.number
        or new.currency is distinct from old.currency
        or new.issue_date is distinct from old.issue_date
        or new.due_date is distinct from old.due_date
        or new.terms is distinct from old.terms
        or new.terms_days is distinct from old.terms_days
        or new.seller is distinct from old.seller
        or new.buyer is distinct from old.buyer
        or new.lines is distinct from old.lines
        or new.discount is distinct from old.discount
        or new.shipping_minor is distinct from old.shipping_minor
        or new.shipping_tax_rate_bps is distinct from old.shipping_tax_rate_bps
        or new.totals is distinct from old.totals
        or new.total_minor is distinct from old.total_minor
        or new.notes is distinct from old.notes
        or new.credited_invoice_id is distinct from old.credited_invoice_id
        or new.retain_until is distinct from old.retain_until
        or (new.organization_id is distinct from old.organization_id and new.organization_id is not null)
        or (new.job_id is distinct from old.job_id and new.job_id is not null)
        or (new.estimate_id is distinct from old.estimate_id and new.estimate_id is not null)
        or (new.customer_id is distinct from old.customer_id and new.customer_id is not null)
        or (old.status = 'void' and (new.void_reason is distinct from old.void_reason
          or new.voided_at is distinct from old.voided_at))
      then
        raise exception 'invoice % is issued and cannot be changed', old.number
          using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger invoice_guard before update or delete on invoice
    for each row execute function invoice_guard()`.execute(db);

  // Money in (payment) and back out (refund). A deposit is paid against the estimate and applied to the
  // invoice made from it (invoice_id set then).
  await db.schema
    .createTable("billing_payment")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.references(orgRef).onDelete("set null"))
    .addColumn("invoice_id", "text", (c) => c.references("invoice.id").onDelete("restrict"))
    .addColumn("estimate_id", "text", (c) => c.references("estimate.id").onDelete("set null"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('payment', 'refund')`))
    .addColumn("method", "text", (c) =>
      c.notNull().check(sql`method in ('online', 'cash', 'bank_transfer', 'check', 'other')`),
    )
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`))
    .addColumn("is_deposit", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("amount_minor", "integer", (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("reference", "text")
    .addColumn("refund_of", "text", (c) => c.references("billing_payment.id").onDelete("restrict"))
    .addColumn("checkout_session_id", "text", (c) => c.unique())
    .addColumn("payment_intent_id", "text")
    .addColumn("connected_account_id", "text")
    .addColumn("provider_refund_id", "text", (c) => c.unique())
    .addColumn("received_at", "timestamptz")
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("retain_until", "text", (c) => c.check(isoDate("retain_until")))
    .addCheckConstraint("billing_payment_refund_check", sql`(kind = 'refund') = (refund_of is not null)`)
    .execute();
  await db.schema
    .createIndex("billing_payment_invoice_idx")
    .on("billing_payment")
    .column("invoice_id")
    .execute();
  await db.schema
    .createIndex("billing_payment_estimate_idx")
    .on("billing_payment")
    .column("estimate_id")
    .execute();
  await db.schema
    .createIndex("billing_payment_intent_idx")
    .on("billing_payment")
    .column("payment_intent_id")
    .execute();

  // A link to one document that needs no account: only the SHA-256 of the token is stored.
  await db.schema
    .createTable("portal_token")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references(orgRef).onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("document_type", "text", (c) =>
      c.notNull().check(sql`document_type in ('estimate', 'invoice', 'proof')`),
    )
    .addColumn("document_id", "text", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("portal_token_document_idx")
    .on("portal_token")
    .columns(["document_type", "document_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("portal_token").execute();
  await db.schema.dropTable("billing_payment").execute();
  await sql`drop trigger invoice_guard on invoice`.execute(db);
  await sql`drop function invoice_guard()`.execute(db);
  for (const t of ["invoice", "estimate_version", "estimate", "billing_counter", "billing_settings"]) {
    await db.schema.dropTable(t).execute();
  }
}
