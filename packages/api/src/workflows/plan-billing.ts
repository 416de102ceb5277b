import { isTestModePayments, type Services, type SignedTestEvent } from "@ktizo/services";
import { z } from "zod";
import { isPlanKey, PLAN_KEYS, PLAN_TRIAL_DAYS, PLANS, type PlanKey } from "../browser-safe/plans.ts";
import { conflict, type Executor, notFound } from "../kernel/index.ts";
import { planCustomer, shopPlan } from "../shop/plans.ts";
import { handleStripeWebhook } from "./payment-events.ts";

/**
 * A shop subscribes to a plan and changes it (issue 16, req. 9): Stripe Checkout in subscription mode for
 * a shop without a subscription (a trial on its first), the Stripe customer portal once it has one. The
 * plan itself changes only when Stripe's signed `customer.subscription.*` and `invoice.*` events arrive
 * (`applyPlanEvent`, once each). In local test mode the same calls go to the stand-in, whose pages
 * complete the checkout or act in the portal by handing its signed events to the webhook handler.
 */

type Deps = {
  db: Executor;
  services: Pick<Services, "mail" | "sms" | "storage" | "payments">;
  now: Date;
  baseUrl: string;
};

export const planChoiceInput = z.object({
  plan: z.enum(PLAN_KEYS.filter((k) => k !== "free") as ["pro", "studio"], { error: "Choose Pro or Studio" }),
});

/** Starts Checkout for a paid plan; a shop that already subscribed changes it in the portal. */
export async function startPlanCheckout(
  deps: Deps,
  actor: { organizationId: string; userId: string },
  input: z.infer<typeof planChoiceInput>,
): Promise<{ url: string }> {
  const current = await shopPlan(deps.db, actor.organizationId, deps.now);
  if (current.subscribedPlan) {
    throw conflict("The shop already has a subscription: change the plan in the customer portal");
  }
  const plan = PLANS[input.plan];
  const customerId = await planCustomer(deps.db, actor.organizationId);
  const owner = await deps.db
    .selectFrom("user")
    .select("email")
    .where("id", "=", actor.userId)
    .executeTakeFirstOrThrow();
  const session = await deps.services.payments.createSubscriptionCheckout({
    organizationId: actor.organizationId,
    plan: input.plan,
    planName: `Ktizo ${plan.name}`,
    amountMinor: plan.priceMinor,
    currency: plan.currency,
    ...(customerId ? { customerId } : { customerEmail: owner.email }),
    ...(current.trialAvailable ? { trialDays: PLAN_TRIAL_DAYS } : {}),
    successUrl: `${deps.baseUrl}/org/plan?subscribed=1`,
    cancelUrl: `${deps.baseUrl}/org/plan`,
    // One checkout per shop, plan and minute: a double click opens the same session.
    idempotencyKey: `plan-${actor.organizationId}-${input.plan}-${Math.floor(deps.now.getTime() / 60_000)}`,
  });
  return { url: session.url };
}

/** The customer portal for the shop's Stripe customer (change plan, card, cancel). */
export async function openPlanPortal(deps: Deps, organizationId: string): Promise<{ url: string }> {
  const customerId = await planCustomer(deps.db, organizationId);
  if (!customerId) throw conflict("The shop has no subscription yet: choose a plan first");
  return deps.services.payments.createBillingPortal({ customerId, returnUrl: `${deps.baseUrl}/org/plan` });
}

async function deliver(deps: Deps, events: SignedTestEvent[]): Promise<void> {
  for (const signed of events) {
    const result = await handleStripeWebhook(
      deps.db,
      deps.services,
      signed.payload,
      signed.signature,
      deps.now,
    );
    if (result.status !== 200) throw new Error(`The simulated plan event was refused: ${result.body.error}`);
  }
}

function testPayments(deps: Deps) {
  const payments = deps.services.payments;
  if (!isTestModePayments(payments)) throw notFound("Not found");
  return payments;
}

/** Test mode only: the test checkout page's session, for its own shop only. */
export async function testPlanCheckout(deps: Deps, organizationId: string, sessionId: string) {
  const session = await testPayments(deps).getTestSubscriptionSession(sessionId);
  if (!session || session.organizationId !== organizationId) throw notFound("This test checkout has expired");
  if (!isPlanKey(session.plan)) throw notFound("This test checkout has expired");
  return {
    sessionId: session.sessionId,
    plan: session.plan,
    amountMinor: session.amountMinor,
    currency: session.currency,
    trialDays: session.trialDays,
    status: session.status,
  };
}

/** Test mode only: pays the plan checkout; its signed events go through the webhook handler. */
export async function completeTestPlanCheckout(
  deps: Deps,
  organizationId: string,
  sessionId: string,
): Promise<{ plan: PlanKey }> {
  const session = await testPlanCheckout(deps, organizationId, sessionId);
  await deliver(deps, await testPayments(deps).completeSubscriptionCheckout(session.sessionId));
  return { plan: session.plan };
}

export const testPortalInput = z.discriminatedUnion("action", [
  z.object({ action: z.literal("switch"), plan: planChoiceInput.shape.plan }),
  z.object({ action: z.literal("cancel") }),
  z.object({ action: z.literal("fail_payment") }),
  z.object({ action: z.literal("pay") }),
]);

/**
 * Test mode only, the stand-in for Stripe's customer portal: switches plan, cancels, or simulates the
 * next invoice failing or being paid, each as the signed event Stripe would send.
 */
export async function testPortalAction(
  deps: Deps,
  organizationId: string,
  input: z.infer<typeof testPortalInput>,
): Promise<{ done: true }> {
  const payments = testPayments(deps);
  const row = await deps.db
    .selectFrom("shopSubscription")
    .select(["plan", "status", "stripeCustomerId", "stripeSubscriptionId", "currentPeriodEnd"])
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!row?.stripeSubscriptionId || !row.stripeCustomerId || row.status === "canceled") {
    throw conflict("The shop has no subscription to change");
  }
  const subscription = (plan: PlanKey, status: string) => ({
    id: row.stripeSubscriptionId,
    object: "subscription",
    customer: row.stripeCustomerId,
    status,
    metadata: { organizationId, plan },
    current_period_end: Math.floor((row.currentPeriodEnd ?? deps.now).getTime() / 1000),
    items: {
      data: [
        { price: { unit_amount: PLANS[plan].priceMinor, currency: PLANS[plan].currency, lookup_key: plan } },
      ],
    },
  });
  const invoice = {
    id: `in_test_${deps.now.getTime()}`,
    customer: row.stripeCustomerId,
    subscription: row.stripeSubscriptionId,
  };
  switch (input.action) {
    case "switch":
      await deliver(deps, [
        payments.signEvent("customer.subscription.updated", subscription(input.plan, "active")),
      ]);
      break;
    case "cancel":
      await deliver(deps, [
        payments.signEvent("customer.subscription.deleted", subscription(row.plan, "canceled")),
      ]);
      break;
    case "fail_payment":
      await deliver(deps, [payments.signEvent("invoice.payment_failed", invoice)]);
      break;
    case "pay":
      await deliver(deps, [payments.signEvent("invoice.paid", invoice)]);
      break;
  }
  return { done: true };
}
