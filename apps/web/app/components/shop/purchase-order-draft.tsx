import { Badge, Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import type { RouterOutputs, Served } from "~/lib/api-types";
import { useFormat } from "~/lib/format";

/** The readable answer of inbox.draftJob, as the page receives it (plain JSON). */
export type DraftAnswerView = Extract<Served<RouterOutputs["inbox"]["draftJob"]>, { readable: true }>;

/** Where a field came from: the purchase order's own line, or a plain warning that it was not found. */
function Source({ text }: { text: string | null | undefined }) {
  return text ? (
    <p className="mt-1 break-words text-xs text-slate-600 dark:text-slate-400">
      From the purchase order: <q className="font-mono text-slate-800 dark:text-slate-200">{text.trim()}</q>
    </p>
  ) : (
    <p className="mt-1 text-xs text-amber-700 dark:text-amber-300">
      Not found in the purchase order: check it.
    </p>
  );
}

/**
 * A draft job read from a purchase-order email (issue 13): every field shows the text it came from, the
 * arithmetic is checked, and nothing is saved until the user confirms with "Create job".
 */
export function PurchaseOrderDraft({
  answer,
  threadId,
  shopCurrency,
  customers,
  result,
  busy,
}: {
  answer: DraftAnswerView;
  threadId: string;
  shopCurrency: string;
  customers: Array<{ id: string; label: string }>;
  result: { formError: string | null; fieldErrors: Record<string, string> } | undefined;
  busy: boolean;
}) {
  const { moneyInput, day, locale } = useFormat();
  const { draft, evidence, itemEvidence, checks, conversion } = answer;
  const source = (field: string) => evidence.find((e) => e.field === field)?.source ?? null;
  const e = result?.fieldErrors ?? {};
  const priceCurrency = draft.currency ?? shopCurrency;
  // Converted prices are in the shop's currency (the job's); otherwise the order's own figures.
  const unitPriceInput = (i: number, minor: number | null) => {
    if (conversion) {
      const converted = conversion.unitPricesMinor[i] ?? null;
      return converted === null ? "" : moneyInput(converted, conversion.to);
    }
    return minor === null ? "" : moneyInput(minor, priceCurrency);
  };
  return (
    <Section
      id="po-draft"
      title="Draft job from the purchase order"
      description={`Read from the ${answer.from === "pdf" ? "PDF attachment" : "message"} by ${
        draft.source === "rules"
          ? "the local reader (AI is off or not configured; less thorough)"
          : "the AI assistant"
      }. Nothing is saved until you create the job.`}
    >
      <div role="status" className="mb-4">
        <h3 className="text-sm font-semibold text-slate-900 dark:text-white">Arithmetic</h3>
        <ul className="mt-2 space-y-1">
          {checks.map((c) => (
            <li key={c.label} className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone={c.ok === true ? "green" : c.ok === false ? "red" : "slate"}>
                {c.ok === true ? "Adds up" : c.ok === false ? "Does not add up" : "Not stated"}
              </Badge>
              <span className="text-slate-800 dark:text-slate-200">{c.label}</span>
              <span className="text-slate-600 dark:text-slate-400">{c.detail}</span>
            </li>
          ))}
        </ul>
      </div>
      {conversion ? (
        <p className="mb-4 text-sm text-amber-700 dark:text-amber-300">
          The purchase order is in {conversion.from}: its prices are converted to {conversion.to} at 1{" "}
          {conversion.from} = {conversion.rate.toLocaleString(locale, { maximumFractionDigits: 4 })}{" "}
          {conversion.to} (reference rate of {day(conversion.rateDate)}). Check the prices.
        </p>
      ) : draft.currency && draft.currency !== shopCurrency ? (
        <p className="mb-4 text-sm text-amber-700 dark:text-amber-300">
          The purchase order is in {draft.currency}; the job will be priced in {shopCurrency}. Check the
          prices.
        </p>
      ) : null}
      <ErrorSummary result={result} />
      <Form method="post" noValidate className="space-y-4">
        <input type="hidden" name="intent" value="createJob" />
        <input type="hidden" name="threadId" value={threadId} />
        <input type="hidden" name="itemCount" value={draft.items.length} />
        <div>
          <TextField label="Title" name="title" defaultValue={draft.title} error={e.title} />
          <Source text={source("PO number")} />
        </div>
        <div>
          <SelectField
            label="Customer"
            name="customerId"
            defaultValue={draft.customer.existingCustomerId ?? ""}
          >
            <option value="">New customer (below)</option>
            {customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <TextField
              label="Customer name"
              name="customerName"
              defaultValue={draft.customer.name ?? draft.customer.company ?? ""}
              error={e["newCustomer.name"]}
            />
            <Source text={source("Customer") ?? source("Company")} />
          </div>
          <div>
            <TextField
              label="Customer email"
              name="customerEmail"
              type="email"
              defaultValue={draft.customer.email ?? ""}
            />
            <Source text={source("Email")} />
          </div>
          <div>
            <TextField label="Company" name="customerCompany" defaultValue={draft.customer.company ?? ""} />
            <Source text={source("Company")} />
          </div>
          <div>
            <TextField
              label="Due date"
              name="dueDate"
              type="date"
              defaultValue={draft.dueDate ?? ""}
              error={e.dueAt}
            />
            <Source text={source("Due date")} />
          </div>
        </div>
        <CheckboxField label="Rush" name="rush" defaultChecked={draft.rush} />
        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold text-slate-900 dark:text-white">Items</legend>
          {draft.items.map((item, i) => (
            <div
              key={`${item.description}-${i}`}
              className="grid gap-3 rounded-md p-3 ring-1 ring-slate-200 sm:grid-cols-[minmax(0,3fr)_minmax(0,1fr)_minmax(0,1fr)] dark:ring-slate-800"
            >
              <div className="min-w-0">
                <TextField
                  label={`Item ${i + 1} description`}
                  name={`item${i}.description`}
                  defaultValue={item.description}
                />
                <Source text={itemEvidence[i]?.description} />
              </div>
              <div className="min-w-0">
                <TextField
                  label={`Item ${i + 1} quantity`}
                  name={`item${i}.quantity`}
                  inputMode="numeric"
                  defaultValue={String(item.quantity)}
                />
                <Source text={itemEvidence[i]?.quantity} />
              </div>
              <div className="min-w-0">
                <TextField
                  label={`Item ${i + 1} unit price`}
                  name={`item${i}.unitPrice`}
                  inputMode="decimal"
                  defaultValue={unitPriceInput(i, item.unitPriceMinor)}
                />
                <Source text={itemEvidence[i]?.unitPrice} />
              </div>
            </div>
          ))}
        </fieldset>
        <TextAreaField label="Notes" name="notes" rows={3} defaultValue={draft.notes ?? ""} />
        <Button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create job"}
        </Button>
      </Form>
    </Section>
  );
}
