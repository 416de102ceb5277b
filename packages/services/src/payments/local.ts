import { randomBytes } from "node:crypto";
import { type Database, newId } from "@ktizo/db";
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
  getTestSession(sessionId: string): Promise<TestCheckoutSession | null>;
  /**
   * Marks the session paid and returns the `checkout.session.completed` webhook Stripe would send.
   * An expired session cannot be paid (ServiceInputError), as on Stripe.
   */
  completeCheckout(sessionId: string): Promise<SignedTestEvent>;
  getTestSubscriptionSession(sessionId: string): Promise<TestSubscriptionSession | null>;
  /**
   * Pays a plan checkout: returns the signed events Stripe would send (`customer.subscription.created`,
   * then `invoice.paid`), in order. A session already complete yields nothing.
   */
  completeSubscriptionCheckout(sessionId: string): Promise<SignedTestEvent[]>;
  /** Any event, signed like Stripe signs it (refunds, account.updated, …). */
  signEvent(type: string, object: Record<string, unknown>, account?: string | null): SignedTestEvent;
}

export interface TestModePaymentsOptions {
  db: Database;
  clock: Clock;
  platformFeeBps: number;
  webhookSecret?: string;
}

type CheckoutData = Omit<
  TestCheckoutSession,
  "sessionId" | "paymentIntentId" | "amountTotalMinor" | "status" | "refundedMinor"
>;
type SubscriptionData = Omit<TestSubscriptionSession, "sessionId" | "status">;

/**
 * Local test mode: no Stripe account needed. Checkouts point at a page of the app, and completing one
 * yields the same signed webhook Stripe would send, so the webhook route runs its real code path.
 * Sessions live in the database (`test_payment_session`), as Stripe keeps them on its side, so every app
 * process can show, pay, expire or refund them; each change of state is conditional, so two tabs paying
 * at once complete a session once.
 */
