import { randomBytes } from "node:crypto";
import { newId } from "@ktizo/db";
import type { Clock } from "../clock.ts";
import { inputErrorFrom, ServiceInputError } from "../errors.ts";
import {
  billingPortalInputSchema,
  type CheckoutInput,
  checkoutInputSchema,
  checkoutSessionIdSchema,
  checkoutTotal,
  connectedAccountIdSchema,
  onboardingInputSchema,
  type PaymentsService,
  platformFee,
  refundInputSchema,
  subscriptionCheckoutInputSchema,
} from "./types.ts";
import { signTestWebhook, verifyStripeWebhook } from "./webhook.ts";

/** A simulated checkout, as the app's `/checkout/test/:sessionId` page shows it. */
export interface TestCheckoutSession {
  sessionId: string;
  paymentIntentId: string;
  orderId: string;
  amountTotalMinor: number;
  currency: string;
  customerEmail: string | null;
  connectedAccountId: string | null;
  applicationFeeMinor: number | null;
  successUrl: string;
  cancelUrl: string;
  /** "expired": closed unpaid (cancelled order); it can no longer be paid. */
  status: "open" | "complete" | "expired";
  /** What was refunded of the payment so far. */
  refundedMinor: number;
}

/** A simulated plan checkout (subscription mode), as the app's test plan-checkout page shows it. */
export interface TestSubscriptionSession {
  sessionId: string;
  organizationId: string;
  plan: string;
  planName: string;
  amountMinor: number;
  currency: string;
  customerId: string;
  trialDays: number | null;
  successUrl: string;
  cancelUrl: string;
  status: "open" | "complete";
  /** The subscription completing the session made. */
  subscriptionId: string | null;
}

/** A webhook the stand-in produced: post `payload` with header `Stripe-Signature: signature` to the route. */
export interface SignedTestEvent {
  payload: string;
  signature: string;
}

export interface TestModePayments extends PaymentsService {
  readonly provider: "test-mode";
  /** The local signing secret (STRIPE_WEBHOOK_SECRET if set, else generated for this process). */
  readonly webhookSecret: string;
  getTestSession(sessionId: string): TestCheckoutSession | null;
  /**
   * Marks the session paid and returns the `checkout.session.completed` webhook Stripe would send.
   * An expired session cannot be paid (ServiceInputError), as on Stripe.
   */
  completeCheckout(sessionId: string): SignedTestEvent;
  getTestSubscriptionSession(sessionId: string): TestSubscriptionSession | null;
  /**
   * Pays a plan checkout: returns the signed events Stripe would send (`customer.subscription.created`,
   * then `invoice.paid`), in order. A session already complete yields nothing.
   */
  completeSubscriptionCheckout(sessionId: string): SignedTestEvent[];
  /** Any event, signed like Stripe signs it (refunds, account.updated, …). */
  signEvent(type: string, object: Record<string, unknown>, account?: string | null): SignedTestEvent;
}

export interface TestModePaymentsOptions {
  clock: Clock;
  platformFeeBps: number;
  webhookSecret?: string;
}

/**
 * Local test mode: no Stripe account needed. Checkouts point at a page of the app, and completing one
 * yields the same signed webhook Stripe would send, so the webhook route runs its real code path.
 * Sessions live in this process's memory (embedded mode is one process); a restart forgets open ones.
 */
