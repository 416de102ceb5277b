import type { PaymentMismatchReason } from "@ktizo/db";
import { sql } from "kysely";
import { type Executor, type Page, pageRows, toPage } from "../kernel/index.ts";
import type { ListPaymentMismatchesInput } from "./schemas.ts";

export interface PaymentMismatchView {
  id: string;
  eventId: string;
  eventType: string;
  reason: PaymentMismatchReason;
  order: { id: string; number: number; shopName: string } | null;
  expectedMinor: number | null;
  expectedCurrency: string | null;
  receivedMinor: number | null;
  receivedCurrency: string | null;
  createdAt: Date;
}

/**
 * Signed payment events that did not match their order (amount, currency, or either missing), newest
 * first. They were not applied: a person checks the payment in Stripe and settles it by hand.
 */
export async function listPaymentMismatches(
  db: Executor,
  input: ListPaymentMismatchesInput,
): Promise<Page<PaymentMismatchView>> {
  const [rows, total] = await pageRows(
    db
      .selectFrom("paymentMismatch as m")
      .leftJoin("marketplaceOrder as o", "o.id", "m.orderId")
      .leftJoin("organization as g", "g.id", "o.organizationId")
      .select([
        "m.id",
        "m.eventId",
        "m.eventType",
        "m.reason",
        "m.orderId",
        "o.number",
        "g.name as shopName",
        "m.expectedMinor",
        "m.expectedCurrency",
        "m.receivedMinor",
        "m.receivedCurrency",
        "m.createdAt",
      ])
      .orderBy("m.createdAt", "desc")
      .orderBy("m.id", "desc"),
    db.selectFrom("paymentMismatch").select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  const items = rows.map(({ orderId, number, shopName, ...r }) => ({
    ...r,
    order: orderId && number !== null ? { id: orderId, number, shopName: shopName ?? "" } : null,
  }));
  return toPage(items, total, input);
}
