import { marketplace } from "@ktizo/api";
import { requireSession } from "@ktizo/runtime/remix";
import { Alert, actionErrors, Button, Section, TextField } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { ShopMessages } from "~/components/ai/reply-suggestion";
import { recordSentDraft } from "~/components/ai/reply-suggestion.server";
import { readMessageForm } from "~/components/marketplace/message-form.server";
import { ScaleNote } from "~/components/marketplace/scale-note";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Marketplace order · Ktizo" }];

/** The fulfilling shop's view of a marketplace order: what it needs to fulfil it and nothing more. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const orderId = params.orderId ?? "";
  try {
    const order = await api.marketplace.shop.order({ orderId });
    const [messages, ai] = await Promise.all([
      api.marketplace.shop.messages({ orderId }),
      api.ai.available(),
    ]);
    return json({
      ...shellData(org),
      aiAvailable: ai.available,
      order,
      statusLabel: marketplace.ORDER_STATUS_LABELS[order.status],
      messages,
    });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND")
      throw new Response("Order not found", { status: 404 });
    throw e;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireSession(request, context);
  const orderId = params.orderId ?? "";
  try {
    if (request.headers.get("content-type")?.startsWith("multipart/")) {
      const read = await readMessageForm(request, orderId);
      if ("error" in read) return json({ error: read.error ?? null }, { status: 400 });
      await api.marketplace.shop.sendMessage(read.input);
      await recordSentDraft(api, orderId, read.form, read.input.body);
      return redirect(`/orders/shop/${orderId}#messages`);
    }
    const form = await request.formData();
    await api.marketplace.shop.markShipped({
      orderId,
      trackingNumber: String(form.get("trackingNumber") ?? "").trim() || null,
    });
    return redirect(`/orders/shop/${orderId}`);
  } catch (e) {
    if (e instanceof TRPCError)
      return json({ error: actionErrors(e).formError ?? e.message }, { status: 400 });
    throw e;
  }
}

export default function ShopOrderPage() {
  const { money: formatMoney, dateTime: formatDateTime } = useFormat();
  const { order, statusLabel, messages, aiAvailable, ...shell } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const a = order.shippingAddress;
  return (
    <ShopPage shell={shell} title={`Marketplace order #${order.number}`}>
      {data?.error ? <Alert tone="error">{data.error}</Alert> : null}
      <p>
        Status: <strong data-testid="shop-order-status">{statusLabel}</strong>
        {order.jobId ? (
          <Link to={`/org/jobs/${order.jobId}`} className="ml-3 text-sm text-brand-600 hover:underline">
            Open the job
          </Link>
        ) : null}
      </p>
      <Section id="fulfil" title="Ship to">
        <p className="text-sm">
          {order.customerName} ({order.customerEmail})
          <br />
          {a.name}, {a.line1}
          {a.line2 ? `, ${a.line2}` : ""}, {a.postalCode} {a.city}
          {a.region ? `, ${a.region}` : ""}, {a.country}
          <br />
          {order.shippingOption.name} · paid {order.paidAt ? formatDateTime(order.paidAt) : "—"}
        </p>
        <ul className="mt-2 text-sm">
          {order.lines.map((l) => (
            <li key={l.description}>
              {l.description} × {l.quantity}: {formatMoney(l.totalMinor, order.currency)}
              <ScaleNote scale={l.scale} testId="line-scale" />
            </li>
          ))}
        </ul>
        <dl className="mt-2 grid max-w-md grid-cols-2 gap-x-4 text-sm" data-testid="shop-order-money">
          <dt>Order total</dt>
          <dd className="text-right">{formatMoney(order.totalMinor, order.currency)}</dd>
          <dt>Platform fee ({order.platformFeeBps / 100} %)</dt>
          <dd className="text-right">−{formatMoney(order.platformFeeMinor, order.currency)}</dd>
          <dt className="font-semibold">Your share</dt>
          <dd className="text-right font-semibold">{formatMoney(order.shopShareMinor, order.currency)}</dd>
          {order.refundMinor > 0 ? (
            <>
              <dt>
                {order.refundConfirmed ? "Refunded to the customer" : "Refund to the customer (issued)"}
              </dt>
              <dd className="text-right" data-testid="shop-order-refund">
                −{formatMoney(order.refundMinor, order.currency)}
              </dd>
            </>
          ) : null}
        </dl>
        {order.status === "paid" || order.status === "in_production" ? (
          <Form method="post" className="mt-3 flex items-end gap-2">
            <TextField label="Tracking number" name="trackingNumber" />
            <Button type="submit">Mark shipped</Button>
          </Form>
        ) : order.status === "shipped" && !order.trackingNumber ? (
          // Moved to shipped on the board: the tracking number follows here (sent to the customer).
          <Form method="post" className="mt-3 flex items-end gap-2">
            <TextField label="Tracking number" name="trackingNumber" />
            <Button type="submit">Add tracking number</Button>
          </Form>
        ) : (
          <p className="mt-2 text-sm">Tracking number: {order.trackingNumber ?? "—"}</p>
        )}
      </Section>
      <Section id="messages" title="Messages with the customer">
        <ShopMessages
          orderId={order.id}
          messages={messages}
          otherName={order.customerName}
          attachmentBase={`/orders/shop/${order.id}/attachments`}
          aiAvailable={aiAvailable}
        />
      </Section>
    </ShopPage>
  );
}
