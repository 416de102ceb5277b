import Stripe from "stripe";
import type { Clock } from "../clock.ts";
import type { PaymentEvent } from "./types.ts";

/** Stripe's default: events older than five minutes are refused (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookFailure = "missing-header" | "bad-signature" | "stale" | "malformed";

/** A webhook whose signature does not verify; the route answers 400 and changes nothing. */
export class WebhookSignatureError extends Error {
  override readonly name = "WebhookSignatureError";
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(message);
  }
}

// Only the webhook helpers are used here; they need no key and make no request.
const webhooks = new Stripe("sk_test_webhook_helpers_only").webhooks;

/** Signs a payload the way Stripe does, for tests and for local test mode. */
export function signTestWebhook(payload: string, secret: string, timestamp?: number): string {
  return webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

/** Verifies and normalises a Stripe webhook; "now" comes from the clock so tolerance is testable. */
export function verifyStripeWebhook(
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  secret: string,
  clock: Clock,
): PaymentEvent {
  if (!signatureHeader) throw new WebhookSignatureError("missing-header", "Missing Stripe-Signature header");
  let event: Stripe.Event;
  try {
    event = webhooks.constructEvent(
      rawBody,
      signatureHeader,
      secret,
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      clock.now().getTime(),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/tolerance/i.test(message)) throw new WebhookSignatureError("stale", "Webhook timestamp is too old");
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new WebhookSignatureError("bad-signature", "Webhook signature does not match");
    }
    throw new WebhookSignatureError("malformed", "Webhook payload is not a Stripe event");
  }
  const object = (event.data as { object?: unknown }).object;
  if (
    typeof event.id !== "string" ||
    typeof event.type !== "string" ||
    typeof object !== "object" ||
    object === null
  ) {
    throw new WebhookSignatureError("malformed", "Webhook payload is not a Stripe event");
  }
  return {
    id: event.id,
    type: event.type,
    created: new Date(event.created * 1000),
    account: event.account ?? null,
    livemode: event.livemode,
    data: object as Record<string, unknown>,
  };
}
