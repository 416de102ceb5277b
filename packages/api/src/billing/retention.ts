import { type Database, recordAudit } from "@ktizo/db";
import type { Clock } from "@ktizo/services";
import { sql } from "kysely";
import { isoDay } from "./document.ts";

/** Documents deleted per transaction (a large backlog is worked off over several batches of one run). */
const BATCH = 200;

/**
 * Deletes the financial records whose retention date has passed (issue 12, req. 8): issued and void
 * invoices and credit notes with `retain_until` before today (the shop's retention setting, default 10
 * years from the issue date), with their payments, refunds, reminders and portal links; and payments kept
 * on their own (deposits never invoiced) past their own date. Credit notes go before the invoice they
 * credit; an invoice whose credit note must still be kept waits for it. The database's guard refuses to
 * delete a record still within its date, so a wrong clock deletes nothing early. One audit row per
 * batch, with counts only (no personal data). Returns how many documents and payments were deleted.
 */
export async function purgeExpiredFinancialRecords(db: Database, clock: Clock) {
  const today = isoDay(clock.now());
  let documents = 0;
  let payments = 0;
  for (;;) {
    const batch = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("invoice")
        .select(["id", "kind"])
        .where("status", "<>", "draft")
        .where("retainUntil", "<", today)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("invoice as cn")
                .select(sql`1`.as("one"))
                .whereRef("cn.creditedInvoiceId", "=", "invoice.id")
                .where((eb) => eb.or([eb("cn.retainUntil", ">=", today), eb("cn.retainUntil", "is", null)])),
            ),
          ),
        )
        // Credit notes ("credit_note" < "invoice") before the invoices they credit.
        .orderBy("kind")
        .orderBy("id")
        .limit(BATCH)
        .forUpdate()
        .execute();
      if (rows.length === 0) return null;
      const ids = rows.map((r) => r.id);
      await trx
        .deleteFrom("portalToken")
        .where("documentType", "=", "invoice")
        .where("documentId", "in", ids)
        .execute();
      const refunds = await trx
        .deleteFrom("billingPayment")
        .where("invoiceId", "in", ids)
        .where("refundOf", "is not", null)
        .executeTakeFirst();
      const paid = await trx.deleteFrom("billingPayment").where("invoiceId", "in", ids).executeTakeFirst();
      const creditNotes = rows.filter((r) => r.kind === "credit_note").map((r) => r.id);
      if (creditNotes.length) await trx.deleteFrom("invoice").where("id", "in", creditNotes).execute();
      const invoices = rows.filter((r) => r.kind === "invoice").map((r) => r.id);
      if (invoices.length) await trx.deleteFrom("invoice").where("id", "in", invoices).execute();
      const moved = Number(refunds.numDeletedRows) + Number(paid.numDeletedRows);
      await recordAudit(trx, {
        organizationId: null,
        actorUserId: null,
        action: "billing.records.purged",
        subjectType: "invoice",
        subjectId: today,
        data: { documents: rows.length, payments: moved, retainedBefore: today },
      });
      return { documents: rows.length, payments: moved };
    });
    if (!batch) break;
    documents += batch.documents;
    payments += batch.payments;
  }
  // Payments kept on their own (a deposit never invoiced), past their own date: refunds first.
  for (const refunds of [true, false]) {
    const r = await db
      .deleteFrom("billingPayment")
      .where("invoiceId", "is", null)
      .where("retainUntil", "<", today)
      .where("refundOf", refunds ? "is not" : "is", null)
      .executeTakeFirst();
    payments += Number(r.numDeletedRows);
  }
  return { documents, payments };
}
