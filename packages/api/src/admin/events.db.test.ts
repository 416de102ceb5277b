import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOrder } from "../testing/admin-support.ts";
import { createTestUser, type TestActor } from "../testing/index.ts";
import { marketplaceServices } from "../testing/marketplace-fixtures.ts";
import { type ShopFixture, shopFixture } from "../testing/shop-fixtures.ts";
import { applyStripeEvent, handleStripeWebhook } from "../workflows/payment-events.ts";
import { listWebhookEvents, replayWebhookEvent } from "./events.ts";
import { listWebhookEventsInput } from "./schemas.ts";

let handle: DbHandle;
let db: Database;
let shop: ShopFixture;
let admin: TestActor;
let env: ReturnType<typeof marketplaceServices>;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  env = marketplaceServices(db);
  shop = await shopFixture(db, "Alpha Prints");
  admin = await createTestUser(db, { name: "Ada Admin", platformRole: "admin" });
  // A simulated outage: while fail_once has a row, writing an order event fails (inside the
  // webhook's transaction, so nothing of the effect is kept).
  await sql`create table fail_once (x int)`.execute(db);
  await sql`create function fail_once_check() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from fail_once) then raise exception 'simulated outage'; end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger fail_once_trigger before insert on order_event
    for each row execute function fail_once_check()`.execute(db);
});
afterAll(() => handle.close());

/** An unpaid order and the signed checkout.session.completed Stripe would send for it. */
async function pendingOrderWithPayment() {
  const order = await insertOrder(db, {
    organizationId: shop.organizationId,
    totalMinor: 4200,
    createdAt: env.clock.now(),
    lineOf: shop,
  });
  const { sessionId } = await env.payments.createCheckout({
    orderId: order.id,
    amountMinor: 4200,
    currency: "usd",
    successUrl: "http://localhost/ok",
    cancelUrl: "http://localhost/cancel",
    idempotencyKey: `checkout-${order.id}`,
  });
  await db
    .updateTable("marketplaceOrder")
    .set({ checkoutSessionId: sessionId })
    .where("id", "=", order.id)
    .execute();
  return { order, signed: await env.payments.completeCheckout(sessionId) };
}

const deliver = (payload: string, signature: string | null) =>
  handleStripeWebhook(db, env.services, payload, signature, env.clock.now());

/** The order's status as stored. */
const orderStatus = async (orderId: string) =>
  (
    await db
      .selectFrom("marketplaceOrder")
      .select("status")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow()
  ).status;

/** The admin replays a stored webhook event through the payment events' own handler. */
const replay = (webhookEventId: string) =>
  replayWebhookEvent(
    db,
    (event) => applyStripeEvent(db, env.services, event, env.clock.now()),
    webhookEventId,
    admin.userId,
    env.clock.now(),
  );

describe("webhook log", () => {
  it("records every webhook: a bad signature, an applied event and its redelivery; searchable", async () => {
    const { order, signed } = await pendingOrderWithPayment();
    expect((await deliver(signed.payload, "t=1,v1=forged")).status).toBe(400);
    expect((await deliver(signed.payload, signed.signature)).body.outcome).toBe("applied");
    expect((await deliver(signed.payload, signed.signature)).body.outcome).toBe("duplicate");
    const eventId = (JSON.parse(signed.payload) as { id: string }).id;
    const page = await listWebhookEvents(db, listWebhookEventsInput.parse({}));
    // (All three arrive at the same instant of the test clock, so compare them as a set.)
    const rows = page.items.map((e) => [e.signature, e.outcome, e.eventType, e.replayable].join(" "));
    expect(rows.sort()).toEqual([
      "invalid rejected  false",
      "valid applied checkout.session.completed false",
      "valid duplicate checkout.session.completed false",
    ]);
    expect(page.items.find((e) => e.signature === "invalid")?.error).toBeTruthy();
    const byId = await listWebhookEvents(db, listWebhookEventsInput.parse({ q: eventId }));
    expect(byId.total).toBe(2);
    // Only a failed event keeps its payload (customer data) for a replay.
    const kept = await db.selectFrom("webhookEvent").select("event").where("eventId", "=", eventId).execute();
    expect(kept).toEqual([{ event: null }, { event: null }]);
    const rejected = await listWebhookEvents(db, listWebhookEventsInput.parse({ signature: "invalid" }));
    expect(rejected.total).toBe(1);
    expect(await orderStatus(order.id)).toBe("paid");
  });

  it("keeps a failed event as failed; a replay applies it once, and only a failed event can be replayed", async () => {
    const { order, signed } = await pendingOrderWithPayment();
    await sql`insert into fail_once values (1)`.execute(db);
    await expect(deliver(signed.payload, signed.signature)).rejects.toThrow("simulated outage");
    await sql`delete from fail_once`.execute(db);
    const eventId = (JSON.parse(signed.payload) as { id: string }).id;
    const [failed] = (await listWebhookEvents(db, listWebhookEventsInput.parse({ q: eventId }))).items;
    expect(failed).toMatchObject({
      outcome: "failed",
      error: expect.stringContaining("simulated outage"),
      replayable: true,
    });
    expect(await orderStatus(order.id)).toBe("pending_payment");

    // Two admins replay at once: one applies it, the other is told it is no longer failed.
    const results = await Promise.allSettled([replay(failed?.id ?? ""), replay(failed?.id ?? "")]);
    const done = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    expect(done.map((r) => r.outcome)).toEqual(["applied"]);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(await orderStatus(order.id)).toBe("paid");
    const paidEvents = await db
      .selectFrom("orderEvent")
      .select("id")
      .where("orderId", "=", order.id)
      .where("status", "=", "paid")
      .execute();
    expect(paidEvents).toHaveLength(1);
    // Stripe's own redelivery afterwards changes nothing either.
    expect((await deliver(signed.payload, signed.signature)).body.outcome).toBe("duplicate");

    const [after] = (
      await listWebhookEvents(db, listWebhookEventsInput.parse({ q: eventId, outcome: "applied" }))
    ).items;
    expect(after).toMatchObject({ id: failed?.id, attempts: 2, error: null, replayable: false });
    const payload = await db
      .selectFrom("webhookEvent")
      .select("event")
      .where("id", "=", failed?.id ?? "")
      .executeTakeFirstOrThrow();
    expect(payload.event).toBeNull();
    await expect(replay(failed?.id ?? "")).rejects.toThrow("Only a failed event can be replayed");
    await expect(replay("whe_missing")).rejects.toThrow("No such webhook event");
    const audit = await db
      .selectFrom("auditLog")
      .select(["action", "actorUserId", "data"])
      .where("subjectId", "=", failed?.id ?? "")
      .execute();
    expect(audit).toEqual([
      {
        action: "admin.webhook.replayed",
        actorUserId: admin.userId,
        data: expect.objectContaining({ eventId, outcome: "applied" }),
      },
    ]);
  });
});
