import type { DbHandle } from "@ktizo/db";
import { ServiceInputError } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestUser } from "../testing/index.ts";
import {
  buyerWithUpload,
  type customerOf,
  type listedShop,
  type marketplaceServices,
  marketplaceWorld,
  placeTestOrder,
  T0,
} from "../testing/marketplace-fixtures.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { cancelOrder } from "../workflows/order-fulfilment.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import { getMyOrder } from "./customer-orders.ts";
import type { UploadView } from "./uploads.ts";

// Issue 18, req. 1 and 2: order and payment state under races and forged or mismatched payment events,
// on the real database with the local test-mode payments (the same stand-in the app runs on).

let handle: DbHandle;
let env: ReturnType<typeof marketplaceServices>;
let shop: Awaited<ReturnType<typeof listedShop>>;
let buyer: ReturnType<typeof customerOf>;
let upload: UploadView;

beforeAll(async () => {
  ({ handle, env, shop } = await marketplaceWorld("Race Prints", "race-prints"));
  ({ buyer, upload } = await buyerWithUpload(handle.db, env, "Race Buyer"));
});
afterAll(() => handle.close());

const webhook = (signed: { payload: string; signature: string }) =>
  handleStripeWebhook(handle.db, env.services, signed.payload, signed.signature, T0);

const placeOrder = () => placeTestOrder(handle.db, env, buyer, shop, upload.id);

const orderRow = (orderId: string) =>
  handle.db.selectFrom("marketplaceOrder").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();

const jobOf = (orderId: string) =>
  handle.db.selectFrom("job").select(["id", "status"]).where("orderId", "=", orderId).executeTakeFirst();

