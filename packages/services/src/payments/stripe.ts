import Stripe from "stripe";
import type { Clock } from "../clock.ts";
import { inputErrorFrom, ProviderError, ServiceInputError } from "../errors.ts";
import {
  billingPortalInputSchema,
  type CheckoutInput,
  checkoutInputSchema,
  checkoutSessionIdSchema,
  checkoutTotal,
  connectedAccountIdSchema,
  type OnboardingInput,
  onboardingInputSchema,
  type PaymentsService,
  platformFee,
  type RefundInput,
  refundInputSchema,
  subscriptionCheckoutInputSchema,
} from "./types.ts";
import { verifyStripeWebhook } from "./webhook.ts";

export interface StripePaymentsOptions {
  secretKey: string;
  webhookSecret: string;
  platformFeeBps: number;
  clock: Clock;
  /** Points the SDK somewhere else than https://api.stripe.com (tests: a loopback server). */
  apiBaseUrl?: string;
}

function stripeClient(options: StripePaymentsOptions): Stripe {
  // Retries are safe: every write carries an idempotency key, so a retried request cannot charge twice.
  const config: Stripe.StripeConfig = { maxNetworkRetries: 2, telemetry: false, appInfo: { name: "Ktizo" } };
  if (options.apiBaseUrl) {
    const base = new URL(options.apiBaseUrl);
    config.host = base.hostname;
    config.port = base.port || (base.protocol === "https:" ? 443 : 80);
    config.protocol = base.protocol === "https:" ? "https" : "http";
  }
  return new Stripe(options.secretKey, config);
}

async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Stripe.errors.StripeError ? error.message : String(error);
    throw new ProviderError("stripe", `${what} failed: ${message}`, { cause: error });
  }
}

/**
 * Real payments: Stripe Checkout with destination charges for Connect, so card data never touches
 * Ktizo (P10) and the shop's share is transferred by Stripe with the platform fee kept.
 */
export function createStripePayments(options: StripePaymentsOptions): PaymentsService {
  const stripe = stripeClient(options);
  return {
    provider: "stripe",
    platformFeeBps: options.platformFeeBps,

    async createCheckout(raw: CheckoutInput) {
      const parsed = checkoutInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      const lineItems = input.lineItems ?? [
        { name: `Order ${input.orderId}`, unitAmountMinor: input.amountMinor ?? 0, quantity: 1 },
      ];
      const paymentIntentData: Stripe.Checkout.SessionCreateParams.PaymentIntentData = {
        metadata: { orderId: input.orderId },
      };
      if (input.connectedAccountId) {
        paymentIntentData.application_fee_amount = platformFee(
          checkoutTotal(input),
          options.platformFeeBps,
          input.applicationFeeMinor,
        );
        paymentIntentData.transfer_data = { destination: input.connectedAccountId };
      }
      const session = await call("checkout", () =>
        stripe.checkout.sessions.create(
          {
            mode: "payment",
            client_reference_id: input.orderId,
            metadata: { orderId: input.orderId },
            customer_email: input.customerEmail,
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            line_items: lineItems.map((item) => ({
              quantity: item.quantity,
              price_data: {
                currency: input.currency,
                unit_amount: item.unitAmountMinor,
                product_data: { name: item.name },
              },
            })),
            payment_intent_data: paymentIntentData,
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      if (!session.url) throw new ProviderError("stripe", "checkout session has no URL");
      return { sessionId: session.id, url: session.url };
    },

    async createSubscriptionCheckout(raw) {
      const parsed = subscriptionCheckoutInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      const metadata = { organizationId: input.organizationId, plan: input.plan };
      const session = await call("subscription checkout", () =>
        stripe.checkout.sessions.create(
          {
            mode: "subscription",
            client_reference_id: input.organizationId,
            metadata,
            ...(input.customerId ? { customer: input.customerId } : { customer_email: input.customerEmail }),
            success_url: input.successUrl,
            cancel_url: input.cancelUrl,
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: input.currency,
                  unit_amount: input.amountMinor,
                  recurring: { interval: "month" },
                  product_data: { name: input.planName, metadata },
                },
              },
            ],
            subscription_data: {
              metadata,
              ...(input.trialDays ? { trial_period_days: input.trialDays } : {}),
            },
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      if (!session.url) throw new ProviderError("stripe", "checkout session has no URL");
      return { sessionId: session.id, url: session.url };
    },

    async createBillingPortal(raw) {
      const parsed = billingPortalInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const portal = await call("billing portal", () =>
        stripe.billingPortal.sessions.create({
          customer: parsed.data.customerId,
          return_url: parsed.data.returnUrl,
        }),
      );
      return { url: portal.url };
    },

    async refund(raw: RefundInput) {
      const parsed = refundInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      let paymentIntent = input.paymentIntentId;
      if (!paymentIntent && input.sessionId) {
        const sessionId = input.sessionId;
        const session = await call("session lookup", () => stripe.checkout.sessions.retrieve(sessionId));
        const pi = session.payment_intent;
        paymentIntent = typeof pi === "string" ? pi : pi?.id;
        if (!paymentIntent) throw new ProviderError("stripe", "checkout session has no payment to refund");
      }
      const refund = await call("refund", () =>
        stripe.refunds.create(
          {
            payment_intent: paymentIntent,
            ...(input.amountMinor === undefined ? {} : { amount: input.amountMinor }),
            ...(input.reverseTransfer ? { reverse_transfer: true, refund_application_fee: true } : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      return { refundId: refund.id, status: refund.status ?? "pending" };
    },

    async expireCheckoutSession(raw: string) {
      const parsed = checkoutSessionIdSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ServiceInputError("sessionId", parsed.error.issues[0]?.message ?? "invalid");
      }
      const sessionId = parsed.data;
      try {
        await stripe.checkout.sessions.expire(sessionId);
        return { status: "expired" as const };
      } catch (error) {
        // Stripe refuses to expire a session that is not open; what matters is whether it was paid.
        if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) {
          throw new ProviderError("stripe", `session expiry failed: ${String(error)}`, { cause: error });
        }
      }
      const session = await call("session lookup", () => stripe.checkout.sessions.retrieve(sessionId));
      if (session.status === "open") throw new ProviderError("stripe", "checkout session is still open");
      return { status: session.status === "complete" ? ("complete" as const) : ("expired" as const) };
    },

    async createConnectOnboardingLink(raw: OnboardingInput) {
      const parsed = onboardingInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      const accountId =
        input.accountId ??
        (
          await call("connect account", () =>
            stripe.accounts.create(
              { type: "express", metadata: { organizationId: input.organizationId } },
              // One Stripe account per organization even if the shop clicks twice.
              { idempotencyKey: `connect-account-${input.organizationId}` },
            ),
          )
        ).id;
      const link = await call("account link", () =>
        stripe.accountLinks.create({
          account: accountId,
          refresh_url: input.refreshUrl,
          return_url: input.returnUrl,
          type: "account_onboarding",
        }),
      );
      return { accountId, url: link.url };
    },

    async getConnectedAccount(raw: string) {
      const parsed = connectedAccountIdSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ServiceInputError("accountId", parsed.error.issues[0]?.message ?? "invalid");
      }
      const accountId = parsed.data;
      const account = await call("account lookup", () => stripe.accounts.retrieve(accountId));
      return {
        accountId: account.id,
        chargesEnabled: account.charges_enabled === true,
        detailsSubmitted: account.details_submitted === true,
      };
    },

    parseWebhook(rawBody, signatureHeader) {
      return verifyStripeWebhook(rawBody, signatureHeader, options.webhookSecret, options.clock);
    },
  };
}
