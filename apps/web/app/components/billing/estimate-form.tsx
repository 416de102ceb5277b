import { SelectField, TextField } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { TextAreaField } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";

export interface EstimateLine {
  description: string;
  quantity: number;
  unitPriceMinor: number;
  discountBps: number;
  taxRateId: string | null;
  jobItemId: string | null;
}

export interface EstimateDefaults {
  lines: EstimateLine[];
  discount: { kind: "percent"; bps: number } | { kind: "amount"; minor: number } | null;
  shippingMinor: number;
  shippingTaxRateId: string | null;
  deposit: { kind: "percent"; bps: number } | { kind: "amount"; minor: number } | null;
  validUntil: string | null;
  notes: string;
}

type TaxRate = { id: string; name: string; rateBps: number };

const percentText = (bps: number) => (bps ? String(bps / 100) : "");

/** A discount or deposit: percent or amount, and its value. */
function PercentOrAmount({
  name,
  label,
  value,
  currency,
  error,
}: {
  name: "discount" | "deposit";
  label: string;
  value: EstimateDefaults["discount"];
  currency: string;
  error: string | undefined;
}) {
  const { moneyInput } = useFormat();
  const text = !value
    ? ""
    : value.kind === "percent"
      ? percentText(value.bps)
      : moneyInput(value.minor, currency);
  return (
    <div className="grid grid-cols-2 gap-2">
      <SelectField label={`${label} as`} name={`${name}Kind`} defaultValue={value?.kind ?? "percent"}>
        <option value="percent">Percent</option>
        <option value="amount">Amount ({currency})</option>
      </SelectField>
      <TextField label={label} name={`${name}Value`} inputMode="decimal" defaultValue={text} error={error} />
    </div>
  );
}

function TaxSelect({
  label,
  name,
  rates,
  value,
  error,
}: {
  label: string;
  name: string;
  rates: TaxRate[];
  value: string | null;
  error?: string | undefined;
}) {
  return (
    <SelectField label={label} name={name} defaultValue={value ?? ""} error={error}>
      <option value="">No tax</option>
      {rates.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name} ({r.rateBps / 100} %)
        </option>
      ))}
    </SelectField>
  );
}

/**
 * Writing or revising an estimate: line rows (a row of a job item is priced by the job; a blank row is
 * left out), discount, shipping, tax, deposit, validity and notes. Typed values stay when the server
 * refuses (the form is not reset) and each field shows its own message.
 */
export function EstimateForm({
  intent,
  submit,
  data,
  currency,
  taxRates,
  defaults,
  spare,
}: {
  intent: string;
  submit: string;
  data: FormResult | undefined;
  currency: string;
  taxRates: TaxRate[];
  defaults: EstimateDefaults;
  spare: number;
}) {
  const { moneyInput } = useFormat();
  const errors = resultFor(data, intent)?.fieldErrors ?? {};
  const rows: (EstimateLine | null)[] = [...defaults.lines, ...Array.from({ length: spare }, () => null)];
  return (
    <FormBody intent={intent} data={data} submit={submit}>
      <input type="hidden" name="lineCount" value={rows.length} />
      {errors.lines ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {errors.lines}
        </p>
      ) : null}
      <ol className="space-y-4">
        {rows.map((line, i) => {
          const n = i + 1;
          const field = (k: string) => errors[`lines.${i}.${k}`];
          return (
            <li
              key={i}
              className="grid gap-2 rounded-lg p-3 ring-1 ring-slate-200 sm:grid-cols-6 dark:ring-slate-700"
            >
              {line?.jobItemId ? (
                <input type="hidden" name={`lines.${i}.jobItemId`} value={line.jobItemId} />
              ) : null}
              <TextField
                className="sm:col-span-6"
                label={`Line ${n} description`}
                name={`lines.${i}.description`}
                defaultValue={line?.description ?? ""}
                error={field("description")}
              />
              <TextField
                label={`Line ${n} quantity`}
                name={`lines.${i}.quantity`}
                type="number"
                min={1}
                defaultValue={line?.quantity ?? 1}
                error={field("quantity")}
              />
              {line?.jobItemId ? (
                <p className="text-sm text-slate-600 sm:col-span-2 dark:text-slate-400">
                  Unit price {moneyInput(line.unitPriceMinor, currency)} {currency}: priced by the job's line
                  item.
                </p>
              ) : (
                <TextField
                  className="sm:col-span-2"
                  label={`Line ${n} unit price (${currency})`}
                  name={`lines.${i}.unitPrice`}
                  inputMode="decimal"
                  defaultValue={line ? moneyInput(line.unitPriceMinor, currency) : ""}
                  error={field("unitPrice")}
                />
              )}
              <TextField
                label={`Line ${n} discount %`}
                name={`lines.${i}.discount`}
                inputMode="decimal"
                defaultValue={line ? percentText(line.discountBps) : ""}
                error={field("discount")}
              />
              <TaxSelect
                label={`Line ${n} tax`}
                name={`lines.${i}.taxRateId`}
                rates={taxRates}
                value={line?.taxRateId ?? null}
                error={field("taxRateId")}
              />
            </li>
          );
        })}
      </ol>
      <div className="grid gap-4 sm:grid-cols-2">
        <PercentOrAmount
          name="discount"
          label="Discount"
          value={defaults.discount}
          currency={currency}
          error={errors.discountValue}
        />
        <PercentOrAmount
          name="deposit"
          label="Deposit"
          value={defaults.deposit}
          currency={currency}
          error={errors.depositValue}
        />
        <TextField
          label={`Shipping (${currency})`}
          name="shipping"
          inputMode="decimal"
          defaultValue={defaults.shippingMinor ? moneyInput(defaults.shippingMinor, currency) : ""}
          error={errors.shipping}
        />
        <TaxSelect
          label="Shipping tax"
          name="shippingTaxRateId"
          rates={taxRates}
          value={defaults.shippingTaxRateId}
          error={errors.shippingTaxRateId}
        />
        <TextField
          label="Valid until"
          name="validUntil"
          type="date"
          defaultValue={defaults.validUntil ?? ""}
          error={errors.validUntil}
        />
      </div>
      <TextAreaField
        label="Notes for the customer"
        name="notes"
        rows={3}
        defaultValue={defaults.notes}
        error={errors.notes}
      />
    </FormBody>
  );
}