/** What the payment provider kept of the order's payment (paid less refunded). */
async function moneyKept(sessionId: string | null) {
  const session = await env.payments.getTestSession(sessionId ?? "");
  if (!session) throw new Error("no test session");
  return session.status === "complete" ? session.amountTotalMinor - session.refundedMinor : 0;
}

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("cancel racing the payment", () => {
  it("50 times: every order ends paid (not cancelled) or cancelled with no money kept", async () => {
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 50; i++) {
      const order = await placeOrder();
      // Start the two in varying order and distance: the outcome must not depend on it.
      const cancel = (async () => {
        await ticks(i % 2 === 0 ? 0 : i % 7);
        return cancelOrder(handle.db, env.services, buyer, order.id, T0);
      })();
      const pay = (async () => {
        await ticks(i % 2 === 0 ? i % 5 : 0);
        return webhook(await env.payments.completeCheckout(order.checkoutSessionId ?? ""));
      })();
      const [cancelled, paid] = await Promise.allSettled([cancel, pay]);
      const after = await orderRow(order.id);
      const job = await jobOf(order.id);
      const kept = await moneyKept(order.checkoutSessionId);
      const key = `${after.status}/${paid.status === "fulfilled" ? "charged" : "not charged"}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (after.status === "paid") {
        expect(cancelled.status, `order ${i}`).toBe("rejected");
        expect(kept).toBe(after.totalMinor);
        expect(job?.status).toBe("approved");
      } else {
        expect(after.status, `order ${i}`).toBe("cancelled");
        expect(cancelled.status, `order ${i}`).toBe("fulfilled");
        expect(kept, `order ${i}: money kept`).toBe(0);
        // Nothing left to make on the shop's board.
        expect(job === undefined || job.status === "cancelled", `order ${i}: job ${job?.status}`).toBe(true);
      }
      if (paid.status === "rejected") {
        // The loser of the race is told clearly: the session was closed before the payment.
        expect(paid.reason).toBeInstanceOf(ServiceInputError);
        expect(String(paid.reason)).toMatch(/expired/);
      }
    }
    console.info("cancel vs pay outcomes:", outcomes);
    expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(50);
  });

  it("cancelling an unpaid order expires its checkout: paying afterwards is refused and nothing is taken", async () => {
    const order = await placeOrder();
    expect((await getMyOrder(handle.db, notifying(env.services), buyer, order.id, T0)).canCancel).toBe(true);
    await cancelOrder(handle.db, env.services, buyer, order.id, T0);
    expect((await env.payments.getTestSession(order.checkoutSessionId ?? ""))?.status).toBe("expired");
    await expect(env.payments.completeCheckout(order.checkoutSessionId ?? "")).rejects.toThrow(/expired/);
    expect((await orderRow(order.id)).status).toBe("cancelled");
    expect((await getMyOrder(handle.db, notifying(env.services), buyer, order.id, T0)).canCancel).toBe(false);
    await expect(cancelOrder(handle.db, env.services, buyer, order.id, T0)).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("a payment made just before the cancel is refunded at once; its late event refunds nothing more", async () => {
    const order = await placeOrder();
    const signed = await env.payments.completeCheckout(order.checkoutSessionId ?? "");
    await cancelOrder(handle.db, env.services, buyer, order.id, T0);
    let row = await orderRow(order.id);
    expect(row).toMatchObject({ status: "cancelled", capturedMinor: row.totalMinor });
    expect(row.refundId).toMatch(/^re_test_/);
    expect(await moneyKept(order.checkoutSessionId)).toBe(0);
    expect((await webhook(signed)).body.outcome).toBe("applied");
    row = await orderRow(order.id);
    expect(row.status).toBe("cancelled");
    expect(await moneyKept(order.checkoutSessionId)).toBe(0);
    expect(await jobOf(order.id)).toBeUndefined();
  });

  it("a payment that lands on a cancelled order is refunded automatically; customer and shop are told", async () => {
    const order = await placeOrder();
    const signed = await env.payments.completeCheckout(order.checkoutSessionId ?? "");
    // The order was cancelled while the payment was in flight (the session closed too late).
    await handle.db
      .updateTable("marketplaceOrder")
      .set({ status: "cancelled" })
      .where("id", "=", order.id)
      .execute();
    expect(await moneyKept(order.checkoutSessionId)).toBe(order.totalMinor);
    expect(await webhook(signed)).toMatchObject({ status: 200, body: { outcome: "applied" } });
    expect(await moneyKept(order.checkoutSessionId)).toBe(0);
    // Redelivered: nothing more.
    expect((await webhook(signed)).body.outcome).toBe("duplicate");
    expect((await env.payments.getTestSession(order.checkoutSessionId ?? ""))?.refundedMinor).toBe(
      order.totalMinor,
    );
    const view = await getMyOrder(handle.db, notifying(env.services), buyer, order.id, T0);
    expect(view.status).toBe("cancelled");
    expect(view.timeline.at(-1)).toMatchObject({ status: "refunded_payment", label: "Payment refunded" });
    expect(await jobOf(order.id)).toBeUndefined();
    const customerMail = await handle.db
      .selectFrom("outboxMessage")
      .select("subject")
      .where("recipient", "=", buyer.email.toLowerCase())
      .execute();
    expect(customerMail.map((m) => m.subject)).toContain(`Order #${order.number}: Payment refunded`);
    const shopMail = await handle.db
      .selectFrom("outboxMessage")
      .select("subject")
      .where("recipient", "=", shop.owner.email.toLowerCase())
      .execute();
    expect(shopMail.map((m) => m.subject)).toContain(`Order #${order.number}: a late payment was refunded`);
    const inApp = await handle.db
      .selectFrom("notification")
      .select("title")
      .where("organizationId", "=", shop.organizationId)
      .where("kind", "=", "order.refunded")
      .execute();
    expect(inApp.map((n) => n.title)).toContain(`Order #${order.number}: late payment refunded`);
  });

  it("a paid order cancelled by the customer cancels its job and refunds; once printing, it cannot", async () => {
    const order = await placeOrder();
    await webhook(await env.payments.completeCheckout(order.checkoutSessionId ?? ""));
    expect((await jobOf(order.id))?.status).toBe("approved");
    expect(await cancelOrder(handle.db, env.services, buyer, order.id, T0)).toEqual({
      id: order.id,
      status: "cancelled",
    });
    expect((await jobOf(order.id))?.status).toBe("cancelled");
    expect(await moneyKept(order.checkoutSessionId)).toBe(0);
    const view = await getMyOrder(handle.db, notifying(env.services), buyer, order.id, T0);
    expect(view.timeline.at(-1)).toMatchObject({
      status: "cancelled",
      note: "Cancelled by the customer; your payment is refunded in full",
    });

    const started = await placeOrder();
    await webhook(await env.payments.completeCheckout(started.checkoutSessionId ?? ""));
    const job = await jobOf(started.id);
    await handle.db
      .updateTable("job")
      .set({ status: "printing" })
      .where("id", "=", job?.id ?? "")
      .execute();
    await expect(cancelOrder(handle.db, env.services, buyer, started.id, T0)).rejects.toThrow(
      /Production has started/,
    );
    expect((await orderRow(started.id)).status).toBe("paid");
    expect(await moneyKept(started.checkoutSessionId)).toBe(started.totalMinor);
  });
});

