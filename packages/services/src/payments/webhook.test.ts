import { describe, expect, it } from "vitest";
import { fixedClock } from "../clock.ts";
import { createStripePayments } from "./stripe.ts";
import { signTestWebhook, WebhookSignatureError } from "./webhook.ts";

const SECRET = "whsec_test_0123456789abcdef";
const NOW = new Date("2026-03-01T12:00:00Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const clock = fixedClock(NOW);
const payments = createStripePayments({
  secretKey: "sk_test_x123456",
  webhookSecret: SECRET,
  platformFeeBps: 0,
  clock,
});

const payload = JSON.stringify({
  id: "evt_1",
  object: "event",
  type: "checkout.session.completed",
  created: nowSeconds - 5,
  livemode: false,
  data: {
    object: {
      id: "cs_test_1",
      object: "checkout.session",
      metadata: { orderId: "ord_1" },
      amount_total: 4200,
    },
  },
});

function failure(run: () => unknown): WebhookSignatureError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error;
    throw error;
  }
  throw new Error("expected a WebhookSignatureError");
}

describe("parseWebhook", () => {
  it("accepts a correctly signed event and normalises it", () => {
    const event = payments.parseWebhook(payload, signTestWebhook(payload, SECRET, nowSeconds - 5));
    expect(event).toEqual({
      id: "evt_1",
      type: "checkout.session.completed",
      created: new Date((nowSeconds - 5) * 1000),
      account: null,
      livemode: false,
      data: {
        id: "cs_test_1",
        object: "checkout.session",
        metadata: { orderId: "ord_1" },
        amount_total: 4200,
      },
    });
  });

  it("accepts the raw body as bytes", () => {
    const event = payments.parseWebhook(
      new TextEncoder().encode(payload),
      signTestWebhook(payload, SECRET, nowSeconds),
    );
    expect(event.id).toBe("evt_1");
  });

  it("refuses a tampered body", () => {
    const header = signTestWebhook(payload, SECRET, nowSeconds);
    const tampered = payload.replace("4200", "1");
    expect(failure(() => payments.parseWebhook(tampered, header)).reason).toBe("bad-signature");
  });

  it("refuses a signature made with another secret", () => {
    const header = signTestWebhook(payload, "whsec_someone_else_123", nowSeconds);
    expect(failure(() => payments.parseWebhook(payload, header)).reason).toBe("bad-signature");
  });

  it("refuses a missing or empty header", () => {
    expect(failure(() => payments.parseWebhook(payload, undefined)).reason).toBe("missing-header");
    expect(failure(() => payments.parseWebhook(payload, "")).reason).toBe("missing-header");
  });

  it("refuses a garbled header", () => {
    expect(failure(() => payments.parseWebhook(payload, "t=abc,v1=zzz")).reason).toBe("bad-signature");
  });

  it("refuses a timestamp older than 300 s by the injected clock, accepts one just inside", () => {
    const stale = signTestWebhook(payload, SECRET, nowSeconds - 301);
    expect(failure(() => payments.parseWebhook(payload, stale)).reason).toBe("stale");
    const fresh = signTestWebhook(payload, SECRET, nowSeconds - 299);
    expect(payments.parseWebhook(payload, fresh).id).toBe("evt_1");
  });
});
