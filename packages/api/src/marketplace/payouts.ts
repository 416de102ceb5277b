import { recordAudit } from "@ktizo/db";
import type { PaymentsService } from "@ktizo/services";
import { z } from "zod";
import type { Executor, MemberActor } from "../shop/common.ts";

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
    refreshUrl: new URL("/shop/settings?stripe=refresh", input.baseUrl).toString(),
    returnUrl: new URL("/shop/settings?stripe=connected", input.baseUrl).toString(),
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
  return { url: testMode ? "/shop/settings?stripe=connected" : link.url, testMode };
}

export async function paymentAccountStatus(db: Executor, organizationId: string) {
  const row = await db
    .selectFrom("shopPaymentAccount")
    .select(["stripeAccountId", "chargesEnabled"])
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return { connected: row !== undefined, chargesEnabled: row?.chargesEnabled ?? false };
}
