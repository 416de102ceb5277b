import type { DbHandle } from "@ktizo/db";
import type { SignedTestEvent } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UploadView } from "../marketplace/uploads.ts";
import {
  buyerWithUpload,
  type customerOf,
  type listedShop,
  type marketplaceServices,
  marketplaceWorld,
  placeTestOrder,
  T0,
} from "../testing/marketplace-fixtures.ts";
import { handleStripeWebhook } from "./payment-events.ts";

// Issue 17, requirement 2: 1,000 Stripe events, every one delivered twice, shuffled and sent
// concurrently, change exactly what each would change once (orders, jobs, refunds, emails, stock).

const PAID = 400; // orders paid during the storm: 400 completed events × 2 deliveries
const REFUNDED = 100; // orders paid before, partly refunded during the storm: 100 refund events × 2

let handle: DbHandle;
let env: ReturnType<typeof marketplaceServices>;
let shop: Awaited<ReturnType<typeof listedShop>>;
let buyer: ReturnType<typeof customerOf>;
let upload: UploadView;

beforeAll(async () => {
  ({ handle, env, shop } = await marketplaceWorld("Storm Prints", "storm-prints"));
  ({ buyer, upload } = await buyerWithUpload(handle.db, env, "Storm Buyer"));
});
afterAll(() => handle.close());

const deliver = (signed: SignedTestEvent) =>
  handleStripeWebhook(handle.db, env.services, signed.payload, signed.signature, T0);

const placeOrder = () => placeTestOrder(handle.db, env, buyer, shop, upload.id);

/** What one order left behind: its job(s), emails, stock rows, timeline. */
async function footprint(orderId: string, number: number) {
  const db = handle.db;
  const order = await db
    .selectFrom("marketplaceOrder")
    .select(["status", "refundedMinor", "capturedMinor"])
    .where("id", "=", orderId)
    .executeTakeFirstOrThrow();
  const jobs = await db.selectFrom("job").select("id").where("orderId", "=", orderId).execute();
  const jobIds = jobs.map((j) => j.id);
  const count = async (query: Promise<{ n: number | string | bigint } | undefined>) =>
    Number((await query)?.n ?? 0);
  return {
    ...order,
    jobs: jobs.length,
    emails: await count(
      db
        .selectFrom("outboxMessage")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("subject", "~", `#${number}(\\D|$)`)
        .executeTakeFirst(),
    ),
    events: await count(
      db
        .selectFrom("orderEvent")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("orderId", "=", orderId)
        .executeTakeFirst(),
    ),
    stockMovements: jobIds.length
      ? await count(
          db
            .selectFrom("stockMovement")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("jobId", "in", jobIds)
            .executeTakeFirst(),
        )
      : 0,
    stockReservations: jobIds.length
      ? await count(
          db
            .selectFrom("stockReservation")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("jobId", "in", jobIds)
            .executeTakeFirst(),
        )
      : 0,
  };
}

/** Deterministic shuffle (seeded), so a failure can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("1,000 Stripe events, duplicated, shuffled and concurrent", () => {
  it("take effect exactly once each", async () => {
    // References: one order paid by one delivery, one refunded by one delivery, sequentially.
    const controlPaid = await placeOrder();
    await deliver(await env.payments.completeCheckout(controlPaid.checkoutSessionId ?? ""));
    const controlRefunded = await placeOrder();
    await deliver(await env.payments.completeCheckout(controlRefunded.checkoutSessionId ?? ""));
    const refundEvent = (order: typeof controlRefunded) =>
      env.payments.signEvent("charge.refunded", {
        id: `ch_${order.id}`,
        payment_intent: `pi_${order.id}`,
        amount_refunded: Math.floor(order.totalMinor / 2),
        currency: order.currency.toLowerCase(),
        metadata: { orderId: order.id },
      });
    await deliver(refundEvent(controlRefunded));
    const expectedPaid = await footprint(controlPaid.id, controlPaid.number);
    const expectedRefunded = await footprint(controlRefunded.id, controlRefunded.number);
    expect(expectedPaid).toMatchObject({ status: "paid", jobs: 1 });
    expect(expectedPaid.emails).toBeGreaterThan(0);
    expect(expectedRefunded.refundedMinor).toBe(Math.floor(controlRefunded.totalMinor / 2));

    const toPay = [];
    for (let i = 0; i < PAID; i++) toPay.push(await placeOrder());
    const toRefund = [];
    for (let i = 0; i < REFUNDED; i++) {
      const order = await placeOrder();
      await deliver(await env.payments.completeCheckout(order.checkoutSessionId ?? ""));
      toRefund.push(order);
    }
    const events = [
      ...(await Promise.all(toPay.map((o) => env.payments.completeCheckout(o.checkoutSessionId ?? "")))),
      ...toRefund.map((o) => refundEvent(o)),
    ];
    const deliveries = shuffle([...events, ...events], 20261206);
    expect(deliveries).toHaveLength(1000);

    // 25 at a time: more than the PostgreSQL pool's connections, so deliveries wait on each other.
    const outcomes: Record<string, number> = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < deliveries.length) {
          const signed = deliveries[next++]!;
          const { status, body } = await deliver(signed);
          expect(status).toBe(200);
          outcomes[body.outcome ?? "none"] = (outcomes[body.outcome ?? "none"] ?? 0) + 1;
        }
      }),
    );
    expect(outcomes).toEqual({ applied: 500, duplicate: 500 });

    const { totalMinor: _a, ...paidShape } = { ...expectedPaid, totalMinor: 0 };
    for (const order of toPay) {
      expect(await footprint(order.id, order.number), `order #${order.number}`).toEqual({
        ...paidShape,
        capturedMinor: order.totalMinor,
      });
    }
    for (const order of toRefund) {
      expect(await footprint(order.id, order.number), `order #${order.number}`).toEqual({
        ...expectedRefunded,
        capturedMinor: order.totalMinor,
        refundedMinor: Math.floor(order.totalMinor / 2),
      });
    }
    const processed = await handle.db
      .selectFrom("processedWebhookEvent")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(processed.n)).toBe(PAID + 2 * REFUNDED + 3);
  }, 300_000); // 1,000 deliveries: about 100 s on a busy 2-core machine
});
