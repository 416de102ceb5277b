import { TextField } from "@ktizo/ui";
import { type ComponentProps, createContext, useContext } from "react";
import { PROCESS_FIELDS, type Process, pricingFieldError } from "~/components/shop/pricing-form";
import { useFormat } from "~/lib/format";

/** The server's field errors of the last refused save, for each field to show its own beside it. */
export const FieldErrors = createContext<Record<string, string>>({});

/** A text field of this form, with the server's message for it (if any) beside it. */
export function PricingField(props: ComponentProps<typeof TextField> & { name: string }) {
  const error = pricingFieldError(useContext(FieldErrors), props.name);
  return <TextField {...props} error={error} />;
}

/** The process numbers (grams and hours) of a technology, material or printer; empty: the default. */
export function ProcessFields({
  prefix,
  values,
  legend,
}: {
  prefix: string;
  values: Process;
  legend: string;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      <div className="mt-1 grid gap-3 sm:grid-cols-4">
        {PROCESS_FIELDS.map(([key, label, step]) => (
          <PricingField
            key={key}
            label={label}
            name={`${prefix}.${key}`}
            type="number"
            step={step}
            min={0}
            defaultValue={values[key] ?? ""}
            placeholder="default"
          />
        ))}
      </div>
    </fieldset>
  );
}

/** Amounts as the form's inputs show them, in the shop's currency: money, and rates with more digits. */
export function usePricingInputs(cur: string) {
  const fmt = useFormat();
  return {
    toMajor: (minor: number) => fmt.moneyInput(minor, cur),
    rate: (minor: number | null | undefined) => fmt.rateInput(minor, cur),
  };
}
