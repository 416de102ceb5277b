import { billing, workflows } from "@ktizo/api";
import { isTestModePayments } from "@ktizo/services";
import { Alert, Button, Card } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Test-mode payment · Ktizo" },
  { name: "robots", content: "noindex" },
];

/** The simulated checkout session of a portal payment; only the link's own document's payments open. */
async function testPayment(context: LoaderFunctionArgs["context"], token: string, sessionId: string) {
  const { runtime } = context;
  const payments = runtime.services.payments;
  if (!isTestModePayments(payments)) throw new Response("Not found", { status: 404 });
  const session = await payments.getTestSession(sessionId);
  if (!session) {
    throw new Response("There is no such test payment. Start again from your link.", {
      status: 404,
    });
  }
  try {
    await billing.portalPendingPayment(runtime.db, token, session.orderId, runtime.clock.now());
  } catch {
    throw new Response("Not found", { status: 404 });
  }
  return { session };
}

export async function loader({ context, params }: LoaderFunctionArgs) {
  const { session } = await testPayment(context, params.token ?? "", params.sessionId ?? "");
  return json({
    amount: billing.formatAmount(session.amountTotalMinor, session.currency.toUpperCase()),
    status: session.status,
  });
}

/**
 * Local test mode: the one test-payment completion (`workflows.completeTestPayment`): the same signed
 * `checkout.session.completed` event Stripe would send goes through the same webhook handler, so the
 * payment is settled by the real code path. The link's token was checked against the session's payment.
 */
export async function action({ context, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const { session } = await testPayment(context, token, params.sessionId ?? "");
  const { runtime } = context;
  await workflows.completeTestPayment(runtime.db, runtime.services, session.sessionId, runtime.clock.now());
  return redirect(`/portal/${token}?paid=1`);
}

export default function PortalTestPayment() {
  const data = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-md space-y-4 px-4 py-8">
      <h1 className="text-2xl font-bold">Pay {data.amount}</h1>
      <Alert tone="warning">Test mode: payments are simulated. No card is charged and no money moves.</Alert>
      <Card>
        <Form method="post">
          <Button type="submit" className="w-full">
            Pay {data.amount} (test mode)
          </Button>
        </Form>
      </Card>
    </main>
  );
}