export function createTestModePayments(options: TestModePaymentsOptions): TestModePayments {
  const webhookSecret = options.webhookSecret ?? `whsec_local${randomBytes(24).toString("hex")}`;
  const sessions = new Map<string, TestCheckoutSession>();
  const subscriptionSessions = new Map<string, TestSubscriptionSession>();
  const byIdempotencyKey = new Map<string, unknown>();
  const seconds = () => Math.floor(options.clock.now().getTime() / 1000);

  function once<T>(key: string, make: () => T): T {
    if (byIdempotencyKey.has(key)) return byIdempotencyKey.get(key) as T;
    const value = make();
    byIdempotencyKey.set(key, value);
    return value;
  }

  function signEvent(
    type: string,
    object: Record<string, unknown>,
    account: string | null = null,
  ): SignedTestEvent {
    const payload = JSON.stringify({
      id: `evt_test_${newId()}`,
      object: "event",
      type,
      created: seconds(),
      livemode: false,
      account: account ?? undefined,
      api_version: null,
      data: { object },
    });
    return { payload, signature: signTestWebhook(payload, webhookSecret, seconds()) };
  }

  function sessionObject(session: TestCheckoutSession): Record<string, unknown> {
    return {
      id: session.sessionId,
      object: "checkout.session",
      client_reference_id: session.orderId,
      metadata: { orderId: session.orderId },
      amount_total: session.amountTotalMinor,
      currency: session.currency,
      customer_email: session.customerEmail,
      payment_intent: session.paymentIntentId,
      payment_status: session.status === "complete" ? "paid" : "unpaid",
      status: session.status,
    };
  }

  return {
    provider: "test-mode",
    platformFeeBps: options.platformFeeBps,
    webhookSecret,

    async createCheckout(raw: CheckoutInput) {
      const parsed = checkoutInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      return once(`checkout:${input.idempotencyKey}`, () => {
        const sessionId = `cs_test_${newId()}`;
        const total = checkoutTotal(input);
        sessions.set(sessionId, {
          sessionId,
          paymentIntentId: `pi_test_${newId()}`,
          orderId: input.orderId,
          amountTotalMinor: total,
          currency: input.currency,
          customerEmail: input.customerEmail ?? null,
          connectedAccountId: input.connectedAccountId ?? null,
          applicationFeeMinor: input.connectedAccountId
            ? platformFee(total, options.platformFeeBps, input.applicationFeeMinor)
            : null,
          successUrl: input.successUrl,
          cancelUrl: input.cancelUrl,
          status: "open",
          refundedMinor: 0,
        });
        return { sessionId, url: `/checkout/test/${sessionId}` };
      });
    },

    async refund(raw) {
      const parsed = refundInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      const key = `refund:${input.idempotencyKey}`;
      if (byIdempotencyKey.has(key)) return byIdempotencyKey.get(key) as { refundId: string; status: string };
      const session = [...sessions.values()].find(
        (s) => s.sessionId === input.sessionId || s.paymentIntentId === input.paymentIntentId,
      );
      if (session?.status !== "complete") {
        throw new ServiceInputError(
          input.sessionId ? "sessionId" : "paymentIntentId",
          "no completed test payment",
        );
      }
      const left = session.amountTotalMinor - session.refundedMinor;
      const amount = input.amountMinor ?? left;
      if (left === 0) throw new ServiceInputError("amountMinor", "the payment is already refunded in full");
      if (amount > left) throw new ServiceInputError("amountMinor", "is more than was paid");
      session.refundedMinor += amount;
      return once(key, () => ({ refundId: `re_test_${newId()}`, status: "succeeded" }));
    },

    async createSubscriptionCheckout(raw) {
      const parsed = subscriptionCheckoutInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      return once(`subscription:${input.idempotencyKey}`, () => {
        const sessionId = `cs_test_${newId()}`;
        subscriptionSessions.set(sessionId, {
          sessionId,
          organizationId: input.organizationId,
          plan: input.plan,
          planName: input.planName,
          amountMinor: input.amountMinor,
          currency: input.currency,
          customerId: input.customerId ?? `cus_test_${newId()}`,
          trialDays: input.trialDays ?? null,
          successUrl: input.successUrl,
          cancelUrl: input.cancelUrl,
          status: "open",
          subscriptionId: null,
        });
        return { sessionId, url: `/org/plan/checkout/${sessionId}` };
      });
    },

    async createBillingPortal(raw) {
      const parsed = billingPortalInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      // The app's own page stands in for Stripe's portal (change plan, cancel, a failed payment).
      return { url: "/org/plan/portal" };
    },

    getTestSubscriptionSession(sessionId) {
      const session = subscriptionSessions.get(sessionId);
      return session ? { ...session } : null;
    },

    completeSubscriptionCheckout(sessionId) {
      const session = subscriptionSessions.get(sessionId);
      if (!session) throw new ServiceInputError("sessionId", "no such test checkout session");
      if (session.status === "complete") return [];
      session.status = "complete";
      session.subscriptionId = `sub_test_${newId()}`;
      const now = seconds();
      const trialEnd = session.trialDays ? now + session.trialDays * 86_400 : null;
      const metadata = { organizationId: session.organizationId, plan: session.plan };
      const subscription = {
        id: session.subscriptionId,
        object: "subscription",
        customer: session.customerId,
        status: trialEnd ? "trialing" : "active",
        metadata,
        trial_end: trialEnd,
        current_period_end: trialEnd ?? now + 30 * 86_400,
        items: {
          data: [
            {
              price: {
                unit_amount: session.amountMinor,
                currency: session.currency,
                lookup_key: session.plan,
                recurring: { interval: "month" },
              },
            },
          ],
        },
      };
      const invoice = {
        id: `in_test_${newId()}`,
        object: "invoice",
        customer: session.customerId,
        subscription: session.subscriptionId,
        amount_paid: trialEnd ? 0 : session.amountMinor,
        currency: session.currency,
      };
      return [signEvent("customer.subscription.created", subscription), signEvent("invoice.paid", invoice)];
    },

    async expireCheckoutSession(raw) {
      const parsed = checkoutSessionIdSchema.safeParse(raw);
      if (!parsed.success)
        throw new ServiceInputError("sessionId", parsed.error.issues[0]?.message ?? "invalid");
      const session = sessions.get(parsed.data);
      if (!session) throw new ServiceInputError("sessionId", "no such test checkout session");
      if (session.status === "open") session.status = "expired";
      return { status: session.status === "complete" ? ("complete" as const) : ("expired" as const) };
    },

    async createConnectOnboardingLink(raw) {
      const parsed = onboardingInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const accountId = parsed.data.accountId ?? `acct_test_${newId()}`;
      return { accountId, url: `/connect/test/${accountId}` };
    },

    async getConnectedAccount(raw) {
      const parsed = connectedAccountIdSchema.safeParse(raw);
      if (!parsed.success)
        throw new ServiceInputError("accountId", parsed.error.issues[0]?.message ?? "invalid");
      // Simulated onboarding completes at once: a test-mode account can take (simulated) charges.
      return { accountId: parsed.data, chargesEnabled: true, detailsSubmitted: true };
    },

    parseWebhook(rawBody, signatureHeader) {
      return verifyStripeWebhook(rawBody, signatureHeader, webhookSecret, options.clock);
    },

    getTestSession(sessionId) {
      const session = sessions.get(sessionId);
      return session ? { ...session } : null;
    },

    completeCheckout(sessionId) {
      const session = sessions.get(sessionId);
      if (!session) throw new ServiceInputError("sessionId", "no such test checkout session");
      if (session.status === "expired") {
        throw new ServiceInputError(
          "sessionId",
          "this checkout session has expired and can no longer be paid",
        );
      }
      session.status = "complete";
      // Destination charges: the event belongs to the platform account, so no `account`.
      return signEvent("checkout.session.completed", sessionObject(session));
    },

    signEvent,
  };
}