describe("payment events are checked against the order", () => {
  async function paidEvent(
    order: Awaited<ReturnType<typeof placeOrder>>,
    money: { amount_total?: unknown; currency?: unknown },
  ) {
    return env.payments.signEvent("checkout.session.completed", {
      id: order.checkoutSessionId,
      object: "checkout.session",
      metadata: { orderId: order.id },
      payment_intent: `pi_test_${order.id}`,
      payment_status: "paid",
      ...money,
    });
  }

  const cases = [
    {
      name: "another amount",
      money: (t: number) => ({ amount_total: t - 1, currency: "usd" }),
      reason: "amount",
    },
    {
      name: "another currency",
      money: (t: number) => ({ amount_total: t, currency: "eur" }),
      reason: "currency",
    },
    { name: "no amount", money: () => ({ currency: "usd" }), reason: "missing_amount" },
    {
      name: "a non-numeric amount",
      money: () => ({ amount_total: "999", currency: "usd" }),
      reason: "missing_amount",
    },
    { name: "no currency", money: (t: number) => ({ amount_total: t }), reason: "missing_currency" },
  ] as const;

  it.each(cases)("an event with $name is not applied, is recorded, and nothing is fulfilled", async (c) => {
    const order = await placeOrder();
    expect(order.currency.toLowerCase()).toBe("usd");
    const result = await webhook(await paidEvent(order, c.money(order.totalMinor)));
    expect(result).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    const row = await orderRow(order.id);
    expect(row).toMatchObject({ status: "pending_payment", paidAt: null, jobId: null, capturedMinor: 0 });
    expect(await jobOf(order.id)).toBeUndefined();
    const recorded = await handle.db
      .selectFrom("paymentMismatch")
      .selectAll()
      .where("orderId", "=", order.id)
      .execute();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      reason: c.reason,
      eventType: "checkout.session.completed",
      expectedMinor: order.totalMinor,
      expectedCurrency: "usd",
    });
    const view = await getMyOrder(handle.db, notifying(env.services), buyer, order.id, T0);
    expect(view.timeline.at(-1)).toMatchObject({ status: "payment_mismatch", label: "Payment not accepted" });
    // The matching event still pays the order afterwards.
    await webhook(await paidEvent(order, { amount_total: order.totalMinor, currency: "USD" }));
    expect((await orderRow(order.id)).status).toBe("paid");
  });

  it("a refund event in another currency or without an amount changes nothing", async () => {
    const order = await placeOrder();
    await webhook(await env.payments.completeCheckout(order.checkoutSessionId ?? ""));
    for (const money of [{ amount_refunded: order.totalMinor, currency: "eur" }, { currency: "usd" }]) {
      const signed = env.payments.signEvent("charge.refunded", {
        id: "ch_x",
        payment_intent: "pi_x",
        metadata: { orderId: order.id },
        ...money,
      });
      expect((await webhook(signed)).body.outcome).toBe("ignored");
    }
    expect(await orderRow(order.id)).toMatchObject({ status: "paid", refundedMinor: 0 });
  });

  it("lists mismatches for platform admins in the admin console", async () => {
    const admin = await createTestUser(handle.db, { name: "Platform Admin", platformRole: "admin" });
    const page = await callerFor(handle, admin).admin.paymentMismatches.list({ pageSize: 100 });
    expect(page.total).toBeGreaterThanOrEqual(cases.length);
    expect(new Set(page.items.map((m) => m.reason))).toEqual(
      new Set(["amount", "currency", "missing_amount", "missing_currency"]),
    );
    expect(page.items[0]?.order).toMatchObject({ shopName: "Race Prints" });
  });
});
