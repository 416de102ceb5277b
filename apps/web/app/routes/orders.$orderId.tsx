import { requireSession } from "@ktizo/runtime/remix";
import { Alert, actionErrors, Button, Card, Section, SelectField } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { readMessageForm } from "~/components/marketplace/message-form.server";
import { MessageThread } from "~/components/marketplace/message-thread";
import { ScaleNote } from "~/components/marketplace/scale-note";
import { useFormat } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Order · Ktizo" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const orderId = params.orderId ?? "";
  try {
    const order = await api.marketplace.orders.get({ orderId });
    const messages = await api.marketplace.orders.messages({ orderId });
    return json({ order, messages });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND")
      throw new Response("Order not found", { status: 404 });
    throw e;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const orderId = params.orderId ?? "";
  const isMultipart = request.headers.get("content-type")?.startsWith("multipart/") ?? false;
  try {
    if (isMultipart) {
      const read = await readMessageForm(request, orderId);
      if ("error" in read) return json({ error: read.error ?? null }, { status: 400 });
      await api.marketplace.orders.sendMessage(read.input);
      return redirect(`/orders/${orderId}#messages`);
    }
    const form = await request.formData();
    const intent = String(form.get("intent"));
    if (intent === "cancel") await api.marketplace.orders.cancel({ orderId });
    else if (intent === "delivered") await api.marketplace.orders.confirmDelivery({ orderId });
    else if (intent === "reorder") {
      await api.marketplace.orders.reorder({ orderId });
      return redirect("/cart");
    } else if (intent === "review") {
      await api.marketplace.orders.review({
        orderId,
        rating: Number.parseInt(String(form.get("rating") ?? "0"), 10),
        body: String(form.get("body") ?? ""),
      });
    }
    return redirect(`/orders/${orderId}`);
  } catch (e) {
    if (e instanceof TRPCError)
      return json({ error: actionErrors(e).formError ?? e.message }, { status: 400 });
    throw e;
  }
}

export default function OrderPage() {
  const { money: formatMoney, dateTime: formatDateTime } = useFormat();
  const { order, messages } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">
        Order #{order.number} from{" "}
        <Link to={`/shops/${order.shop.slug}`} className="text-brand-600 hover:underline">
          {order.shop.name}
        </Link>
      </h1>
      {params.get("paid") && order.status === "pending_payment" ? (
        <Alert tone="info">We are waiting for the payment confirmation. Refresh in a moment.</Alert>
      ) : null}
      {data?.error ? <Alert tone="error">{data.error}</Alert> : null}
      <p className="text-lg">
        Status: <strong data-testid="order-status">{order.statusLabel}</strong>
        {order.trackingNumber ? (
          <span className="ml-3 text-sm">
            Tracking number: <strong>{order.trackingNumber}</strong>
          </span>
        ) : null}
      </p>
      <Section id="timeline" title="Timeline">
        <ol className="space-y-1 text-sm" aria-label="Order timeline">
          {order.timeline.map((t, i) => (
            <li key={`${t.status}-${i}`}>
              <strong>{t.label}</strong> · {formatDateTime(t.at)}
              {t.note ? ` · ${t.note}` : ""}
            </li>
          ))}
        </ol>
      </Section>
      <Section id="receipt" title="Receipt">
        <ul className="text-sm">
          {order.lines.map((l) => (
            <li key={l.description}>
              {l.description} × {l.quantity}: {formatMoney(l.totalMinor, order.currency)}
              <ScaleNote scale={l.scale} testId="line-scale" />
            </li>
          ))}
          <li>
            Shipping ({order.shippingOption.name}): {formatMoney(order.shippingMinor, order.currency)}
          </li>
          <li>Tax included: {formatMoney(order.taxMinor, order.currency)}</li>
          <li className="font-semibold">Total: {formatMoney(order.totalMinor, order.currency)}</li>
          {order.refundedMinor > 0 ? (
            <li>Refunded: {formatMoney(order.refundedMinor, order.currency)}</li>
          ) : null}
        </ul>
        {order.sharedFiles.length > 0 ? (
          <>
            <h3 className="mt-4 text-sm font-semibold">Files and photos from the shop</h3>
            <ul className="mt-1 text-sm" aria-label="Files from the shop">
              {order.sharedFiles.map((f) => (
                <li key={f.id}>
                  <a href={`/orders/${order.id}/files/${f.id}`} className="text-brand-600 underline" download>
                    {f.fileName}
                  </a>{" "}
                  <span className="text-xs text-slate-500">({f.kind})</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="mt-2 text-sm">
          Ship to {order.shippingAddress.name}, {order.shippingAddress.line1},{" "}
          {order.shippingAddress.postalCode} {order.shippingAddress.city}, {order.shippingAddress.country}
        </p>
      </Section>
      <div className="flex flex-wrap gap-2">
        {order.canCancel ? (
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <Button type="submit" variant="danger">
              Cancel order
            </Button>
          </Form>
        ) : null}
        {order.canConfirmDelivery ? (
          <Form method="post">
            <input type="hidden" name="intent" value="delivered" />
            <Button type="submit">I received my order</Button>
          </Form>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="reorder" />
          <Button type="submit" variant="secondary">
            Order again
          </Button>
        </Form>
      </div>
      {order.canReview ? (
        <Section id="review" title="Review the shop">
          <Form method="post" className="space-y-2">
            <input type="hidden" name="intent" value="review" />
            <SelectField label="Stars" name="rating" defaultValue="5">
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {n} {n === 1 ? "star" : "stars"}
                </option>
              ))}
            </SelectField>
            <label htmlFor="review-body" className="block text-sm font-medium">
              Your review
            </label>
            <textarea
              id="review-body"
              name="body"
              rows={3}
              className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
            />
            <Button type="submit">Publish review</Button>
          </Form>
        </Section>
      ) : null}
      {order.review ? (
        <Card>
          Your review: {"★".repeat(order.review.rating)} {order.review.body}
        </Card>
      ) : null}
      <Section id="messages" title={`Messages with ${order.shop.name}`}>
        <MessageThread
          messages={messages}
          otherName={order.shop.name}
          attachmentBase={`/orders/${order.id}/attachments`}
        />
      </Section>
    </div>
  );
}
