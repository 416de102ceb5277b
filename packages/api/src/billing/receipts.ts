import { newId, recordAudit } from "@ktizo/db";
import { type Executor, inTransaction } from "../kernel/index.ts";
import { addDays, isoDay, type ResolvedDocument, totalsOf } from "./document.ts";
import { insertDraft } from "./invoice-drafts.ts";
import { formatNumber, nextNumber, retainUntil } from "./invoice-numbers.ts";
import { buyerOf, sellerOf } from "./invoice-parties.ts";
import { PAYMENT_ID_PREFIX } from "./payments.ts";
import { getBillingSettings } from "./settings.ts";

/** The order's lines as document lines, to the minor unit of what was charged. */
async function orderDocument(
  trx: Executor,
  order: { id: string; shippingMinor: number; taxMinor: number },
): Promise<ResolvedDocument> {
  const lines = await trx
    .selectFrom("orderLine")
    .select(["description", "quantity", "totalMinor"])
    .where("orderId", "=", order.id)
    .orderBy("position")
    .execute();
  const line = (description: string, quantity: number, unitPriceMinor: number) => ({
    description: description.slice(0, 500),
    quantity,
    unitPriceMinor,
    discountBps: 0,
    taxRateBps: 0,
    taxInclusive: false,
    taxName: "",
    jobItemId: null,
  });
  return {
    lines: [
      ...lines.map((l) =>
        // A total that does not split evenly over the quantity stays one line of the exact amount.
        l.totalMinor % l.quantity === 0
          ? line(l.description, l.quantity, l.totalMinor / l.quantity)
          : line(`${l.description} (× ${l.quantity})`, 1, l.totalMinor),
      ),
      ...(order.taxMinor > 0 ? [line("Tax, as charged at checkout", 1, order.taxMinor)] : []),
    ],
    discount: null,
    shippingMinor: order.shippingMinor,
    shippingTaxRateBps: 0,
    notes: "",
  };
}

/**
 * A paid marketplace order's invoice, issued and marked paid at once (a receipt): numbered in the shop's
 * sequence, with the parties' details, kept as a financial record. Called after every payment event of
 * the order (also on Stripe's redeliveries); the order row lock and the one-invoice-per-job check make it
 * happen once. Nothing is made before the order has its job, or when the lines do not add up to what was
 * charged (the shop then invoices by hand). Returns the invoice's id, or null.
 */
export async function issueOrderReceipt(db: Executor, orderId: string, now: Date): Promise<string | null> {
  return inTransaction(db, async (trx) => {
    const order = await trx
      .selectFrom("marketplaceOrder")
      .innerJoin("job", "job.id", "marketplaceOrder.jobId")
      .select([
        "marketplaceOrder.id",
        "marketplaceOrder.organizationId",
        "marketplaceOrder.number",
        "marketplaceOrder.currency",
        "marketplaceOrder.shippingMinor",
        "marketplaceOrder.taxMinor",
        "marketplaceOrder.totalMinor",
        "marketplaceOrder.paidAt",
        "marketplaceOrder.customerEmail",
        "job.id as jobId",
        "job.customerId",
      ])
      .where("marketplaceOrder.id", "=", orderId)
      .forUpdate("marketplaceOrder")
      .executeTakeFirst();
    if (!order?.paidAt) return null;
    const existing = await trx
      .selectFrom("invoice")
      .select("id")
      .where("jobId", "=", order.jobId)
      .where("kind", "=", "invoice")
      .executeTakeFirst();
    if (existing) return existing.id;
    const doc = await orderDocument(trx, order);
    const totals = totalsOf(doc, null);
    if (totals.totalMinor !== order.totalMinor || totals.totalMinor <= 0) return null;
    const settings = await getBillingSettings(trx, order.organizationId);
    const issueDate = isoDay(order.paidAt);
    const year = Number(issueDate.slice(0, 4));
    const id = await insertDraft(
      trx,
      { organizationId: order.organizationId, userId: null },
      {
        jobId: order.jobId,
        estimateId: null,
        customerId: order.customerId,
        currency: order.currency,
        email: order.customerEmail,
      },
      { ...doc, notes: `Marketplace order #${order.number}, paid online.` },
      { terms: "due_on_receipt" },
      now,
    );
    const number = formatNumber(
      settings.invoicePrefix,
      year,
      await nextNumber(trx, order.organizationId, "invoice", year),
    );
    await trx
      .updateTable("invoice")
      .set({
        status: "issued",
        number,
        issueDate,
        dueDate: addDays(issueDate, 0),
        seller: JSON.stringify(await sellerOf(trx, order.organizationId, settings.taxId)),
        buyer: JSON.stringify(await buyerOf(trx, order.customerId)),
        retainUntil: retainUntil(issueDate, settings.retentionYears),
        updatedAt: now,
      })
      .where("id", "=", id)
      .execute();
    await trx
      .insertInto("billingPayment")
      .values({
        id: newId(PAYMENT_ID_PREFIX),
        organizationId: order.organizationId,
        invoiceId: id,
        kind: "payment",
        method: "online",
        status: "succeeded",
        amountMinor: order.totalMinor,
        currency: order.currency,
        reference: `Marketplace order #${order.number}`,
        receivedAt: order.paidAt,
        createdBy: null,
        createdAt: now,
      })
      .execute();
    await recordAudit(trx, {
      organizationId: order.organizationId,
      actorUserId: null,
      action: "billing.invoice.issued",
      subjectType: "invoice",
      subjectId: id,
      data: { number, totalMinor: order.totalMinor, orderId: order.id, receipt: true },
    });
    return id;
  });
}
