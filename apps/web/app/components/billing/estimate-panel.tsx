import { Alert, Badge, TextField } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";
import { EstimateForm, type EstimateLine } from "./estimate-form";
import type { JobBillingData } from "./types";

const ESTIMATE_STATUS: Record<string, { label: string; tone: "slate" | "blue" | "green" | "amber" | "red" }> =
  {
    draft: { label: "Draft", tone: "slate" },
    sent: { label: "Sent", tone: "blue" },
    approved: { label: "Approved", tone: "green" },
    changes_requested: { label: "Changes requested", tone: "amber" },
    declined: { label: "Declined", tone: "red" },
  };

/** The job's estimate: write one, see its versions, send it, revise it until the customer approves. */
export function EstimatePanel({
  billing,
  job,
  data,
}: {
  billing: JobBillingData;
  job: {
    currency: string;
    customerEmail: string | null;
    items: { id: string; description: string; quantity: number; unitPriceMinor: number }[];
  };
  data: FormResult | undefined;
}) {
  const { money, day: date, dateTime } = useFormat();
  const e = billing.estimate;
  const rateIdOf = (name: string, bps: number) =>
    billing.taxRates.find((r) => r.name === name && r.rateBps === bps)?.id ?? null;
  if (!e) {
    const lines: EstimateLine[] = job.items.map((i) => ({
      description: i.description,
      quantity: i.quantity,
      unitPriceMinor: i.unitPriceMinor,
      discountBps: 0,
      taxRateId: null,
      jobItemId: i.id,
    }));
    return (
      <div>
        <h3 className="mb-2 text-sm font-semibold">Write an estimate</h3>
        <EstimateForm
          intent="estimateCreate"
          submit="Save estimate"
          data={data}
          currency={job.currency}
          taxRates={billing.taxRates}
          spare={lines.length ? 1 : 3}
          defaults={{
            lines,
            discount: null,
            shippingMinor: 0,
            shippingTaxRateId: null,
            deposit: null,
            validUntil: null,
            notes: "",
          }}
        />
      </div>
    );
  }
  const v = e.current;
  const status = ESTIMATE_STATUS[e.status] ?? { label: e.status, tone: "slate" as const };
  const revisable = e.status !== "approved";
  const created = resultFor(data, "estimateCreate")?.message;
  return (
    <div className="space-y-4">
      {created ? <Alert tone="success">{created}</Alert> : null}
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold">Estimate, version {e.currentVersion}</h3>
        <Badge tone={status.tone}>{status.label}</Badge>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-slate-500 dark:text-slate-400">Total</dt>
        <dd className="tabular-nums" data-testid="estimate-total">
          {money(v.totalMinor, e.currency)}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Deposit</dt>
        <dd className="tabular-nums">
          {money(v.depositMinor, e.currency)}
          {e.depositPaidMinor > 0 ? ` (paid ${money(e.depositPaidMinor, e.currency)})` : ""}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Valid until</dt>
        <dd>{v.validUntil ? date(v.validUntil) : "—"}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Sent</dt>
        <dd>{e.sentAt ? dateTime(e.sentAt) : "Not yet"}</dd>
      </dl>
      {e.approvedAt ? (
        <Alert tone="success">
          Approved (version {e.approvedVersion}) by {e.approvedName} on {dateTime(e.approvedAt)}.
        </Alert>
      ) : null}
      {e.status === "changes_requested" && e.changeRequest ? (
        <Alert tone="warning">The customer asked for changes: {e.changeRequest}</Alert>
      ) : null}
      {e.versions.length > 1 ? (
        <ul className="text-sm text-slate-600 dark:text-slate-400">
          {e.versions.map((ver) => (
            <li key={ver.id}>
              Version {ver.version}: {money(ver.totalMinor, e.currency)} · {dateTime(ver.createdAt)}
            </li>
          ))}
        </ul>
      ) : null}
      {revisable ? (
        <FormBody intent={`estimateSend:${e.id}`} data={data} submit="Email estimate to the customer">
          <TextField
            label="Send the estimate to"
            name="to"
            type="email"
            defaultValue={e.customerEmail ?? job.customerEmail ?? ""}
            error={data?.intent === `estimateSend:${e.id}` ? data.fieldErrors.to : undefined}
          />
        </FormBody>
      ) : null}
      {revisable ? (
        <details className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-700">
          <summary className="cursor-pointer text-sm font-medium">
            Revise (saves version {e.currentVersion + 1})
          </summary>
          <div className="mt-3">
            <EstimateForm
              key={e.currentVersion}
              intent={`estimateRevise:${e.id}`}
              submit="Save new version"
              data={data}
              currency={e.currency}
              taxRates={billing.taxRates}
              spare={1}
              defaults={{
                lines: v.lines.map((l) => ({ ...l, taxRateId: rateIdOf(l.taxName, l.taxRateBps) })),
                discount: v.discount,
                shippingMinor: v.shippingMinor,
                shippingTaxRateId: v.shippingTaxRateBps
                  ? (billing.taxRates.find((r) => r.rateBps === v.shippingTaxRateBps)?.id ?? null)
                  : null,
                deposit: v.deposit,
                validUntil: v.validUntil,
                notes: v.notes,
              }}
            />
          </div>
        </details>
      ) : null}
    </div>
  );
}
