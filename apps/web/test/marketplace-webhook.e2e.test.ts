import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { isTestModePayments, signTestWebhook } from "@ktizo/services";
import { requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip("marketplace webhook route tests", appsNotBuiltReason());

/** POST /api/webhooks/stripe over HTTP, signed with Stripe's own test helper: the raw body is what is verified. */
describe.runIf(runnable)("the Stripe webhook route", () => {
  let host: TestHost;
  let secret = "";
  beforeAll(async () => {
    host = await startTestHost();
    const payments = host.runtime.services.payments;
    if (!isTestModePayments(payments)) throw new Error("expected test-mode payments");
    secret = payments.webhookSecret;
  });
  afterAll(() => host?.close());

  const post = (body: string, signature: string | null) =>
    fetch(`${host.webUrl}/api/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature ? { "stripe-signature": signature } : {}),
      },
      body,
    });
  const now = () => Math.floor(host.runtime.clock.now().getTime() / 1000);
  const event = (id: string) =>
    JSON.stringify({
      id,
      object: "event",
      type: "account.updated",
      created: now(),
      livemode: false,
      data: { object: { id: "acct_unknown", charges_enabled: true } },
    });

  it("answers 400 to unsigned, tampered and stale requests", async () => {
    const body = event("evt_route_1");
    expect((await post(body, null)).status).toBe(400);
    const signature = signTestWebhook(body, secret, now());
    // Same JSON, different bytes: the signature covers the raw body.
    expect((await post(body.replace('"livemode":false', '"livemode": false'), signature)).status).toBe(400);
    expect((await post(body, signTestWebhook(body, secret, now() - 301))).status).toBe(400);
    expect((await post(body, signTestWebhook(body, "whsec_wrong", now()))).status).toBe(400);
  });

  it("applies a signed event once; a redelivery is acknowledged as a duplicate", async () => {
    const body = event("evt_route_2");
    const first = await post(body, signTestWebhook(body, secret, now()));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, outcome: "applied" });
    const again = await post(body, signTestWebhook(body, secret, now()));
    expect(await again.json()).toEqual({ received: true, outcome: "duplicate" });
  });
});
