import { Alert, buttonClass, errorCode, Section, Table, Td, TextField, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { monthsBetween, RevenueChart } from "~/components/billing/revenue-chart";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Billing reports · Ktizo" }];

const BUCKETS = [
  ["current", "Not yet due"],
  ["1-30", "1–30 days"],
  ["31-60", "31–60 days"],
  ["61-90", "61–90 days"],
  ["90+", "Over 90 days"],
] as const;

const isDay = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  // Today (the API's clock) is the aging report's day; the chart shows the twelve months up to it.
  const aging = await org.api.billing.reports.aging({});
  const to = isDay(params.get("to")) ? (params.get("to") as string) : aging.asOf;
  const yearAgo = `${Number(to.slice(0, 4)) - 1}-${to.slice(5, 7)}-01`;
  const from = isDay(params.get("from")) ? (params.get("from") as string) : yearAgo;
  type Revenue = Awaited<ReturnType<typeof org.api.billing.reports.revenue>>;
  let revenue: Revenue = [];
  let error: string | null = null;
  try {
    revenue = await org.api.billing.reports.revenue({ from, to });
  } catch (e) {
    if (errorCode(e) !== "BAD_REQUEST") throw e;
    error = "The start comes after the end.";
  }
  return json({ ...shellData(org), aging, revenue, from, to, error });
}

export default function Reports() {
  const { money } = useFormat();
  const { aging, revenue, from, to, error, ...shell } = useLoaderData<typeof loader>();
  const currencies = [...new Set(revenue.map((r) => r.currency))];
  const months = monthsBetween(from, to);
  const range = new URLSearchParams({ from, to }).toString();
  return (
    <ShopPage
      shell={shell}
      title="Billing reports"
      description="What customers owe and how late, what was invoiced and received, and exports for your bookkeeper."
    >
      <Section
        id="aging-heading"
        title="Aging"
        description={`Open balances of issued invoices on ${aging.asOf}.`}
      >
        {aging.currencies.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing is owed.</p>
        ) : (
          <Table caption="Open balances by days past due">
            <thead>
              <tr>
                <Th>Currency</Th>
                {BUCKETS.map(([key, label]) => (
                  <Th key={key} className="text-right">
                    {label}
                  </Th>
                ))}
              </tr>
            </thead>
            <tbody>
              {aging.currencies.map((c) => (
                <tr key={c.currency}>
                  <Td>{c.currency}</Td>
                  {BUCKETS.map(([key]) => (
                    <Td key={key} className="text-right tabular-nums" data-bucket={key}>
                      {money(c.buckets[key].minor, c.currency)}
                      <span className="block text-xs text-slate-500">
                        {c.buckets[key].count} invoice{c.buckets[key].count === 1 ? "" : "s"}
                      </span>
                    </Td>
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
      <Section id="revenue-heading" title="Revenue per month">
        <Form method="get" aria-label="Revenue period" className="mb-4 flex flex-wrap items-end gap-3">
          <TextField label="From" name="from" type="date" defaultValue={from} />
          <TextField label="To" name="to" type="date" defaultValue={to} />
          <button type="submit" className={buttonClass("secondary")}>
            Show
          </button>
        </Form>
        {error ? <Alert tone="error">{error}</Alert> : null}
        {currencies.length === 0 && !error ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No invoices or payments in this period.
          </p>
        ) : null}
        <div className="space-y-6">
          {currencies.map((currency) => {
            const rows = revenue.filter((r) => r.currency === currency);
            const series = (months.length ? months : rows.map((r) => r.month)).map(
              (month) =>
                rows.find((r) => r.month === month) ?? {
                  month,
                  currency,
                  invoicedMinor: 0,
                  receivedMinor: 0,
                },
            );
            return (
              <div key={currency} className="space-y-3">
                <h3 className="text-sm font-semibold">{currency}</h3>
                <RevenueChart currency={currency} months={series} />
                <Table caption={`Revenue per month in ${currency}`}>
                  <thead>
                    <tr>
                      <Th>Month</Th>
                      <Th className="text-right">Invoiced</Th>
                      <Th className="text-right">Received</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.month}>
                        <Td>{r.month}</Td>
                        <Td className="text-right tabular-nums">{money(r.invoicedMinor, currency)}</Td>
                        <Td className="text-right tabular-nums">{money(r.receivedMinor, currency)}</Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </div>
            );
          })}
        </div>
      </Section>
      <Section
        id="exports-heading"
        title="Exports"
        description={`Issued invoices and credit notes from ${from} to ${to}, as CSV.`}
      >
        <div className="flex flex-wrap gap-3">
          <a href={`/org/reports/export?format=plain&${range}`} className={buttonClass("secondary")} download>
            CSV (spreadsheet)
          </a>
          <a
            href={`/org/reports/export?format=quickbooks&${range}`}
            className={buttonClass("secondary")}
            download
          >
            QuickBooks Online import
          </a>
          <a href={`/org/reports/export?format=xero&${range}`} className={buttonClass("secondary")} download>
            Xero import
          </a>
        </div>
      </Section>
    </ShopPage>
  );
}
