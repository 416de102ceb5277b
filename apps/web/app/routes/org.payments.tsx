import { Alert, actionErrors, Badge, Button, errorCode, Section } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OrgShell } from "~/components/org-shell";
import { requireOrgAdmin, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Payments · Ktizo" }];

/** Basis points as a percentage ("7.5 %"). */
function percent(bps: number): string {
  return `${Math.round(bps) / 100} %`;
}

/**
 * The shop's payouts: connect its Stripe account (Stripe Connect onboarding) so marketplace payments
 * go to it and the platform keeps its fee. In local test mode there is no Stripe: connecting is
 * simulated and labelled so. Owners connect; admins see the status; members are told who can.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrgAdmin(request, context, "Payments");
  const returned = new URL(request.url).searchParams.get("stripe");
  let account: Awaited<ReturnType<typeof org.api.marketplace.shop.paymentAccount>> | null = null;
  try {
    account = await org.api.marketplace.shop.paymentAccount();
    // Back from Stripe's onboarding: ask Stripe now rather than wait for its account webhook.
    if (returned === "connected" && account.connected && !account.chargesEnabled && !account.testMode) {
      account = await org.api.marketplace.shop.refreshStripeAccount();
    }
  } catch (error) {
    if (errorCode(error) !== "FORBIDDEN") throw error;
  }
  return json({
    ...shellData(org),
    account,
    returned: returned === "connected" || returned === "refresh" ? returned : null,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrgAdmin(request, context, "Payments");
  const form = await request.formData();
  try {
    if (form.get("intent") === "refresh") {
      await api.marketplace.shop.refreshStripeAccount();
      return redirect("/org/payments");
    }
    const link = await api.marketplace.shop.connectStripe();
    // Test mode: straight back here; Stripe: its onboarding, which returns to /org/payments.
    return redirect(link.url);
  } catch (error) {
    const forbidden =
      form.get("intent") === "refresh"
        ? "Only the shop's owners and admins can do that."
        : "Only the shop's owner can connect Stripe.";
    return json(actionErrors(error, forbidden), { status: 400 });
  }
}

export default function OrgPayments() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { account } = data;
  const isOwner = data.organization.role === "owner";
  return (
    <OrgShell organization={data.organization} memberships={data.memberships}>
      <h1 className="sr-only">Payments</h1>
      <Section
        id="stripe-heading"
        title="Connect Stripe"
        description="Marketplace customers pay through Stripe Checkout. With your Stripe account connected, Stripe transfers each payment to you and the platform keeps its fee."
      >
        {account === null ? (
          <Alert tone="info">Only the shop's owners and admins can see its payouts.</Alert>
        ) : (
          <div className="space-y-4" data-testid="payments-status">
            {account.testMode ? (
              <Alert tone="warning">
                <strong>Test mode:</strong> no Stripe account is configured on this server, so payments and
                connecting are simulated. No real money moves.
              </Alert>
            ) : null}
            {data.returned === "connected" && account.connected && !account.chargesEnabled ? (
              <Alert tone="info">
                Thanks: Stripe is checking your details. Payments reach your account once Stripe enables
                charges; this page shows it when it does.
              </Alert>
            ) : null}
            {data.returned === "refresh" ? (
              <Alert tone="warning">The Stripe link expired before you finished. Continue below.</Alert>
            ) : null}
            {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
            <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
              <div>
                <dt className="text-slate-500 dark:text-slate-400">Stripe account</dt>
                <dd className="mt-1">
                  {account.chargesEnabled ? (
                    <Badge tone="green">Connected, receiving payments</Badge>
                  ) : account.connected ? (
                    <Badge tone="amber">Onboarding not finished</Badge>
                  ) : (
                    <Badge tone="slate">Not connected</Badge>
                  )}
                  {account.testMode && account.connected ? (
                    <span className="ml-2">
                      <Badge tone="blue">Test mode</Badge>
                    </span>
                  ) : null}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500 dark:text-slate-400">Platform fee on new orders</dt>
                <dd className="mt-1 font-semibold" data-testid="platform-fee-rate">
                  {percent(account.platformFeeBps)} of the order total
                </dd>
              </div>
              <div>
                <dt className="text-slate-500 dark:text-slate-400">Until connected</dt>
                <dd className="mt-1">
                  {account.chargesEnabled
                    ? "—"
                    : "Payments are collected by the platform and paid out to you separately."}
                </dd>
              </div>
            </dl>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              Each order keeps the fee it was placed with; your share is shown on the order (
              <Link to="/orders/shop" className="text-brand-600 underline">
                marketplace orders
              </Link>
              ).
            </p>
            {account.connected && !account.chargesEnabled && !account.testMode ? (
              <Form method="post">
                <input type="hidden" name="intent" value="refresh" />
                <Button type="submit" variant="secondary" disabled={busy}>
                  Check the status with Stripe
                </Button>
              </Form>
            ) : null}
            {account.chargesEnabled ? null : isOwner ? (
              <Form method="post">
                <Button type="submit" disabled={busy}>
                  {account.connected
                    ? "Continue Stripe onboarding"
                    : account.testMode
                      ? "Connect Stripe (test mode)"
                      : "Connect Stripe"}
                </Button>
              </Form>
            ) : (
              <p className="text-sm">Only the shop's owner can connect Stripe.</p>
            )}
          </div>
        )}
      </Section>
    </OrgShell>
  );
}