export function createTestModePayments(options: TestModePaymentsOptions): TestModePayments {
  const { db } = options;
  const webhookSecret = options.webhookSecret ?? `whsec_local${randomBytes(24).toString("hex")}`;
  const seconds = () => Math.floor(options.clock.now().getTime() / 1000);

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

  const sessionColumns = [
    "id",
    "kind",
    "paymentIntentId",
    "status",
    "amountTotalMinor",
    "refundedMinor",
    "data",
  ] as const;

  async function checkoutSession(
    where: { id?: string; paymentIntentId?: string },
    executor: Pick<Database, "selectFrom"> = db,
  ) {
    let query = executor
      .selectFrom("testPaymentSession")
      .select(sessionColumns)
      .where("kind", "=", "checkout");
    if (where.id) query = query.where("id", "=", where.id);
    else if (where.paymentIntentId) query = query.where("paymentIntentId", "=", where.paymentIntentId);
    else return null;
    const row = await query.executeTakeFirst();
    if (!row) return null;
    return {
      ...(row.data as unknown as CheckoutData),
      sessionId: row.id,
      paymentIntentId: row.paymentIntentId ?? "",
      amountTotalMinor: row.amountTotalMinor,
      status: row.status,
      refundedMinor: row.refundedMinor,
    } satisfies TestCheckoutSession;
  }

  async function subscriptionSession(id: string): Promise<TestSubscriptionSession | null> {
    const row = await db
      .selectFrom("testPaymentSession")
      .select(sessionColumns)
      .where("kind", "=", "subscription")
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row || row.status === "expired") return null;
    return { ...(row.data as unknown as SubscriptionData), sessionId: row.id, status: row.status };
  }

  /** Inserts a session once per idempotency key and answers the id of the one that holds the key. */
  async function insertOnce(values: {
    kind: "checkout" | "subscription";
    idempotencyKey: string;
    paymentIntentId: string | null;
    amountTotalMinor: number;
    data: CheckoutData | SubscriptionData;
  }): Promise<string> {
    await db
      .insertInto("testPaymentSession")
      .values({ id: `cs_test_${newId()}`, status: "open", ...values, data: JSON.stringify(values.data) })
      .onConflict((oc) => oc.column("idempotencyKey").doNothing())
      .execute();
    const row = await db
      .selectFrom("testPaymentSession")
      .select("id")
      .where("idempotencyKey", "=", values.idempotencyKey)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  return {
    provider: "test-mode",
    platformFeeBps: options.platformFeeBps,
    webhookSecret,

    async createCheckout(raw: CheckoutInput) {
      const parsed = checkoutInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      const total = checkoutTotal(input);
      const sessionId = await insertOnce({
        kind: "checkout",
        idempotencyKey: `checkout:${input.idempotencyKey}`,
        paymentIntentId: `pi_test_${newId()}`,
        amountTotalMinor: total,
        data: {
          orderId: input.orderId,
          currency: input.currency,
          customerEmail: input.customerEmail ?? null,
          connectedAccountId: input.connectedAccountId ?? null,
          applicationFeeMinor: input.connectedAccountId
            ? platformFee(total, options.platformFeeBps, input.applicationFeeMinor)
            : null,
          successUrl: input.successUrl,
          cancelUrl: input.cancelUrl,
        },
      });
      return { sessionId, url: `/checkout/test/${sessionId}` };
    },

    async refund(raw) {
      const parsed = refundInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      const key = `refund:${input.idempotencyKey}`;
      const field = input.sessionId ? "sessionId" : "paymentIntentId";
      return db.transaction().execute(async (trx) => {
        const found = await checkoutSession(
          { id: input.sessionId, paymentIntentId: input.paymentIntentId },
          trx,
        );
        if (!found) throw new ServiceInputError(field, "no completed test payment");
        // The key is claimed first: a second call with the same key waits here for the first to commit,
        // then answers the same refund (as Stripe's idempotency keys do), never a second one.
        const refundId = `re_test_${newId()}`;
        const claimed = await trx
          .insertInto("testPaymentRefund")
          .values({ idempotencyKey: key, sessionId: found.sessionId, refundId, amountMinor: 0 })
          .onConflict((oc) => oc.column("idempotencyKey").doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) {
          const done = await trx
            .selectFrom("testPaymentRefund")
            .select("refundId")
            .where("idempotencyKey", "=", key)
            .executeTakeFirstOrThrow();
          return { refundId: done.refundId, status: "succeeded" };
        }
        // Read after the claim: what other refunds took meanwhile counts.
        const session = await checkoutSession({ id: found.sessionId }, trx);
        if (session?.status !== "complete") throw new ServiceInputError(field, "no completed test payment");
        const left = session.amountTotalMinor - session.refundedMinor;
        const amount = input.amountMinor ?? left;
        if (left === 0) throw new ServiceInputError("amountMinor", "the payment is already refunded in full");
        if (amount > left) throw new ServiceInputError("amountMinor", "is more than was paid");
        // Conditional: two refunds racing cannot together return more than was paid.
        const moved = await trx
          .updateTable("testPaymentSession")
          .set((eb) => ({ refundedMinor: eb("refundedMinor", "+", amount) }))
          .where("id", "=", session.sessionId)
          .where((eb) => eb(eb("refundedMinor", "+", amount), "<=", eb.ref("amountTotalMinor")))
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0)
          throw new ServiceInputError("amountMinor", "is more than was paid");
        await trx
          .updateTable("testPaymentRefund")
          .set({ amountMinor: amount })
          .where("idempotencyKey", "=", key)
          .execute();
        return { refundId, status: "succeeded" };
      });
    },

    async createSubscriptionCheckout(raw) {
      const parsed = subscriptionCheckoutInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      const input = parsed.data;
      const sessionId = await insertOnce({
        kind: "subscription",
        idempotencyKey: `subscription:${input.idempotencyKey}`,
        paymentIntentId: null,
        amountTotalMinor: input.amountMinor,
        data: {
          organizationId: input.organizationId,
          plan: input.plan,
          planName: input.planName,
          amountMinor: input.amountMinor,
          currency: input.currency,
          customerId: input.customerId ?? `cus_test_${newId()}`,
          trialDays: input.trialDays ?? null,
          successUrl: input.successUrl,
          cancelUrl: input.cancelUrl,
          subscriptionId: null,
        },
      });
      return { sessionId, url: `/org/plan/checkout/${sessionId}` };
    },

    async createBillingPortal(raw) {
      const parsed = billingPortalInputSchema.safeParse(raw);
      if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
      // The app's own page stands in for Stripe's portal (change plan, cancel, a failed payment).
      return { url: "/org/plan/portal" };
    },

    getTestSubscriptionSession: subscriptionSession,

    async completeSubscriptionCheckout(sessionId) {
      const open = await subscriptionSession(sessionId);
      if (!open) throw new ServiceInputError("sessionId", "no such test checkout session");
      const session = { ...open, status: "complete" as const, subscriptionId: `sub_test_${newId()}` };
      const { sessionId: _id, status: _status, ...data } = session;
      // Conditional: of two tabs completing the same plan checkout, one yields the events.
      const moved = await db
        .updateTable("testPaymentSession")
        .set({ status: "complete", data: JSON.stringify(data) })
        .where("id", "=", sessionId)
        .where("status", "=", "open")
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return [];
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
      await db
        .updateTable("testPaymentSession")
        .set({ status: "expired" })
        .where("id", "=", parsed.data)
        .where("kind", "=", "checkout")
        .where("status", "=", "open")
        .execute();
      const session = await checkoutSession({ id: parsed.data });
      if (!session) throw new ServiceInputError("sessionId", "no such test checkout session");
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

    getTestSession: (sessionId) => checkoutSession({ id: sessionId }),

    async completeCheckout(sessionId) {
      await db
        .updateTable("testPaymentSession")
        .set({ status: "complete" })
        .where("id", "=", sessionId)
        .where("kind", "=", "checkout")
        .where("status", "=", "open")
        .execute();
      const session = await checkoutSession({ id: sessionId });
      if (!session) throw new ServiceInputError("sessionId", "no such test checkout session");
      if (session.status === "expired") {
        throw new ServiceInputError(
          "sessionId",
          "this checkout session has expired and can no longer be paid",
        );
      }
      // Destination charges: the event belongs to the platform account, so no `account`.
      return signEvent("checkout.session.completed", sessionObject(session));
    },

    signEvent,
  };
}
