import type { DbHandle } from "@ktizo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  customerOf,
  type listedShop,
  type marketplaceServices,
  marketplaceWorld,
  placeTestOrder,
  T0,
  testCustomer,
  uploadTestBox,
} from "../testing/marketplace-fixtures.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import { invoiceView } from "./invoice-views.ts";
import { issueOrderReceipt } from "./receipts.ts";

// Issue 12, req. 4: a marketplace order gets its invoice (a receipt) automatically when it is paid.

let handle: DbHandle;
let env: ReturnType<typeof marketplaceServices>;
let shop: Awaited<ReturnType<typeof listedShop>>;

beforeAll(async () => {
  ({ handle, env, shop } = await marketplaceWorld("Receipt Prints", "receipt-prints"));
});
afterAll(() => handle.close());

async function placeOrder(quantity: number) {
  const buyer = customerOf(await testCustomer(handle.db, "Rhea Receipt", `rhea-${quantity}@example.test`));
  const upload = await uploadTestBox(
    handle.db,
    env.services.storage,
    { userId: buyer.userId },
    "part.stl",
    [20, 20, 20],
  );
  return placeTestOrder(handle.db, env, buyer, shop, upload.id, { quantity });
}

const invoicesOf = (organizationId: string) =>
  handle.db.selectFrom("invoice").selectAll().where("organizationId", "=", organizationId).execute();

describe("marketplace receipts", () => {
  it("a paid order gets one issued, paid invoice for exactly what was charged, however often Stripe says so", async () => {
    const order = await placeOrder(3);
    expect(await invoicesOf(shop.organizationId)).toEqual([]);
    const signed = await env.payments.completeCheckout(order.checkoutSessionId ?? "");
    // Delivered twice, and twice at once: one receipt.
    await handleStripeWebhook(handle.db, env.services, signed.payload, signed.signature, T0);
    await Promise.all([
      handleStripeWebhook(handle.db, env.services, signed.payload, signed.signature, T0),
      issueOrderReceipt(handle.db, order.id, T0),
    ]);
    const [invoice, ...others] = await invoicesOf(shop.organizationId);
    expect(others).toEqual([]);
    const paid = await handle.db
      .selectFrom("marketplaceOrder")
      .select(["jobId", "totalMinor", "number", "customerEmail"])
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    expect(invoice).toMatchObject({
      kind: "invoice",
      status: "issued",
      jobId: paid.jobId,
      totalMinor: paid.totalMinor,
      currency: order.currency,
      recipientEmail: paid.customerEmail,
      terms: "due_on_receipt",
    });
    expect(invoice?.number).toMatch(/^INV-\d{4}-0001$/);
    expect(invoice?.retainUntil).toBeTruthy();
    expect(invoice?.buyer?.name).toBe("Rhea Receipt");
    const view = await invoiceView(handle.db, invoice!, T0);
    expect(view.displayStatus).toBe("paid");
    expect(view.balance).toMatchObject({ paidMinor: paid.totalMinor, dueMinor: 0 });
    expect(view.payments).toMatchObject([
      { method: "online", amountMinor: paid.totalMinor, reference: `Marketplace order #${paid.number}` },
    ]);
    // The lines add up to the charge to the minor unit (the shipping is its own total).
    expect(view.totals.totalMinor).toBe(paid.totalMinor);
    expect(await issueOrderReceipt(handle.db, order.id, T0)).toBe(invoice?.id);
  });

  it("an unpaid order gets nothing", async () => {
    const order = await placeOrder(1);
    expect(await issueOrderReceipt(handle.db, order.id, T0)).toBeNull();
    expect(await invoicesOf(shop.organizationId)).toHaveLength(1);
  });
});
