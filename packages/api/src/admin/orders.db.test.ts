import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type PaymentsService, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOrder, insertPaidTestOrder } from "../testing/admin-support.ts";
import { createTestUser, type TestActor } from "../testing/index.ts";
import { marketplaceServices } from "../testing/marketplace-fixtures.ts";
import { type ShopFixture, shopFixture } from "../testing/shop-fixtures.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { applyPaymentEvent } from "../workflows/payment-events.ts";
import { getOrder } from "./order-history.ts";
import { listOrders } from "./order-list.ts";
import { refundOrder } from "./order-refunds.ts";
import { listOrdersInput, refundOrderInput } from "./schemas.ts";

let handle: DbHandle;
let db: Database;
let shop: ShopFixture;
let other: ShopFixture;
let admin: TestActor;
let env: ReturnType<typeof marketplaceServices>;
const T = new Date("2026-03-10T10:00:00Z");

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  env = marketplaceServices(db);
  shop = await shopFixture(db, "Alpha Prints");
  other = await shopFixture(db, "Beta Works");
  admin = await createTestUser(db, { name: "Ada Admin", platformRole: "admin" });
});
afterAll(() => handle.close());

const deps = (services: Pick<Services, "payments" | "mail" | "sms"> = env.services) => ({
  services: notifying(services),
  actorUserId: admin.userId,
  now: T,
});
const key = () => `req_${Math.random().toString(36).slice(2, 12)}`;

describe("listOrders", () => {
  it("finds orders by number, customer, shop, status and day", async () => {
    const a = await insertOrder(db, {
      organizationId: shop.organizationId,
      totalMinor: 1000,
      createdAt: new Date("2026-01-05T10:00:00Z"),
      paidAt: new Date("2026-01-05T10:00:00Z"),
      customerName: "Quinn Search",
      customerEmail: "quinn@example.test",
    });
    await insertOrder(db, {
      organizationId: other.organizationId,
      totalMinor: 2000,
      createdAt: new Date("2026-01-07T10:00:00Z"),
      customerName: "Quinn Search",
      customerEmail: "quinn@example.test",
    });
    const search = async (input: Record<string, unknown>) =>
      (await listOrders(db, listOrdersInput.parse(input))).items.map((o) => o.shopName);
    expect(await search({ q: "quinn@" })).toEqual(["Beta Works", "Alpha Prints"]);
    expect(await search({ q: `#${a.number}` })).toEqual(["Alpha Prints"]);
    expect(await search({ q: "quinn", shop: "beta" })).toEqual(["Beta Works"]);
    expect(await search({ q: "quinn", status: "paid" })).toEqual(["Alpha Prints"]);
    expect(await search({ q: "quinn", from: "2026-01-06", to: "2026-01-07" })).toEqual(["Beta Works"]);
    expect(await search({ q: "100%_" })).toEqual([]);
    expect(listOrdersInput.safeParse({ status: "lost" }).success).toBe(false);
  });
});

