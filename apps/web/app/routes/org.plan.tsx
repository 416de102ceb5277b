import { PLAN_KEYS, PLANS, type Plan } from "@ktizo/api/shared";
import { Alert, actionErrors, Badge, Button, Card } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { formText, refused } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Plan · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const plan = await org.api.shop.plan.get();
  return json({ ...shellData(org), plan });
}

/** Owners subscribe through Checkout, or open the customer portal once subscribed. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  try {
    if (intent === "portal") return redirect((await api.shop.plan.portal()).url);
    const plan = formText(form, "plan") as "pro" | "studio";
    return redirect((await api.shop.plan.checkout({ plan })).url);
  } catch (error) {
    return refused(intent || "checkout", actionErrors(error));
  }
}

const limitText = (n: number | null, what: string) => (n === null ? `Unlimited ${what}` : `${n} ${what}`);

/** The shop's plan billed by the platform: what it allows, what the shop uses, and changing it. */
export default function ShopPlan() {
  const format = useFormat();
  const { plan: view, ...shell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const isOwner = shell.organization.role === "owner";
  const { plan, usage } = view;
  return (
    <ShopPage
      shell={shell}
      title="Plan"
      description="Your shop's plan on Ktizo, billed monthly by the platform through Stripe."
    >
      {params.get("subscribed") ? (
        <Alert tone="success">Thank you: your plan changes as soon as the payment is confirmed.</Alert>
      ) : null}
      {result && !result.ok ? <Alert tone="error">{result.formError}</Alert> : null}
      {view.graceEndsAt ? (
        <Alert tone="error">
          The last payment failed. Your shop keeps the {plan.name} plan until{" "}
          {format.dateTime(view.graceEndsAt)}: update your card in the customer portal before then.
        </Alert>
      ) : null}
      <Card>
        <h2 className="flex flex-wrap items-center gap-2 font-semibold">
          Current plan: {plan.name}
          {view.status === "trialing" ? <Badge tone="blue">Trial</Badge> : null}
          {view.status === "past_due" ? <Badge tone="red">Payment failed</Badge> : null}
        </h2>
        {view.status === "trialing" && view.trialEndsAt ? (
          <p className="mt-1 text-sm">The trial ends on {format.dateTime(view.trialEndsAt)}.</p>
        ) : null}
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <Usage label="Printers" used={usage.printers} limit={plan.limits.printers} />
          <Usage label="Team members" used={usage.seats} limit={plan.limits.seats} />
          <div>
            <dt className="text-slate-600 dark:text-slate-400">Quote widget</dt>
            <dd className="font-medium">
              {plan.limits.widget ? (usage.widget ? "On" : "Included") : "Not included"}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600 dark:text-slate-400">AI features</dt>
            <dd className="font-medium">{plan.limits.ai ? "Included" : "Not included"}</dd>
          </div>
        </dl>
        {isOwner && view.hasCustomer ? (
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="portal" />
            <Button type="submit" variant="secondary" disabled={busy}>
              Manage billing in the customer portal
            </Button>
          </Form>
        ) : null}
      </Card>
      <section aria-labelledby="plans-heading" className="space-y-3">
        <h2 id="plans-heading" className="font-semibold">
          Plans
        </h2>
        <ul className="grid gap-4 md:grid-cols-3">
          {PLAN_KEYS.map((key) => (
            <li key={key}>
              <PlanCard
                plan={PLANS[key]}
                current={plan.key === key}
                canChoose={isOwner && key !== "free" && !view.subscribedPlan && plan.key !== key}
                trial={view.trialAvailable}
                busy={busy}
              />
            </li>
          ))}
        </ul>
        {view.subscribedPlan && isOwner ? (
          <p className="text-sm">To change or cancel your plan, open the customer portal above.</p>
        ) : null}
        {!isOwner ? <p className="text-sm">Only the shop's owners can change the plan.</p> : null}
      </section>
    </ShopPage>
  );
}

function Usage({ label, used, limit }: { label: string; used: number; limit: number | null }) {
  return (
    <div>
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="font-medium">{limit === null ? `${used} (no limit)` : `${used} of ${limit}`}</dd>
    </div>
  );
}

function PlanCard({
  plan,
  current,
  canChoose,
  trial,
  busy,
}: {
  plan: Plan;
  current: boolean;
  canChoose: boolean;
  trial: boolean;
  busy: boolean;
}) {
  const format = useFormat();
  return (
    <Card className="flex h-full flex-col">
      <h3 className="flex items-center gap-2 font-semibold">
        {plan.name} {current ? <Badge tone="green">Current</Badge> : null}
      </h3>
      <p className="mt-1 text-lg">
        {plan.priceMinor === 0 ? "Free" : `${format.money(plan.priceMinor, plan.currency)} a month`}
      </p>
      <ul className="mt-3 flex-1 space-y-1 text-sm">
        <li>{limitText(plan.limits.printers, "printers")}</li>
        <li>{limitText(plan.limits.seats, "team members")}</li>
        <li>{plan.limits.widget ? "Quote widget for your site" : "No quote widget"}</li>
        <li>{plan.limits.ai ? "AI purchase-order reading" : "No AI features"}</li>
      </ul>
      {canChoose ? (
        <Form method="post" className="mt-4">
          <input type="hidden" name="intent" value="checkout" />
          <input type="hidden" name="plan" value={plan.key} />
          <Button type="submit" className="w-full" disabled={busy}>
            {trial ? `Start a free trial of ${plan.name}` : `Choose ${plan.name}`}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}
