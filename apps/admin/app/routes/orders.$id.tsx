import { randomUUID } from "node:crypto";
import { formatDateTime, formatMoney } from "@ktizo/api/shared";
import {
  Alert,
  actionErrors,
  Badge,
  Button,
  Card,
  errorCode,
  PageHeader,
  Section,
  SelectField,
  Table,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReauthField } from "~/components/reauth-field";
import { requirePlatformAdmin } from "~/lib/admin.server";
import { orderStatusLabel, orderStatusTone } from "~/lib/labels";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Order #${data?.order.number ?? ""} · Ktizo admin` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  try {
    const [order, reauth] = await Promise.all([
      api.admin.orders.get({ orderId: params.id ?? "" }),
      api.admin.session.reauth(),
    ]);
    // One key per rendered form: submitting it twice refunds once.
    return json({ order, requestKey: randomUUID(), reauth: reauth.required });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND") throw new Response("Not found", { status: 404 });
    throw error;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const form = await request.formData();
  const orderId = params.id ?? "";
  const mode = form.get("mode") === "partial" ? "partial" : "full";
  const reason = String(form.get("reason") ?? "");
  const requestKey = String(form.get("requestKey") ?? "");
  const password = String(form.get("password") ?? "") || undefined;
  try {
    const result = await api.admin.orders.refund(
      mode === "partial"
        ? { orderId, mode, amount: String(form.get("amount") ?? ""), reason, requestKey, password }
        : { orderId, mode, reason, requestKey, password },
    );
    const message = result.repeated
      ? "This refund was already made; nothing more was refunded."
      : result.full
        ? "The order is refunded in full. The customer and the shop are told."
        : "The refund went through. The customer and the shop are told.";
    return json({ message, formError: null, fieldErrors: {} as Record<string, string> });
  } catch (error) {
    return json({ message: null, ...actionErrors(error) }, { status: 400 });
  }
}

const KIND_TONE = {
  order: "blue",
  message: "slate",
  job: "slate",
  refund: "amber",
  dispute: "red",
  mismatch: "red",
} as const;

