import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../clock.ts";
import { ServiceInputError } from "../errors.ts";
import { formFields, type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { createStripePayments } from "./stripe.ts";
import type { PaymentsService } from "./types.ts";

const SECRET_KEY = "sk_test_loopback123456";
let server: LoopbackServer;
let payments: PaymentsService;

beforeAll(async () => {
  server = await startLoopback((req) => {
    if (req.method === "POST" && req.path === "/v1/checkout/sessions") {
      return {
        body: {
          id: "cs_test_abc",
          object: "checkout.session",
          url: "https://checkout.stripe.com/c/pay/cs_test_abc",
        },
      };
    }
    if (req.method === "GET" && req.path === "/v1/checkout/sessions/cs_test_paid") {
      return { body: { id: "cs_test_paid", object: "checkout.session", payment_intent: "pi_from_session" } };
    }
    if (req.method === "POST" && req.path === "/v1/checkout/sessions/cs_test_open/expire") {
      return { body: { id: "cs_test_open", object: "checkout.session", status: "expired" } };
    }
    if (req.method === "POST" && req.path === "/v1/checkout/sessions/cs_test_done/expire") {
      return {
        status: 400,
        body: {
          error: {
            type: "invalid_request_error",
            message: 'Only Checkout Sessions with a status in ["open"] can be expired.',
          },
        },
      };
    }
    if (req.method === "GET" && req.path === "/v1/checkout/sessions/cs_test_done") {
      return { body: { id: "cs_test_done", object: "checkout.session", status: "complete" } };
    }
    if (req.method === "POST" && req.path === "/v1/refunds" && req.text.includes("pi_declined")) {
      return {
        status: 400,
        body: { error: { type: "invalid_request_error", message: "Charge already refunded" } },
      };
    }
    if (req.method === "POST" && req.path === "/v1/refunds") {
      return { body: { id: "re_123", object: "refund", status: "succeeded" } };
    }
    if (req.method === "POST" && req.path === "/v1/billing_portal/sessions") {
      return {
        body: {
          id: "bps_1",
          object: "billing_portal.session",
          url: "https://billing.stripe.com/p/session/x",
        },
      };
    }
    if (req.method === "POST" && req.path === "/v1/accounts") {
      return { body: { id: "acct_new123", object: "account" } };
    }
    if (req.method === "GET" && req.path === "/v1/accounts/acct_done1") {
      return {
        body: { id: "acct_done1", object: "account", charges_enabled: true, details_submitted: true },
      };
    }
    if (req.method === "GET" && req.path === "/v1/accounts/acct_review1") {
      return {
        body: { id: "acct_review1", object: "account", charges_enabled: false, details_submitted: true },
      };
    }
    if (req.method === "POST" && req.path === "/v1/account_links") {
      return { body: { object: "account_link", url: "https://connect.stripe.com/setup/e/acct_new123/xyz" } };
    }
    return { status: 404, body: { error: { type: "invalid_request_error", message: "unknown path" } } };
  });
  payments = createStripePayments({
    secretKey: SECRET_KEY,
    webhookSecret: "whsec_test_secret",
    platformFeeBps: 1000,
    clock: fixedClock("2026-01-01T00:00:00Z"),
    apiBaseUrl: server.url,
  });
});
afterAll(() => server.close());

const base = {
  orderId: "ord_1",
  currency: "EUR",
  customerEmail: "buyer@example.com",
  successUrl: "https://ktizo.test/orders/ord_1?paid=1",
  cancelUrl: "https://ktizo.test/orders/ord_1",
};

describe("Stripe payments against a loopback API", () => {
  it("subscribes a shop to a plan: Checkout in subscription mode with a monthly price, metadata and trial", async () => {
    const before = server.received.length;
    const result = await payments.createSubscriptionCheckout({
      organizationId: "org_shop1",
      plan: "pro",
      planName: "Ktizo Pro",
      amountMinor: 2900,
      currency: "USD",
      customerEmail: "owner@example.com",
      trialDays: 14,
      successUrl: "https://ktizo.test/org/plan?subscribed=1",
      cancelUrl: "https://ktizo.test/org/plan",
      idempotencyKey: "plan-org_shop1-pro-1",
    });
    expect(result.sessionId).toBe("cs_test_abc");
    const req = server.received[before]!;
    expect(req.path).toBe("/v1/checkout/sessions");
    expect(req.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(req.headers["idempotency-key"]).toBe("plan-org_shop1-pro-1");
    const form = formFields(req);
    expect(form.mode).toBe("subscription");
    expect(form.client_reference_id).toBe("org_shop1");
    expect(form["line_items[0][price_data][unit_amount]"]).toBe("2900");
    expect(form["line_items[0][price_data][currency]"]).toBe("usd");
    expect(form["line_items[0][price_data][recurring][interval]"]).toBe("month");
    expect(form["subscription_data[metadata][organizationId]"]).toBe("org_shop1");
    expect(form["subscription_data[metadata][plan]"]).toBe("pro");
    expect(form["subscription_data[trial_period_days]"]).toBe("14");
    expect(form.customer_email).toBe("owner@example.com");
    expect(form["payment_intent_data[application_fee_amount]"]).toBeUndefined();

    // A returning shop: its customer, no trial.
    const again = server.received.length;
    await payments.createSubscriptionCheckout({
      organizationId: "org_shop1",
      plan: "studio",
      planName: "Ktizo Studio",
      amountMinor: 9900,
      currency: "usd",
      customerId: "cus_shop1",
      successUrl: "https://ktizo.test/org/plan?subscribed=1",
      cancelUrl: "https://ktizo.test/org/plan",
      idempotencyKey: "plan-org_shop1-studio-1",
    });
    const second = formFields(server.received[again]!);
    expect(second.customer).toBe("cus_shop1");
    expect(second.customer_email).toBeUndefined();
    expect(second["subscription_data[trial_period_days]"]).toBeUndefined();
  });

  it("refuses a bad plan checkout before calling Stripe", async () => {
    const before = server.received.length;
    await expect(
      payments.createSubscriptionCheckout({
        organizationId: "org_shop1",
        plan: "pro",
        planName: "Ktizo Pro",
        amountMinor: 0,
        currency: "usd",
        successUrl: "https://ktizo.test/org/plan",
        cancelUrl: "https://ktizo.test/org/plan",
        idempotencyKey: "plan-org_shop1-bad",
      }),
    ).rejects.toBeInstanceOf(ServiceInputError);
    expect(server.received.length).toBe(before);
  });

  it("opens the customer portal for the shop's customer, coming back to the plan page", async () => {
    const before = server.received.length;
    const portal = await payments.createBillingPortal({
      customerId: "cus_shop1",
      returnUrl: "https://ktizo.test/org/plan",
    });
    expect(portal.url).toBe("https://billing.stripe.com/p/session/x");
    const req = server.received[before]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/billing_portal/sessions");
    expect(formFields(req)).toMatchObject({
      customer: "cus_shop1",
      return_url: "https://ktizo.test/org/plan",
    });
  });

  it("creates a Checkout Session with amount, currency, destination, fee and idempotency key", async () => {
    const before = server.received.length;
    const result = await payments.createCheckout({
      ...base,
      lineItems: [
        { name: "Bracket (PETG)", unitAmountMinor: 1250, quantity: 2 },
        { name: "Shipping", unitAmountMinor: 500, quantity: 1 },
      ],
      connectedAccountId: "acct_shop1",
      idempotencyKey: "checkout-ord_1-v1",
    });
    expect(result).toEqual({
      sessionId: "cs_test_abc",
      url: "https://checkout.stripe.com/c/pay/cs_test_abc",
    });
    const req = server.received[before]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/checkout/sessions");
    expect(req.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(req.headers["idempotency-key"]).toBe("checkout-ord_1-v1");
    expect(req.headers["stripe-account"]).toBeUndefined();
    const form = formFields(req);
    expect(form.mode).toBe("payment");
    expect(form["line_items[0][price_data][unit_amount]"]).toBe("1250");
    expect(form["line_items[0][quantity]"]).toBe("2");
    expect(form["line_items[0][price_data][currency]"]).toBe("eur");
    expect(form["line_items[1][price_data][unit_amount]"]).toBe("500");
    // 10 % of 3000
    expect(form["payment_intent_data[application_fee_amount]"]).toBe("300");
    expect(form["payment_intent_data[transfer_data][destination]"]).toBe("acct_shop1");
    expect(form["metadata[orderId]"]).toBe("ord_1");
    expect(form.customer_email).toBe("buyer@example.com");
  });

  it("uses an explicit application fee and a single amount", async () => {
    const before = server.received.length;
    await payments.createCheckout({
      ...base,
      amountMinor: 4999,
      connectedAccountId: "acct_shop1",
      applicationFeeMinor: 123,
      idempotencyKey: "checkout-ord_1-v2",
    });
    const form = formFields(server.received[before]!);
    expect(form["line_items[0][price_data][unit_amount]"]).toBe("4999");
    expect(form["payment_intent_data[application_fee_amount]"]).toBe("123");
  });

  it("sends no fee or transfer without a connected account", async () => {
    const before = server.received.length;
    await payments.createCheckout({ ...base, amountMinor: 1000, idempotencyKey: "checkout-ord_1-v3" });
    const form = formFields(server.received[before]!);
    expect(form["payment_intent_data[application_fee_amount]"]).toBeUndefined();
    expect(form["payment_intent_data[transfer_data][destination]"]).toBeUndefined();
  });

  it("refuses bad input before any request", async () => {
    const before = server.received.length;
    await expect(
      payments.createCheckout({ ...base, amountMinor: 10.5, idempotencyKey: "checkout-bad-1" }),
    ).rejects.toBeInstanceOf(ServiceInputError);
    await expect(
      payments.createCheckout({
        ...base,
        currency: "euro",
        amountMinor: 10,
        idempotencyKey: "checkout-bad-2",
      }),
    ).rejects.toThrow(/currency/);
    await expect(payments.createCheckout({ ...base, idempotencyKey: "checkout-bad-3" })).rejects.toThrow(
      /lineItems/,
    );
    await expect(payments.refund({ idempotencyKey: "refund-bad-1" })).rejects.toThrow(/paymentIntentId/);
    expect(server.received.length).toBe(before);
  });

  it("refunds a session's payment with an idempotency key", async () => {
    const before = server.received.length;
    const result = await payments.refund({
      sessionId: "cs_test_paid",
      amountMinor: 500,
      reverseTransfer: true,
      idempotencyKey: "refund-ord_1-1",
    });
    expect(result).toEqual({ refundId: "re_123", status: "succeeded" });
    const [lookup, refund] = server.received.slice(before);
    expect(lookup?.path).toBe("/v1/checkout/sessions/cs_test_paid");
    expect(refund?.headers["idempotency-key"]).toBe("refund-ord_1-1");
    expect(formFields(refund!)).toMatchObject({
      payment_intent: "pi_from_session",
      amount: "500",
      reverse_transfer: "true",
      refund_application_fee: "true",
    });
  });

  it("creates an Express account once per organization and an onboarding link", async () => {
    const before = server.received.length;
    const result = await payments.createConnectOnboardingLink({
      organizationId: "org_1",
      refreshUrl: "https://ktizo.test/shop/payments/refresh",
      returnUrl: "https://ktizo.test/shop/payments",
    });
    expect(result).toEqual({
      accountId: "acct_new123",
      url: "https://connect.stripe.com/setup/e/acct_new123/xyz",
    });
    const [account, link] = server.received.slice(before);
    expect(account?.headers["idempotency-key"]).toBe("connect-account-org_1");
    expect(formFields(account!)).toMatchObject({ type: "express", "metadata[organizationId]": "org_1" });
    expect(formFields(link!)).toMatchObject({ account: "acct_new123", type: "account_onboarding" });
  });

  it("reads a connected account's state (charges enabled, onboarding finished)", async () => {
    const before = server.received.length;
    expect(await payments.getConnectedAccount("acct_done1")).toEqual({
      accountId: "acct_done1",
      chargesEnabled: true,
      detailsSubmitted: true,
    });
    expect(await payments.getConnectedAccount("acct_review1")).toMatchObject({ chargesEnabled: false });
    expect(server.received[before]?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    await expect(payments.getConnectedAccount("not-an-account")).rejects.toBeInstanceOf(ServiceInputError);
    expect(server.received.length).toBe(before + 2);
    await expect(payments.getConnectedAccount("acct_unknown")).rejects.toThrow(
      /stripe: account lookup failed/,
    );
  });

  it("expires an open Checkout Session, and reports a session that was paid first as complete", async () => {
    const before = server.received.length;
    expect(await payments.expireCheckoutSession("cs_test_open")).toEqual({ status: "expired" });
    const expire = server.received[before];
    expect(expire?.method).toBe("POST");
    expect(expire?.path).toBe("/v1/checkout/sessions/cs_test_open/expire");
    expect(expire?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);

    const from = server.received.length;
    expect(await payments.expireCheckoutSession("cs_test_done")).toEqual({ status: "complete" });
    expect(server.received.slice(from).map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v1/checkout/sessions/cs_test_done/expire",
      "GET /v1/checkout/sessions/cs_test_done",
    ]);

    const unchanged = server.received.length;
    await expect(payments.expireCheckoutSession("pi_not_a_session")).rejects.toBeInstanceOf(
      ServiceInputError,
    );
    expect(server.received.length).toBe(unchanged);
  });

  it("reports provider refusals as ProviderError", async () => {
    await expect(
      payments.refund({ paymentIntentId: "pi_declined", idempotencyKey: "refund-x-1" }),
    ).rejects.toThrow(/stripe: refund failed: Charge already refunded/);
  });
});
