import { formatMoney } from "@ktizo/api/shared";
import { Alert, actionErrors, Button, PageHeader, SelectField, TextField } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/bar-chart";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, session } = await requirePlatformAdmin(request, context);
  const params = new URL(request.url).searchParams;
  const asked = {
    bucket: params.get("bucket") === "week" ? ("week" as const) : ("day" as const),
    from: params.get("from") || undefined,
    to: params.get("to") || undefined,
  };
  let error: ReturnType<typeof actionErrors> | null = null;
  let dashboard: Awaited<ReturnType<typeof api.admin.dashboard.get>>;
  try {
    dashboard = await api.admin.dashboard.get(asked);
  } catch (e) {
    // A bad range is explained beside the form; the default range is shown meanwhile.
    error = actionErrors(e, "The range could not be shown.");
    dashboard = await api.admin.dashboard.get({ bucket: asked.bucket });
  }
  const plans = await api.admin.dashboard.plans();
  return json({ email: session.email, services: context.runtime.describe(), dashboard, plans, error });
}

const percent = (bps: number | null) => (bps === null ? "–" : `${(bps / 100).toFixed(1)}%`);

export default function Dashboard() {
  const { email, services, dashboard: d, plans, error } = useLoaderData<typeof loader>();
  const series = (key: "signups" | "activeShops" | "quotes" | "orders" | "refunds" | "disputes") =>
    d.periods.map((p) => ({ label: p.start, value: p[key] }));
  const figures: [string, string][] = [
    ["Sign-ups", String(d.totals.signups)],
    ["Active shops", String(d.totals.activeShops)],
    ["Quotes", String(d.totals.quotes)],
    ["Orders", String(d.totals.orders)],
    ["Quote → order", percent(d.totals.conversionBps)],
    ["Refunds", String(d.totals.refunds)],
    ["Disputes", String(d.totals.disputes)],
  ];
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`The platform from ${d.from} to ${d.to} (UTC), by ${d.bucket}. Signed in as ${email}.`}
      />
      <Form method="get" className="mb-6 grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap">
        <TextField
          label="From"
          name="from"
          type="date"
          defaultValue={d.from}
          error={error?.fieldErrors.from}
        />
        <TextField label="To" name="to" type="date" defaultValue={d.to} error={error?.fieldErrors.to} />
        <SelectField label="Group by" name="bucket" defaultValue={d.bucket}>
          <option value="day">Day</option>
          <option value="week">Week (from Monday)</option>
        </SelectField>
        <Button type="submit">Show</Button>
      </Form>
      {error?.formError ? <Alert tone="error">{error.formError}</Alert> : null}
      <section aria-labelledby="totals-heading" className="mb-8">
        <h2 id="totals-heading" className="sr-only">
          Totals
        </h2>
        <Figures items={figures} className="sm:grid-cols-4 xl:grid-cols-7" />
      </section>
      <section aria-labelledby="activity-heading" className="mb-8">
        <h2 id="activity-heading" className="mb-3 font-semibold">
          Activity
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          <BarChart title="Sign-ups" points={series("signups")} />
          <BarChart title="Active shops" points={series("activeShops")} />
          <BarChart title="Quotes" points={series("quotes")} />
          <BarChart title="Orders (paid)" points={series("orders")} tone="emerald" />
          <BarChart
            title="Quote → order conversion"
            points={d.periods.map((p) => ({ label: p.start, value: p.conversionBps ?? 0 }))}
            format={(v) => percent(v)}
          />
          <BarChart title="Refunds" points={series("refunds")} tone="amber" />
          <BarChart title="Disputes" points={series("disputes")} tone="red" />
        </div>
      </section>
      <section aria-labelledby="money-heading" className="mb-8">
        <h2 id="money-heading" className="mb-3 font-semibold">
          Money, per currency
        </h2>
        {d.money.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No paid orders in this range.</p>
        ) : (
          d.money.map((m) => {
            const code = m.currency.toUpperCase();
            const money = (v: number) => formatMoney(v, m.currency);
            return (
              <div key={m.currency} className="mb-6">
                <h3 className="mb-2 text-sm font-semibold">
                  {code}: gross {money(m.totals.grossMinor)}, platform fees {money(m.totals.feesMinor)},
                  refunded {money(m.totals.refundedMinor)}
                </h3>
                <div className="grid gap-4 lg:grid-cols-2">
                  <BarChart
                    title={`Gross order value (${code})`}
                    points={m.periods.map((p) => ({ label: p.start, value: p.grossMinor }))}
                    format={money}
                    tone="emerald"
                  />
                  <BarChart
                    title={`Platform fees (${code})`}
                    points={m.periods.map((p) => ({ label: p.start, value: p.feesMinor }))}
                    format={money}
                  />
                </div>
              </div>
            );
          })
        )}
      </section>
      <section aria-labelledby="plans-heading" className="mb-8">
        <h2 id="plans-heading" className="mb-3 font-semibold">
          Shop plans
        </h2>
        <Figures
          className="sm:grid-cols-4"
          items={[
            ["Subscribers", String(plans.subscribers)],
            ["In trial", String(plans.trialing)],
            ["Payment failed", String(plans.pastDue)],
            [
              "Monthly recurring revenue",
              plans.mrr.length
                ? plans.mrr.map((m) => formatMoney(m.amountMinor, m.currency)).join(" + ")
                : "None yet",
            ],
          ]}
        />
        {plans.byPlan.length ? (
          <p className="mt-2 text-sm">
            {plans.byPlan.map((p) => `${p.plan}: ${p.shops} shop${p.shops === 1 ? "" : "s"}`).join(" · ")}
          </p>
        ) : null}
      </section>
      <h2 className="mb-2 font-semibold">Services</h2>
      <ul className="list-inside list-disc text-sm text-slate-700 dark:text-slate-300">
        {services.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}

/** The dashboard's headline figures, one tile each. */
function Figures({ items, className }: { items: string[][]; className: string }) {
  return (
    <dl className={`grid grid-cols-2 gap-3 ${className}`}>
      {items.map(([label, value]) => (
        <div
          key={label}
          className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800"
        >
          <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="mt-1 text-2xl font-semibold">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
