import { PLANS } from "@ktizo/api/shared";
import { orNotFound } from "@ktizo/runtime/remix";
import { Alert, actionErrors, Button, Card } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formText, refused } from "~/lib/forms";
import { requireOrg } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Test-mode customer portal · Ktizo" }];

/** Local test mode's stand-in for Stripe's customer portal (owners; with Stripe the portal is Stripe's). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, organization } = await requireOrg(request, context);
  if (organization.role !== "owner")
    throw new Response("Only the shop's owners can manage billing.", { status: 403 });
  if (context.runtime.services.payments.provider !== "test-mode")
    throw new Response("Not found", { status: 404 });
  const plan = await orNotFound(() => api.shop.plan.get());
  return json({ plan });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const intent = formText(form, "intent");
  try {
    if (intent === "switch") {
      await api.shop.plan.testPortal({ action: "switch", plan: formText(form, "plan") as "pro" | "studio" });
    } else if (intent === "cancel" || intent === "fail_payment" || intent === "pay") {
      await api.shop.plan.testPortal({ action: intent });
    }
  } catch (error) {
    return refused(intent, actionErrors(error));
  }
  return redirect("/org/plan");
}

export default function TestPortal() {
  const { plan } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">Customer portal</h1>
      <Alert tone="warning">
        Test mode: this page stands in for Stripe's customer portal. Nothing is charged.
      </Alert>
      {result && !result.ok ? <Alert tone="error">{result.formError}</Alert> : null}
      <Card className="space-y-3">
        <p>
          Current plan: <strong>{plan.plan.name}</strong>
        </p>
        {(["pro", "studio"] as const)
          .filter((key) => key !== plan.subscribedPlan)
          .map((key) => (
            <Form method="post" key={key}>
              <input type="hidden" name="intent" value="switch" />
              <input type="hidden" name="plan" value={key} />
              <Button type="submit" variant="secondary" className="w-full">
                Switch to {PLANS[key].name}
              </Button>
            </Form>
          ))}
        <Form method="post">
          <input type="hidden" name="intent" value="fail_payment" />
          <Button type="submit" variant="secondary" className="w-full">
            Simulate a failed payment
          </Button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="pay" />
          <Button type="submit" variant="secondary" className="w-full">
            Simulate a paid invoice
          </Button>
        </Form>
        <Form method="post">
          <input type="hidden" name="intent" value="cancel" />
          <Button type="submit" variant="danger" className="w-full">
            Cancel the subscription
          </Button>
        </Form>
        <Link to="/org/plan" className="block text-center text-sm underline">
          Back to your plan
        </Link>
      </Card>
    </div>
  );
}
