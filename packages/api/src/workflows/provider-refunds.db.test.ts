import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import type { PaymentEvent } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformDashboard } from "../admin/dashboard.ts";
import { dashboardInput } from "../admin/schemas.ts";
import { insertOrder } from "../testing/admin-support.ts";
import { testServices } from "../testing/index.ts";
import { shopFixture } from "../testing/shop-fixtures.ts";
import { applyPaymentEvent } from "./payment-events.ts";

/**
 * Every refund counts on the admin dashboard, not only the console's: a refund Stripe reports
 * (`charge.refunded`, cumulative) that the console did not make is written once as a refund row on the
 * day it arrived; a redelivery adds nothing; a console refund still pending is left to the console.
 */
let handle: DbHandle;
const at = (day: string) => new Date(`2026-04-${day}T12:00:00Z`);

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

function refunded(orderId: string, amount: number, id = newId("evt")): PaymentEvent {
  return {
    id,
    type: "charge.refunded",
    created: at("01"),
    account: null,
    livemode: false,
    data: {
      id: "ch_1",
      payment_intent: null,
      metadata: { orderId },
      amount_refunded: amount,
      currency: "usd",
    },
  };
}

const dashboardRefunds = async () => {
  const d = await platformDashboard(
    handle.db,
    dashboardInput.parse({ from: "2026-04-01", to: "2026-04-10" }),
    at("10"),
  );
  const usd = d.money.find((m) => m.currency === "usd");
  return {
    total: usd?.totals.refundedMinor ?? 0,
    byDay: Object.fromEntries(
      (usd?.periods ?? []).filter((p) => p.refundedMinor).map((p) => [p.start, p.refundedMinor]),
    ),
  };
};

describe("refunds made outside the console", () => {
  it("are counted once each, on the day Stripe reported them, beside the console's", async () => {
    const services = testServices(handle.db);
    const shop = await shopFixture(handle.db, "Refund Prints");
    const order = await insertOrder(handle.db, {
      organizationId: shop.organizationId,
      totalMinor: 10_000,
      createdAt: at("01"),
      paidAt: at("01"),
      lineOf: shop,
    });
    // A shop's cancellation (or a refund in Stripe's dashboard): 3 000 on the 2nd.
    const first = refunded(order.id, 3_000);
    expect((await applyPaymentEvent(handle.db, services, first, at("02"))).outcome).toBe("applied");
    // Stripe redelivers it: nothing more.
    expect((await applyPaymentEvent(handle.db, services, first, at("03"))).outcome).toBe("duplicate");
    // A console refund of 2 000 settled on the 4th, then Stripe's cumulative event says 5 000: nothing new.
    await handle.db
      .insertInto("orderRefund")
      .values({
        id: newId("orf"),
        orderId: order.id,
        requestKey: "console-1",
        amountMinor: 2_000,
        currency: "USD",
        reason: "Late",
        status: "succeeded",
        createdAt: at("04"),
        settledAt: at("04"),
      })
      .execute();
    await handle.db
      .updateTable("marketplaceOrder")
      .set({ refundedMinor: 5_000 })
      .where("id", "=", order.id)
      .execute();
    await applyPaymentEvent(handle.db, services, refunded(order.id, 5_000), at("04"));
    // A console refund of 1 000 is pending (Stripe made it, the console has not settled it) when Stripe
    // reports 7 000: 1 000 of it is new from elsewhere, the pending 1 000 is the console's.
    await handle.db
      .insertInto("orderRefund")
      .values({
        id: newId("orf"),
        orderId: order.id,
        requestKey: "console-2",
        amountMinor: 1_000,
        currency: "USD",
        reason: "Scratched",
        status: "pending",
        createdAt: at("06"),
      })
      .execute();
    await applyPaymentEvent(handle.db, services, refunded(order.id, 7_000), at("06"));

    const row = await handle.db
      .selectFrom("marketplaceOrder")
      .select(["refundedMinor", "status"])
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ refundedMinor: 6_000, status: "paid" });
    expect(await dashboardRefunds()).toEqual({
      total: 6_000,
      byDay: { "2026-04-02": 3_000, "2026-04-04": 2_000, "2026-04-06": 1_000 },
    });
  });
});
