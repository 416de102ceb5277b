import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../clock.ts";
import { ServiceInputError } from "../errors.ts";
import { createTestModePayments } from "./local.ts";
import { createStripePayments } from "./stripe.ts";

const clock = fixedClock("2026-03-01T12:00:00Z");
const checkout = {
  orderId: "ord_1",
  lineItems: [{ name: "Gear", unitAmountMinor: 1500, quantity: 2 }],
  currency: "USD",
  connectedAccountId: "acct_test_shop",
  successUrl: "https://ktizo.test/ok",
  cancelUrl: "https://ktizo.test/cancel",
  idempotencyKey: "checkout-ord_1",
};

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

describe("test-mode payments", () => {
  it("creates a local checkout page with the platform fee, idempotently", async () => {
    const payments = createTestModePayments({ db: handle.db, clock, platformFeeBps: 1000 });
    const first = await payments.createCheckout(checkout);
    expect(first.url).toBe(`/checkout/test/${first.sessionId}`);
    expect(first.sessionId).toMatch(/^cs_test_/);
    expect(await payments.createCheckout(checkout)).toEqual(first);
    expect(await payments.getTestSession(first.sessionId)).toMatchObject({
      amountTotalMinor: 3000,
      currency: "usd",
      applicationFeeMinor: 300,
      status: "open",
    });
  });

  it("refunds only completed payments and never more than was paid", async () => {
    const payments = createTestModePayments({ db: handle.db, clock, platformFeeBps: 0 });
    const { sessionId } = await payments.createCheckout(checkout);
    await expect(payments.refund({ sessionId, idempotencyKey: "refund-1-aaaa" })).rejects.toBeInstanceOf(
      ServiceInputError,
    );
    await payments.completeCheckout(sessionId);
    await expect(
      payments.refund({ sessionId, amountMinor: 3001, idempotencyKey: "refund-1-bbbb" }),
    ).rejects.toThrow(/amountMinor/);
    const refund = await payments.refund({ sessionId, amountMinor: 1000, idempotencyKey: "refund-1-cccc" });
    expect(refund).toMatchObject({ status: "succeeded" });
    expect(await payments.refund({ sessionId, amountMinor: 1000, idempotencyKey: "refund-1-cccc" })).toEqual(
      refund,
    );
  });

  it("expires an open session so it can no longer be paid; a paid one answers complete", async () => {
    const payments = createTestModePayments({ db: handle.db, clock, platformFeeBps: 0 });
    const open = await payments.createCheckout({ ...checkout, idempotencyKey: "checkout-expire-1" });
    expect(await payments.expireCheckoutSession(open.sessionId)).toEqual({ status: "expired" });
    expect(await payments.expireCheckoutSession(open.sessionId)).toEqual({ status: "expired" });
    await expect(payments.completeCheckout(open.sessionId)).rejects.toThrow(/expired/);
    expect((await payments.getTestSession(open.sessionId))?.status).toBe("expired");

    const paid = await payments.createCheckout({ ...checkout, idempotencyKey: "checkout-expire-2" });
    await payments.completeCheckout(paid.sessionId);
    expect(await payments.expireCheckoutSession(paid.sessionId)).toEqual({ status: "complete" });
    await expect(payments.expireCheckoutSession("cs_test_unknown")).rejects.toBeInstanceOf(ServiceInputError);
    await expect(payments.expireCheckoutSession("nope")).rejects.toThrow(/Checkout Session id/);
  });

  it("refunds the rest of the payment when no amount is given, and keeps count", async () => {
    const payments = createTestModePayments({ db: handle.db, clock, platformFeeBps: 0 });
    const { sessionId } = await payments.createCheckout({ ...checkout, idempotencyKey: "checkout-rest-1" });
    await payments.completeCheckout(sessionId);
    await payments.refund({ sessionId, amountMinor: 1000, idempotencyKey: "refund-rest-a" });
    await payments.refund({ sessionId, idempotencyKey: "refund-rest-b" });
    expect((await payments.getTestSession(sessionId))?.refundedMinor).toBe(3000);
    await expect(payments.refund({ sessionId, idempotencyKey: "refund-rest-c" })).rejects.toThrow(
      /already refunded/,
    );
    // A retry with a used key answers the same refund and takes nothing more.
    await payments.refund({ sessionId, idempotencyKey: "refund-rest-b" });
    expect((await payments.getTestSession(sessionId))?.refundedMinor).toBe(3000);
  });

  it("signs arbitrary events with its own secret", () => {
    const payments = createTestModePayments({
      db: handle.db,
      clock,
      platformFeeBps: 0,
      webhookSecret: "whsec_fixedlocal",
    });
    const { payload, signature } = payments.signEvent("charge.refunded", {
      id: "ch_1",
      amount_refunded: 100,
    });
    expect(payments.parseWebhook(payload, signature)).toMatchObject({
      type: "charge.refunded",
      data: { id: "ch_1" },
    });
    expect(payments.webhookSecret).toBe("whsec_fixedlocal");
  });

  it("returns a local onboarding page", async () => {
    const payments = createTestModePayments({ db: handle.db, clock, platformFeeBps: 0 });
    const link = await payments.createConnectOnboardingLink({
      organizationId: "org_1",
      refreshUrl: "https://ktizo.test/r",
      returnUrl: "/shop/payments",
    });
    expect(link.url).toBe(`/connect/test/${link.accountId}`);
    // Simulated onboarding is complete at once; the fee rate is the configured one.
    expect(await payments.getConnectedAccount(link.accountId)).toEqual({
      accountId: link.accountId,
      chargesEnabled: true,
      detailsSubmitted: true,
    });
    await expect(payments.getConnectedAccount("nope")).rejects.toThrow(/accountId/);
    expect(createTestModePayments({ db: handle.db, clock, platformFeeBps: 750 }).platformFeeBps).toBe(750);
  });

  it("keeps sessions in the database: another process pays, and two payers racing complete it once", async () => {
    // Two stand-ins on one database stand for two app processes without Stripe keys.
    const a = createTestModePayments({ db: handle.db, clock, platformFeeBps: 0 });
    const b = createTestModePayments({ db: handle.db, clock, platformFeeBps: 0 });
    const { sessionId } = await a.createCheckout({ ...checkout, idempotencyKey: "checkout-shared-1" });
    expect(await b.createCheckout({ ...checkout, idempotencyKey: "checkout-shared-1" })).toMatchObject({
      sessionId,
    });
    expect((await b.getTestSession(sessionId))?.status).toBe("open");
    await Promise.all([a.completeCheckout(sessionId), b.completeCheckout(sessionId)]);
    expect((await a.getTestSession(sessionId))?.status).toBe("complete");
    // Refunds racing on both take at most what was paid.
    const refunds = await Promise.allSettled([
      a.refund({ sessionId, amountMinor: 2000, idempotencyKey: "refund-shared-a" }),
      b.refund({ sessionId, amountMinor: 2000, idempotencyKey: "refund-shared-b" }),
    ]);
    expect(refunds.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await b.getTestSession(sessionId))?.refundedMinor).toBe(2000);
    // The same key on both at once: one refund, answered to both (a cancel and a webhook settling it).
    const [one, two] = await Promise.all([
      a.refund({ sessionId, amountMinor: 500, idempotencyKey: "refund-shared-same" }),
      b.refund({ sessionId, amountMinor: 500, idempotencyKey: "refund-shared-same" }),
    ]);
    expect(one).toEqual(two);
    expect((await a.getTestSession(sessionId))?.refundedMinor).toBe(2500);

    const plan = await a.createSubscriptionCheckout({
      organizationId: "org_1",
      plan: "pro",
      planName: "Pro",
      amountMinor: 2900,
      currency: "usd",
      successUrl: "https://ktizo.test/ok",
      cancelUrl: "https://ktizo.test/cancel",
      idempotencyKey: "plan-shared-1",
    });
    const [first, second] = await Promise.all([
      a.completeSubscriptionCheckout(plan.sessionId),
      b.completeSubscriptionCheckout(plan.sessionId),
    ]);
    expect([first.length, second.length].sort()).toEqual([0, 2]);
    expect((await b.getTestSubscriptionSession(plan.sessionId))?.status).toBe("complete");
  });

  it("runs the same verification for local test-mode events", async () => {
    const local = createTestModePayments({ db: handle.db, clock, platformFeeBps: 500 });
    const { sessionId } = await local.createCheckout({
      orderId: "ord_9",
      amountMinor: 2000,
      currency: "eur",
      connectedAccountId: "acct_test_shop",
      successUrl: "https://ktizo.test/ok",
      cancelUrl: "https://ktizo.test/cancel",
      idempotencyKey: "checkout-ord_9",
    });
    const { payload: body, signature } = await local.completeCheckout(sessionId);
    const event = local.parseWebhook(body, signature);
    expect(event.type).toBe("checkout.session.completed");
    expect(event.data).toMatchObject({
      id: sessionId,
      amount_total: 2000,
      currency: "eur",
      metadata: { orderId: "ord_9" },
    });
    // The real adapter refuses it: the local secret is not the Stripe endpoint's secret.
    const stripe = createStripePayments({
      secretKey: "sk_test_x123456",
      webhookSecret: "whsec_theendpointsown",
      platformFeeBps: 0,
      clock,
    });
    expect(() => stripe.parseWebhook(body, signature)).toThrow(
      expect.objectContaining({ reason: "bad-signature" }),
    );
  });
});
