import { z } from "zod";

const currency = z
  .string()
  .regex(/^[a-zA-Z]{3}$/, "must be a three-letter ISO currency code")
  .transform((c) => c.toLowerCase());
const minor = z.number().int("must be an integer number of minor units");
const url = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });
const idempotencyKey = z.string().min(8, "must be at least 8 characters").max(255);

export const lineItemSchema = z.object({
  name: z.string().min(1).max(250),
  unitAmountMinor: minor.positive(),
  quantity: z.number().int().positive().max(10_000),
});

export const checkoutInputSchema = z
  .object({
    orderId: z.string().min(1),
    lineItems: z.array(lineItemSchema).min(1).optional(),
    amountMinor: minor.positive().optional(),
    currency,
    customerEmail: z.email("must be an email address").optional(),
    connectedAccountId: z
      .string()
      .regex(/^acct_\w+$/, "must be a Stripe account id (acct_…)")
      .optional(),
    applicationFeeMinor: minor.nonnegative().optional(),
    successUrl: url,
    cancelUrl: url,
    idempotencyKey,
  })
  .superRefine((input, ctx) => {
    if ((input.lineItems === undefined) === (input.amountMinor === undefined)) {
      ctx.addIssue({ code: "custom", path: ["lineItems"], message: "give either lineItems or amountMinor" });
    }
    if (input.applicationFeeMinor !== undefined && input.connectedAccountId === undefined) {
      ctx.addIssue({ code: "custom", path: ["applicationFeeMinor"], message: "needs connectedAccountId" });
    }
  });
export type CheckoutInput = z.input<typeof checkoutInputSchema>;
export type LineItem = z.infer<typeof lineItemSchema>;

export const refundInputSchema = z
  .object({
    paymentIntentId: z
      .string()
      .regex(/^pi_\w+$/, "must be a PaymentIntent id (pi_…)")
      .optional(),
    sessionId: z
      .string()
      .regex(/^cs_\w+$/, "must be a Checkout Session id (cs_…)")
      .optional(),
    amountMinor: minor.positive().optional(),
    /** Destination charges: take the transfer back from the shop and return the platform fee. */
    reverseTransfer: z.boolean().optional(),
    idempotencyKey,
  })
  .superRefine((input, ctx) => {
    if ((input.paymentIntentId === undefined) === (input.sessionId === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["paymentIntentId"],
        message: "give either paymentIntentId or sessionId",
      });
    }
  });
export type RefundInput = z.input<typeof refundInputSchema>;

/** A shop's plan, billed by the platform: Checkout in subscription mode (a monthly price). */
export const subscriptionCheckoutInputSchema = z
  .object({
    organizationId: z.string().min(1),
    /** The plan's key: the price's lookup key and the subscription's metadata. */
    plan: z.string().regex(/^[a-z_]{1,40}$/, "must be a plan key"),
    planName: z.string().min(1).max(250),
    amountMinor: minor.positive(),
    currency,
    /** The shop's Stripe customer when it has one (else Checkout makes one for `customerEmail`). */
    customerId: z
      .string()
      .regex(/^cus_\w+$/, "must be a Stripe customer id (cus_…)")
      .optional(),
    customerEmail: z.email("must be an email address").optional(),
    trialDays: z.number().int().min(1).max(730).optional(),
    successUrl: url,
    cancelUrl: url,
    idempotencyKey,
  })
  .refine((input) => !(input.customerId && input.customerEmail), {
    path: ["customerEmail"],
    message: "give either customerId or customerEmail",
  });
export type SubscriptionCheckoutInput = z.input<typeof subscriptionCheckoutInputSchema>;

export const billingPortalInputSchema = z.object({
  customerId: z.string().regex(/^cus_\w+$/, "must be a Stripe customer id (cus_…)"),
  returnUrl: url,
});
export type BillingPortalInput = z.input<typeof billingPortalInputSchema>;

export const checkoutSessionIdSchema = z.string().regex(/^cs_\w+$/, "must be a Checkout Session id (cs_…)");
export type CheckoutSessionStatus = "expired" | "complete";

export const onboardingInputSchema = z.object({
  organizationId: z.string().min(1),
  accountId: z
    .string()
    .regex(/^acct_\w+$/, "must be a Stripe account id (acct_…)")
    .optional(),
  refreshUrl: url,
  returnUrl: url.or(z.string().regex(/^\//)),
});
export type OnboardingInput = z.input<typeof onboardingInputSchema>;

export const connectedAccountIdSchema = z
  .string()
  .regex(/^acct_\w+$/, "must be a Stripe account id (acct_…)");

export interface ConnectedAccountState {
  accountId: string;
  /** Stripe lets the account take charges (destination charges transfer to it). */
  chargesEnabled: boolean;
  /** The shop finished onboarding (Stripe may still be reviewing). */
  detailsSubmitted: boolean;
}

/** A verified webhook event, the same shape from Stripe and from local test mode. */
export interface PaymentEvent {
  id: string;
  /** Stripe's event type: "checkout.session.completed", "charge.refunded", "account.updated", … */
  type: string;
  created: Date;
  /** The connected account the event is about (Connect), if any. */
  account: string | null;
  livemode: boolean;
  /** The Stripe object of the event (`event.data.object`), snake_case as Stripe sends it. */
  data: Record<string, unknown>;
}

export interface PaymentsService {
  /** "stripe" or "test-mode" (local, simulated: label it in the UI). */
  readonly provider: "stripe" | "test-mode";
  /** The platform fee on connected-account orders, in basis points (STRIPE_PLATFORM_FEE_BPS). */
  readonly platformFeeBps: number;
  createCheckout(input: CheckoutInput): Promise<{ sessionId: string; url: string }>;
  /** A shop subscribes to a plan: Checkout in subscription mode; its events say what happened. */
  createSubscriptionCheckout(input: SubscriptionCheckoutInput): Promise<{ sessionId: string; url: string }>;
  /** The Stripe customer portal (change plan, card, cancel) for a shop's customer. */
  createBillingPortal(input: BillingPortalInput): Promise<{ url: string }>;
  refund(input: RefundInput): Promise<{ refundId: string; status: string }>;
  /**
   * Closes an unpaid Checkout Session so it can no longer be paid (Stripe `checkout.sessions.expire`).
   * Answers the session's status afterwards: "expired" (nobody can pay it now, also when it already
   * was) or "complete" (it was paid first: the payment event is on its way).
   */
  expireCheckoutSession(sessionId: string): Promise<{ status: CheckoutSessionStatus }>;
  createConnectOnboardingLink(input: OnboardingInput): Promise<{ accountId: string; url: string }>;
  /** A connected account's state as Stripe has it now (after onboarding, or when its webhook is not set up). */
  getConnectedAccount(accountId: string): Promise<ConnectedAccountState>;
  /** Verifies the `Stripe-Signature` header against the raw body; throws WebhookSignatureError. */
  parseWebhook(rawBody: string | Uint8Array, signatureHeader: string | null | undefined): PaymentEvent;
}

/** Total of a checkout in minor units. */
export function checkoutTotal(input: { lineItems?: LineItem[]; amountMinor?: number }): number {
  if (input.amountMinor !== undefined) return input.amountMinor;
  return (input.lineItems ?? []).reduce((sum, item) => sum + item.unitAmountMinor * item.quantity, 0);
}

/** The platform fee on a connected-account order: explicit, else STRIPE_PLATFORM_FEE_BPS of the total. */
export function platformFee(totalMinor: number, feeBps: number, explicit?: number): number {
  if (explicit !== undefined) return explicit;
  return Math.floor((totalMinor * feeBps) / 10_000);
}