export default function OrderPage() {
  const { order: o, requestKey, reauth } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const money = (minor: number) => formatMoney(minor, o.currency);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/orders" className="text-brand-700 underline">
          All orders
        </Link>
      </p>
      <PageHeader
        title={`Order #${o.number}`}
        description={
          <>
            {o.shopName} · {o.customerName} ({o.customerEmail}) ·{" "}
            <Badge tone={orderStatusTone(o.status)}>{orderStatusLabel(o.status)}</Badge>
          </>
        }
      />
      {result?.message ? <Alert tone="success">{result.message}</Alert> : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <h2 className="mb-3 font-semibold">Money</h2>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3">
              {(
                [
                  ["Items", money(o.subtotalMinor)],
                  ["Shipping", money(o.shippingMinor)],
                  ["Tax", money(o.taxMinor)],
                  ["Total", money(o.totalMinor)],
                  ["Platform fee", money(o.platformFeeMinor)],
                  ["Captured", money(o.capturedMinor)],
                  ["Refunded", money(o.refundedMinor)],
                  ["Left to refund", money(o.refundableMinor)],
                  ["Placed", formatDateTime(o.createdAt)],
                  ["Paid", o.paidAt ? formatDateTime(o.paidAt) : "–"],
                  ["Payment", o.paymentIntentId ?? o.checkoutSessionId ?? "–"],
                  ["Paid out to", o.connectedAccountId ?? "the platform"],
                ] as const
              ).map(([label, value]) => (
                <div key={label} className="min-w-0">
                  <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
                  <dd className="break-words font-medium">{value}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-3 text-sm">
              Source: {o.source}
              {o.job ? ` · job #${o.job.number} (${o.job.status})` : " · no job yet"}
            </p>
          </Card>
          <Section id="lines" title="Lines">
            <Table caption="Order lines">
              <thead>
                <tr>
                  <Th>Item</Th>
                  <Th className="text-right">Quantity</Th>
                  <Th className="text-right">Total</Th>
                </tr>
              </thead>
              <tbody>
                {o.lines.length === 0 ? (
                  <tr>
                    <Td colSpan={3}>No lines.</Td>
                  </tr>
                ) : (
                  o.lines.map((l, i) => (
                    <tr key={i}>
                      <Td>{l.description}</Td>
                      <Td className="text-right">{l.quantity}</Td>
                      <Td className="text-right">{money(l.totalMinor)}</Td>
                    </tr>
                  ))
                )}
              </tbody>
            </Table>
          </Section>
          <Section id="disputes" title="Disputes">
            {o.disputes.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">No disputes.</p>
            ) : (
              <Table caption="Disputes">
                <thead>
                  <tr>
                    <Th>Dispute</Th>
                    <Th>Status</Th>
                    <Th>Evidence due</Th>
                    <Th className="text-right">Amount</Th>
                  </tr>
                </thead>
                <tbody>
                  {o.disputes.map((d) => (
                    <tr key={d.id}>
                      <Td>
                        <p className="font-medium">{d.reason.replaceAll("_", " ")}</p>
                        <p className="text-xs text-slate-600 dark:text-slate-400">{d.id}</p>
                      </Td>
                      <Td>
                        <Badge tone={d.status === "won" ? "green" : d.status === "lost" ? "red" : "amber"}>
                          {d.status.replaceAll("_", " ")}
                        </Badge>
                      </Td>
                      <Td className="whitespace-nowrap">
                        {d.evidenceDueAt ? formatDateTime(d.evidenceDueAt) : "–"}
                      </Td>
                      <Td className="text-right">{formatMoney(d.amountMinor, d.currency || o.currency)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Section>
          <Section id="timeline" title="Timeline">
            <ol className="space-y-3" aria-label="Order timeline">
              {o.timeline.map((e, i) => (
                <li key={i} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
                  <span className="whitespace-nowrap text-slate-600 dark:text-slate-400">
                    {formatDateTime(e.at)}
                  </span>
                  <Badge tone={KIND_TONE[e.kind]}>{e.kind}</Badge>
                  <span className="font-medium">{e.title}</span>
                  {e.detail ? <span className="text-slate-600 dark:text-slate-400">{e.detail}</span> : null}
                </li>
              ))}
            </ol>
          </Section>
        </div>
        <div className="min-w-0 space-y-6">
          <Card>
            <h2 className="mb-3 font-semibold">Refund</h2>
            {o.refundableMinor === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">Nothing is left to refund.</p>
            ) : (
              <Form method="post" className="space-y-3">
                <input type="hidden" name="requestKey" value={requestKey} />
                {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
                <SelectField label="Refund" name="mode" defaultValue="partial">
                  <option value="partial">Part of the payment</option>
                  <option value="full">Everything left ({money(o.refundableMinor)})</option>
                </SelectField>
                <TextField
                  label={`Amount (${o.currency.toUpperCase()})`}
                  name="amount"
                  inputMode="decimal"
                  hint={`For a partial refund: at most ${money(o.refundableMinor)}.`}
                  error={result?.fieldErrors.amount}
                />
                <TextField
                  label="Reason"
                  name="reason"
                  hint="Sent to the customer and the shop, and kept in the audit log."
                  error={result?.fieldErrors.reason}
                />
                <ReauthField required={reauth} error={result?.fieldErrors.password} />
                <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                  The money goes back to {o.customerEmail} through the payment provider
                  {o.connectedAccountId ? ", taken back from the shop's payout with the platform fee" : ""}.
                  It cannot be undone.
                </p>
                <Button type="submit" variant="danger" className="w-full">
                  Confirm: refund
                </Button>
              </Form>
            )}
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">Refunds</h2>
            {o.refunds.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">None from the console.</p>
            ) : (
              <ul className="space-y-2 text-sm">
                {o.refunds.map((r) => (
                  <li key={r.id}>
                    <span className="font-medium">{money(r.amountMinor)}</span>{" "}
                    <Badge
                      tone={r.status === "succeeded" ? "green" : r.status === "failed" ? "red" : "amber"}
                    >
                      {r.status}
                    </Badge>
                    <p className="text-slate-600 dark:text-slate-400">
                      {r.reason} · {r.actorName ?? "an admin"} · {formatDateTime(r.createdAt)}
                    </p>
                    {r.error ? <p className="text-red-700 dark:text-red-300">{r.error}</p> : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
