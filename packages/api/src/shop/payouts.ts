import { recordAudit } from "@ktizo/db";
import { type PaymentsService, platformFee } from "@ktizo/services";
import { z } from "zod";
import type { Executor, MemberActor } from "../kernel/index.ts";

export const connectStripeInput = z.object({ baseUrl: z.string().url() });

/**
 * The shop connects its Stripe account (Connect onboarding) so marketplace payments go to it and the
 * platform keeps its fee. In local test mode there is no onboarding: the simulated account is enabled at
 * once (labelled test mode in the UI). With Stripe, `account.updated` webhooks enable charges.
 */
export async function connectStripe(
  db: Executor,
  payments: Pick<PaymentsService, "createConnectOnboardingLink" | "provider">,
  actor: MemberActor,
  input: z.infer<typeof connectStripeInput>,
  now: Date,
): Promise<{ url: string; testMode: boolean }> {
  const existing = await db
    .selectFrom("shopPaymentAccount")
    .select("stripeAccountId")
    .where("organizationId", "=", actor.organizationId)
    .executeTakeFirst();
  const link = await payments.createConnectOnboardingLink({
    organizationId: actor.organizationId,
    ...(existing ? { accountId: existing.stripeAccountId } : {}),
    refreshUrl: new URL("/org/payments?stripe=refresh", input.baseUrl).toString(),
    returnUrl: new URL("/org/payments?stripe=connected", input.baseUrl).toString(),
  });
  const testMode = payments.provider === "test-mode";
  await db
    .insertInto("shopPaymentAccount")
    .values({
      organizationId: actor.organizationId,
      stripeAccountId: link.accountId,
      chargesEnabled: testMode,
      updatedAt: now,
    })
    .onConflict((oc) =>
      oc.column("organizationId").doUpdateSet({ stripeAccountId: link.accountId, updatedAt: now }),
    )
    .execute();
  await recordAudit(db, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "shop.stripe_connect_started",
    subjectType: "organization",
    subjectId: actor.organizationId,
    data: { accountId: link.accountId },
  });
  return { url: testMode ? "/org/payments?stripe=connected" : link.url, testMode };
}

/**
 * The shop's payout set-up for its Payments page: connected or not, able to take charges, whether
 * payments are simulated (local test mode), and the platform fee new orders pay (basis points).
 */
export async function paymentAccountStatus(
  db: Executor,
  payments: Pick<PaymentsService, "provider" | "platformFeeBps">,
  organizationId: string,
) {
  const row = await db
    .selectFrom("shopPaymentAccount")
    .select(["stripeAccountId", "chargesEnabled"])
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return {
    connected: row !== undefined,
    chargesEnabled: row?.chargesEnabled ?? false,
    testMode: payments.provider === "test-mode",
    platformFeeBps: payments.platformFeeBps,
  };
}

/**
 * Asks Stripe for the shop's connected account now (after onboarding returns to the app, or when the
 * Connect webhook is not configured) and stores whether it can take charges. Without a connected
 * account there is nothing to ask: the status is returned as it is.
 */
export async function refreshPaymentAccount(
  db: Executor,
  payments: Pick<PaymentsService, "getConnectedAccount" | "provider" | "platformFeeBps">,
  actor: MemberActor,
  now: Date,
) {
  const row = await db
    .selectFrom("shopPaymentAccount")
    .select(["stripeAccountId", "chargesEnabled"])
    .where("organizationId", "=", actor.organizationId)
    .executeTakeFirst();
  if (!row)
    return { ...(await paymentAccountStatus(db, payments, actor.organizationId)), detailsSubmitted: false };
  const state = await payments.getConnectedAccount(row.stripeAccountId);
  if (state.chargesEnabled !== row.chargesEnabled) {
    await db
      .updateTable("shopPaymentAccount")
      .set({ chargesEnabled: state.chargesEnabled, updatedAt: now })
      .where("organizationId", "=", actor.organizationId)
      .execute();
    await recordAudit(db, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "shop.stripe_account_updated",
      subjectType: "organization",
      subjectId: actor.organizationId,
      data: { accountId: row.stripeAccountId, chargesEnabled: state.chargesEnabled },
    });
  }
  return {
    ...(await paymentAccountStatus(db, payments, actor.organizationId)),
    detailsSubmitted: state.detailsSubmitted,
  };
}

/** How an order is paid out, fixed when it is placed and stored on the order. */
export interface OrderPaymentTerms {
  /** The shop's connected Stripe account (charges enabled) the payment is transferred to, or null. */
  connectedAccountId: string | null;
  /** The platform fee rate at order time (STRIPE_PLATFORM_FEE_BPS) and the fee it gives on the total. */
  platformFeeBps: number;
  platformFeeMinor: number;
}

/**
 * The payout terms of a new order of `organizationId`: the platform keeps the configured fee of the
 * total; the rest goes to the shop's connected account when it can take charges (Stripe transfers it
 * and keeps the fee as `application_fee_amount`). Without one the platform collects the whole payment.
 */
export async function orderPaymentTerms(
  db: Executor,
  payments: Pick<PaymentsService, "platformFeeBps">,
  organizationId: string,
  totalMinor: number,
): Promise<OrderPaymentTerms> {
  const account = await db
    .selectFrom("shopPaymentAccount")
    .select(["stripeAccountId", "chargesEnabled"])
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return {
    connectedAccountId: account?.chargesEnabled ? account.stripeAccountId : null,
    platformFeeBps: payments.platformFeeBps,
    platformFeeMinor: platformFee(totalMinor, payments.platformFeeBps),
  };
}

/** The connected-account fields of a Checkout Session for stored terms (the fee is the stored one). */
export function checkoutTransfer(terms: OrderPaymentTerms) {
  return terms.connectedAccountId
    ? { connectedAccountId: terms.connectedAccountId, applicationFeeMinor: terms.platformFeeMinor }
    : {};
}
