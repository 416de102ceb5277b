import { formatMoney } from "@ktizo/api/shared";
import { apiFor } from "@ktizo/runtime/remix";
import { Alert, Button, Card } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  type HeadersFunction,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { embedHeaders, isTestMode, payGuestOrderInTestMode } from "~/components/embed/server";
import { useFormat } from "~/lib/format";
import { visitorLocale } from "~/lib/locale.server";

export const meta: MetaFunction = () => [
  { title: "Your order · Ktizo" },
  // The token in the address is the guest's key to this page: keep it out of search engines.
  { name: "robots", content: "noindex" },
];

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) =>
  actionHeaders.has("Content-Security-Policy") ? actionHeaders : loaderHeaders;

/**
 * A guest's order (placed through a shop's widget), opened from the link in the guest's email: no
 * sign-in, the token in the link is the key. Anyone without the right token gets "not found". In test
 * mode an unpaid order can be paid here with the simulated payment.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const { api } = await apiFor(request, context);
  try {
    const order = await api.marketplace.embed.order({ orderId: params.orderId ?? "", token });
    const { checkoutSessionId: _s, ...view } = order;
    return json(
      { order: view, token, locale: visitorLocale(request), testMode: isTestMode(context) },
      // A top-level page: nobody may frame it.
      { headers: embedHeaders("frame-ancestors 'none'") },
    );
  } catch (e) {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) {
      throw new Response("Not found", { status: 404 });
    }
    throw e;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const orderId = params.orderId ?? "";
  const { api } = await apiFor(request, context);
  try {
    await payGuestOrderInTestMode(context, api, { orderId, token });
  } catch (e) {
    if (e instanceof TRPCError) throw new Response("Not found", { status: 404 });
    throw e;
  }
  return redirect(`${url.pathname}?token=${encodeURIComponent(token)}&paid=1`, {
    headers: embedHeaders("frame-ancestors 'none'"),
  });
}

export default function GuestOrder() {
  const { dateTime: formatDateTime } = useFormat();
  const { order, locale, testMode } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const money = (minor: number) => formatMoney(minor, order.currency, locale);
  return (
    <main id="main" className="mx-auto max-w-xl space-y-4 px-4 py-8">
      <h1 className="text-2xl font-bold">
        Order #{order.number} from {order.shop.name}
      </h1>
      <p className="text-lg">
        Status: <strong>{order.statusLabel}</strong>
      </p>
      {testMode ? <Alert tone="warning">Test mode: payments are simulated. No card is charged.</Alert> : null}
      {order.status === "pending_payment" && testMode ? (
        <Form method="post">
          <Button type="submit" disabled={busy}>
            Pay {money(order.totalMinor)} (test mode)
          </Button>
        </Form>
      ) : null}
      <Card>
        <table className="w-full text-sm">
          <caption className="sr-only">What you ordered</caption>
          <tbody>
            {order.lines.map((l) => (
              <tr key={l.description}>
                <th scope="row" className="py-1 text-left font-normal">
                  {l.quantity} × {l.description}
                </th>
                <td className="text-right tabular-nums">{money(l.totalMinor)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row" className="py-1 text-left font-normal">
                Shipping ({order.shippingOption.name})
              </th>
              <td className="text-right tabular-nums">{money(order.shippingMinor)}</td>
            </tr>
            <tr className="font-semibold">
              <th scope="row" className="py-1 text-left">
                Total
              </th>
              <td className="text-right tabular-nums">{money(order.totalMinor)}</td>
            </tr>
          </tbody>
        </table>
      </Card>
      <section aria-labelledby="ship-to">
        <h2 id="ship-to" className="font-semibold">
          Shipping to
        </h2>
        <p className="text-sm">
          {order.shippingAddress.name}, {order.shippingAddress.line1}
          {order.shippingAddress.line2 ? `, ${order.shippingAddress.line2}` : ""},{" "}
          {order.shippingAddress.postalCode} {order.shippingAddress.city}, {order.shippingAddress.country}
        </p>
      </section>
      <section aria-labelledby="timeline">
        <h2 id="timeline" className="font-semibold">
          History
        </h2>
        <ol className="mt-1 space-y-1 text-sm">
          {order.timeline.map((t) => (
            <li key={`${t.status}-${String(t.at)}`}>
              {formatDateTime(t.at)}: {t.label}
              {t.note ? ` (${t.note})` : ""}
            </li>
          ))}
        </ol>
      </section>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Questions about your order? Reply to the email from {order.shop.name}, or contact the shop on its
        website.
      </p>
    </main>
  );
}