describe("refundOrder", () => {
  it("refunds half, then the rest; audited, on the timeline, customer and shop emailed; a resubmission refunds nothing twice", async () => {
    const customer = await createTestUser(db, { name: "Hal Half", email: "half@example.test" });
    const o = await insertPaidTestOrder(db, env.payments, {
      organizationId: shop.organizationId,
      userId: customer.userId,
      totalMinor: 5000,
      createdAt: T,
      customerEmail: customer.email,
    });
    const requestKey = key();
    const half = {
      ...refundOrderInput.parse({
        orderId: o.id,
        mode: "partial",
        amount: "25.00",
        reason: "Two parts arrived broken",
        requestKey,
      }),
      mode: "partial" as const,
      amount: "25.00",
    };
    const first = await refundOrder(db, half, deps());
    expect(first).toMatchObject({ amountMinor: 2500, status: "succeeded", full: false, repeated: false });
    // The same form again (a double click, a retry): the same refund, nothing more.
    const again = await refundOrder(db, half, deps());
    expect(again).toMatchObject({ refundId: first.refundId, repeated: true });
    const session = await env.payments.getTestSession(
      (
        await db
          .selectFrom("marketplaceOrder")
          .select("checkoutSessionId")
          .where("id", "=", o.id)
          .executeTakeFirstOrThrow()
      ).checkoutSessionId ?? "",
    );
    expect(session?.refundedMinor).toBe(2500);

    let view = await getOrder(db, o.id);
    expect(view).toMatchObject({ status: "paid", refundedMinor: 2500, refundableMinor: 2500 });
    expect(view.refunds.map((r) => [r.amountMinor, r.status, r.actorName])).toEqual([
      [2500, "succeeded", "Ada Admin"],
    ]);
    expect(view.timeline.map((e) => e.title)).toContain("Partially refunded");

    // More than is left is refused beside the field and changes nothing.
    await expect(refundOrder(db, { ...half, amount: "25.01", requestKey: key() }, deps())).rejects.toThrow(
      "more than is left",
    );
    await expect(refundOrder(db, { ...half, amount: "abc", requestKey: key() }, deps())).rejects.toThrow();

    const rest = await refundOrder(
      db,
      refundOrderInput.parse({ orderId: o.id, mode: "full", reason: "Goodwill", requestKey: key() }),
      deps(),
    );
    expect(rest).toMatchObject({ amountMinor: 2500, full: true });
    view = await getOrder(db, o.id);
    expect(view).toMatchObject({ status: "refunded", refundedMinor: 5000, refundableMinor: 0 });
    await expect(
      refundOrder(db, { orderId: o.id, mode: "full", reason: "Again", requestKey: key() }, deps()),
    ).rejects.toThrow("Nothing is left to refund");

    const audit = await db
      .selectFrom("auditLog")
      .select(["action", "actorUserId"])
      .where("subjectId", "=", o.id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      "admin.order.refund_requested",
      "admin.order.refund_requested",
      "admin.order.refunded",
      "admin.order.refunded",
    ]);
    expect(new Set(audit.map((a) => a.actorUserId))).toEqual(new Set([admin.userId]));
    const mail = await db
      .selectFrom("outboxMessage")
      .select(["recipient", "subject", "bodyText"])
      .where("subject", "like", `Order #${o.number}:%`)
      .execute();
    expect(mail.map((m) => m.recipient)).toContain("half@example.test");
    expect(mail.map((m) => m.recipient)).toContain(shop.owner.email);
    expect(mail.find((m) => m.recipient === shop.owner.email)?.bodyText).toContain("$25.00");
    expect(mail.find((m) => m.recipient === shop.owner.email)?.bodyText).toContain(
      "Two parts arrived broken",
    );
  });

  it("never refunds more than was captured when two refunds race", async () => {
    const o = await insertPaidTestOrder(db, env.payments, {
      organizationId: shop.organizationId,
      totalMinor: 3000,
      createdAt: T,
    });
    const ask = () =>
      refundOrder(
        db,
        { orderId: o.id, mode: "partial", amount: "20.00", reason: "Race", requestKey: key() },
        deps(),
      );
    const results = await Promise.allSettled([ask(), ask()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const view = await getOrder(db, o.id);
    expect(view.refundedMinor).toBe(2000);
  });

  it("keeps a refused refund as failed, with the provider's error, and changes the order not at all", async () => {
    const o = await insertPaidTestOrder(db, env.payments, {
      organizationId: shop.organizationId,
      totalMinor: 1200,
      createdAt: T,
    });
    const refusing: PaymentsService = {
      ...env.payments,
      refund: async () => {
        throw new Error("charge_already_refunded");
      },
    };
    await expect(
      refundOrder(
        db,
        { orderId: o.id, mode: "full", reason: "Test", requestKey: key() },
        deps({ ...env.services, payments: refusing }),
      ),
    ).rejects.toThrow("refused the refund: charge_already_refunded");
    const view = await getOrder(db, o.id);
    expect(view).toMatchObject({ status: "paid", refundedMinor: 0, refundableMinor: 1200 });
    expect(view.refunds.map((r) => [r.status, r.error])).toEqual([["failed", "charge_already_refunded"]]);
  });

  it("refuses an order without a payment, and an unknown order", async () => {
    const unpaid = await insertOrder(db, {
      organizationId: shop.organizationId,
      totalMinor: 500,
      createdAt: T,
    });
    await expect(
      refundOrder(db, { orderId: unpaid.id, mode: "full", reason: "x", requestKey: key() }, deps()),
    ).rejects.toThrow("no payment to refund");
    await expect(getOrder(db, "ord_missing")).rejects.toThrow("No such order");
    expect(
      refundOrderInput.safeParse({ orderId: unpaid.id, mode: "full", reason: " ", requestKey: key() })
        .success,
    ).toBe(false);
  });
});

describe("disputes from charge.dispute.* events", () => {
  it("records the dispute with its deadline and status, updates it in place, and puts it on the timeline", async () => {
    const o = await insertPaidTestOrder(db, env.payments, {
      organizationId: shop.organizationId,
      totalMinor: 4000,
      createdAt: T,
    });
    const clock = fixedClock(T);
    const dispute = (type: string, status: string, id: string) =>
      applyPaymentEvent(
        db,
        env.services,
        {
          id,
          type,
          created: T,
          account: null,
          livemode: false,
          data: {
            id: "dp_test_1",
            object: "dispute",
            charge: "ch_1",
            payment_intent: o.paymentIntentId,
            amount: 4000,
            currency: "usd",
            reason: "product_not_received",
            status,
            evidence_details: { due_by: Math.floor(Date.parse("2026-03-20T23:59:59Z") / 1000) },
          },
        },
        clock.now(),
      );
    expect((await dispute("charge.dispute.created", "needs_response", "evt_d1")).outcome).toBe("applied");
    // A redelivery changes nothing.
    expect((await dispute("charge.dispute.created", "needs_response", "evt_d1")).outcome).toBe("duplicate");
    await dispute("charge.dispute.updated", "under_review", "evt_d2");
    let view = await getOrder(db, o.id);
    expect(view.disputes).toEqual([
      {
        id: "dp_test_1",
        amountMinor: 4000,
        currency: "usd",
        reason: "product_not_received",
        status: "under_review",
        evidenceDueAt: new Date("2026-03-20T23:59:59Z"),
        updatedAt: T,
      },
    ]);
    await dispute("charge.dispute.closed", "lost", "evt_d3");
    view = await getOrder(db, o.id);
    expect(view.disputes[0]?.status).toBe("lost");
    expect(view.timeline.filter((e) => e.kind === "order").map((e) => e.title)).toEqual([
      "Order placed",
      "Payment disputed",
      "Dispute closed",
    ]);
    const notices = await db
      .selectFrom("notification")
      .select("kind")
      .where("organizationId", "=", shop.organizationId)
      .where("kind", "=", "order.disputed")
      .execute();
    expect(notices).toHaveLength(2);
  });
});
