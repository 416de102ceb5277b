import { PLANS } from "@ktizo/api/shared";
import { orNotFound } from "@ktizo/runtime/remix";
import { Alert, Button, Card } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useFormat } from "~/lib/format";
import { requireOrg } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Test-mode plan checkout · Ktizo" }];

/** Local test mode's stand-in for Stripe Checkout (subscription mode); with Stripe: 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const session = await orNotFound(() => api.shop.plan.testCheckout({ sessionId: params.sessionId ?? "" }));
  return json({ session, planName: PLANS[session.plan].name });
}

/** Pays it: the stand-in's signed subscription events go through the webhook handler. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  await orNotFound(() => api.shop.plan.completeTestCheckout({ sessionId: params.sessionId ?? "" }));
  return redirect("/org/plan?subscribed=1");
}

export default function TestPlanCheckout() {
  const { money } = useFormat();
  const { session, planName } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">Subscribe to {planName}</h1>
      <Alert tone="warning">Test mode: payments are simulated. No card is charged and no money moves.</Alert>
      <Card>
        <p className="text-lg">
          <strong>{money(session.amountMinor, session.currency)}</strong> a month
          {session.trialDays ? `, after a ${session.trialDays}-day free trial` : ""}.
        </p>
        {session.status === "open" ? (
          <Form method="post" className="mt-4">
            <Button type="submit" className="w-full">
              Subscribe (test mode)
            </Button>
          </Form>
        ) : (
          <p className="mt-4">
            This checkout is complete.{" "}
            <Link to="/org/plan" className="underline">
              Back to your plan
            </Link>
          </p>
        )}
      </Card>
    </div>
  );
}
