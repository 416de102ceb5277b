import { workflows } from "@ktizo/api";
import { requireSession } from "@ktizo/runtime/remix";
import { isTestModePayments } from "@ktizo/services";
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

export const meta: MetaFunction = () => [{ title: "Test-mode payment · Ktizo" }];

async function testSession(context: LoaderFunctionArgs["context"], sessionId: string) {
  const payments = context.runtime.services.payments;
  if (!isTestModePayments(payments)) throw new Response("Not found", { status: 404 });
  const session = await payments.getTestSession(sessionId);
  if (!session)
    throw new Response("There is no such test payment. Start checkout again.", {
      status: 404,
    });
  return { payments, session };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const { session } = await testSession(context, params.sessionId ?? "");
  await api.marketplace.orders.get({ orderId: session.orderId }); // NOT_FOUND for anyone but the buyer
  return json({
    amountMinor: session.amountTotalMinor,
    currency: session.currency,
    status: session.status,
    orderId: session.orderId,
  });
}

/** Simulated payment: the marketplace's one test-payment completion (the real webhook path). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const { session } = await testSession(context, params.sessionId ?? "");
  await api.marketplace.orders.get({ orderId: session.orderId });
  const { runtime } = context;
  await workflows.completeTestPayment(runtime.db, runtime.services, session.sessionId, runtime.clock.now());
  return redirect(`/orders/${session.orderId}?paid=1`);
}

export default function TestCheckout() {
  const { money: formatMoney } = useFormat();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold">Pay for your order</h1>
      <Alert tone="warning">Test mode: payments are simulated. No card is charged and no money moves.</Alert>
      <Card>
        <p className="text-lg">
          Total: <strong>{formatMoney(data.amountMinor, data.currency)}</strong>
        </p>
        {data.status === "open" ? (
          <Form method="post" className="mt-4">
            <Button type="submit" className="w-full">
              Pay {formatMoney(data.amountMinor, data.currency)} (test mode)
            </Button>
          </Form>
        ) : (
          <p className="mt-4" data-testid="checkout-closed">
            {data.status === "expired"
              ? "This checkout was closed because the order was cancelled: nothing can be paid here."
              : "This order is paid."}{" "}
            <Link to={`/orders/${data.orderId}`} className="underline">
              Open the order
            </Link>
          </p>
        )}
      </Card>
    </div>
  );
}
