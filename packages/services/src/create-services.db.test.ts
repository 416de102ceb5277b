import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AiDisabledError } from "./ai/types.ts";
import { fixedClock } from "./clock.ts";
import { createServices } from "./create-services.ts";
import { isTestModePayments } from "./index.ts";
import { SettingsError } from "./settings.ts";
import { type LoopbackServer, startLoopback } from "./testing/loopback.ts";

let handle: DbHandle;
let server: LoopbackServer;

beforeAll(async () => {
  handle = await createTestDb();
  server = await startLoopback((req) => {
    if (req.path === "/v1/checkout/sessions")
      return { body: { id: "cs_live_1", url: "https://checkout.stripe.com/x" } };
    return { status: 404, body: {} };
  });
});
afterAll(async () => {
  await server.close();
  await handle.close();
});

describe("createServices", () => {
  it("with no settings, chooses every stand-in and says so, one line per service", async () => {
    const lines: string[] = [];
    const { services, description } = createServices({
      settings: {},
      db: handle.db,
      clock: fixedClock("2026-01-01T00:00:00Z"),
      logger: { info: (line) => lines.push(line) },
    });
    expect(description).toEqual([
      "mail: outbox (local stand-in)",
      "sms: outbox (local stand-in)",
      "payments: local test mode (simulated, no real charges)",
      "storage: local disk (.data/files)",
      "ai: local rules (purchase orders, scheduling, steering, reply templates; suggestions off) [no AI switch supplied: every call refused]",
      "google: local demo inbox and drive (no OAuth client)",
      "analytics: off",
      "monitoring: off",
      "printers: off (no BETTER_AUTH_SECRET to seal API keys)",
      "exchange rates: fixed table (local stand-in)",
    ]);
    expect(lines).toEqual(description);
    expect(services.mail.provider).toBe("outbox");
    expect(services.sms.provider).toBe("outbox");
    expect(isTestModePayments(services.payments)).toBe(true);
    expect(services.storage.provider).toBe("local-disk");
    expect(services.google.provider).toBe("local");
    expect(services.analytics.provider).toBe("off");
    expect(services.printers.provider).toBe("off");
    expect(services.exchangeRates.provider).toBe("fixed");
    await expect(
      services.ai.extractPurchaseOrder({ organizationId: "o", userId: "u" }, { text: "3 x Gear" }),
    ).rejects.toBeInstanceOf(AiDisabledError);
  });

  it("with real settings, chooses the real adapters and points them where told", async () => {
    const { services, description } = createServices({
      settings: {
        SMTP_URL: "smtp://user:hunter2@127.0.0.1:2525",
        TWILIO_ACCOUNT_SID: `AC${"b".repeat(32)}`,
        TWILIO_AUTH_TOKEN: "token",
        TWILIO_FROM: "+15005550006",
        STRIPE_SECRET_KEY: "sk_test_realadapter",
        STRIPE_WEBHOOK_SECRET: "whsec_realadapter",
        STRIPE_PLATFORM_FEE_BPS: "500",
        STRIPE_API_BASE_URL: server.url,
        UPLOADTHING_TOKEN: Buffer.from(
          JSON.stringify({ apiKey: "sk_x", appId: "app", regions: ["fra1"] }),
        ).toString("base64"),
        ANTHROPIC_API_KEY: "sk-ant-x",
        GOOGLE_CLIENT_ID: "id",
        GOOGLE_CLIENT_SECRET: "secret",
        BETTER_AUTH_SECRET: "s".repeat(40),
        POSTHOG_KEY: "phc_x",
        POSTHOG_HOST: "http://127.0.0.1:9",
        ANALYTICS_ID_SECRET: "a".repeat(40),
        SENTRY_DSN: "https://public@o1.ingest.sentry.io/1",
        EXCHANGE_RATES_URL: "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml",
      },
      db: handle.db,
      isAiAllowed: () => true,
    });
    expect(description).toEqual([
      "mail: smtp (127.0.0.1:2525)",
      "sms: twilio",
      "payments: stripe (test key, fee 500 bps)",
      "storage: uploadthing",
      "ai: anthropic (claude-sonnet-5-5)",
      "google: oauth (gmail, drive; per user on connect)",
      "analytics: posthog (127.0.0.1:9, consent only)",
      "monitoring: sentry (o1.ingest.sentry.io, scrubbed)",
      "printers: moonraker/octoprint over http (API keys sealed)",
      "exchange rates: www.ecb.europa.eu",
    ]);
    expect(services.exchangeRates.provider).toBe("http");
    expect(description.join("\n")).not.toContain("hunter2");
    const before = server.received.length;
    await services.payments.createCheckout({
      orderId: "ord_1",
      amountMinor: 1000,
      currency: "eur",
      connectedAccountId: "acct_1",
      successUrl: "https://ktizo.test/ok",
      cancelUrl: "https://ktizo.test/no",
      idempotencyKey: "checkout-ord_1",
    });
    const form = new URLSearchParams(server.received[before]?.text);
    // STRIPE_PLATFORM_FEE_BPS=500 reached the adapter: 5 % of 1000.
    expect(form.get("payment_intent_data[application_fee_amount]")).toBe("50");
    await services.analytics.shutdown();
  });

  it("stops the start with an error naming a malformed setting", () => {
    expect(() => createServices({ settings: { STRIPE_SECRET_KEY: "nope" }, db: handle.db })).toThrow(
      SettingsError,
    );
    expect(() => createServices({ settings: { STRIPE_SECRET_KEY: "nope" }, db: handle.db })).toThrow(
      /STRIPE_SECRET_KEY/,
    );
  });
});
