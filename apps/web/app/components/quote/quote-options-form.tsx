import { MODEL_UNITS, type ModelAnalysis, type ModelUnit, type suggestScale, UNIT_NAMES } from "@ktizo/quote";
import { Button, Card, SelectField, TextField } from "@ktizo/ui";
import { Form, Link, useSearchParams, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { formatSize } from "~/components/marketplace/format";

export /** Currencies a customer can compare prices in (the reference rates cover these). */
const COMPARE_CURRENCIES = [
  "EUR",
  "USD",
  "GBP",
  "CHF",
  "JPY",
  "CAD",
  "AUD",
  "SEK",
  "NOK",
  "DKK",
  "PLN",
  "CZK",
];
const UNIT_LABELS: Record<ModelUnit, string> = {
  mm: "Millimetres (mm)",
  cm: "Centimetres (cm)",
  m: "Metres (m)",
  in: "Inches (in)",
};

/**
 * The quote options (quantity, quality, order, units, scale or longest side, comparison currency): a GET
 * form that prices again as the options change (the button does the same without scripts), with the
 * suggestion of another unit when the model looks tiny in millimetres.
 */
export function QuoteOptionsForm({
  choice: { quantity, quality, sort, unit, scaleText, scaleError, longestText, longestError, currency },
  repricing,
  suggestion,
  raw,
}: {
  choice: {
    quantity: number;
    quality: string;
    sort: string;
    unit: ModelUnit;
    scaleText: string;
    scaleError: string | null;
    longestText: string;
    longestError: string | null;
    currency: string;
  };
  repricing: boolean;
  suggestion: ReturnType<typeof suggestScale>;
  raw: Pick<ModelAnalysis, "bbox">;
}) {
  const submit = useSubmit();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const reprice = (form: HTMLFormElement, delayMs: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!form.checkValidity()) return;
      submit(form, { method: "get", replace: true, preventScrollReset: true });
    }, delayMs);
  };
  // The scale field follows the page when the server chose the percent (a longest side, the suggestion),
  // but never while the customer is typing in it.
  const optionsForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const field = optionsForm.current?.elements.namedItem("scale");
    if (field instanceof HTMLInputElement && document.activeElement !== field) field.value = scaleText;
  }, [scaleText]);
  const [params] = useSearchParams();
  const withChoice = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    return `?${next.toString()}`;
  };
  return (
    <Card>
      <Form
        ref={optionsForm}
        method="get"
        className="flex flex-wrap items-end gap-3"
        aria-label="Quote options"
        onChange={(event) => {
          const field = event.target as HTMLInputElement;
          // A wanted size is applied once typed (on leaving the field or Enter), not per keystroke.
          if (field.name === "longest") return;
          reprice(event.currentTarget, field.tagName === "SELECT" ? 0 : 300);
        }}
      >
        <TextField
          label="Quantity"
          name="quantity"
          type="number"
          min={1}
          max={10000}
          defaultValue={quantity}
          className="w-28"
        />
        <SelectField label="Quality" name="quality" defaultValue={quality}>
          <option value="draft">Draft (coarse layers)</option>
          <option value="standard">Standard</option>
          <option value="fine">Fine (thin layers)</option>
        </SelectField>
        <SelectField label="Sort by" name="sort" defaultValue={sort}>
          <option value="price">Lowest price</option>
          <option value="delivery">Earliest delivery</option>
        </SelectField>
        <SelectField label="File units" name="unit" defaultValue={unit} key={`unit-${unit}`}>
          {MODEL_UNITS.map((u) => (
            <option key={u} value={u}>
              {UNIT_LABELS[u]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Scale (%)"
          name="scale"
          type="number"
          min={1}
          max={10000}
          step="any"
          inputMode="decimal"
          defaultValue={scaleText}
          className="w-28"
          error={scaleError ?? undefined}
        />
        <TextField
          label="or longest side (mm)"
          name="longest"
          type="number"
          min={0.5}
          max={2000}
          step="any"
          inputMode="decimal"
          defaultValue={longestText}
          key={`longest-${scaleText}`}
          className="w-36"
          onBlur={(event) => {
            if (event.currentTarget.value.trim() && event.currentTarget.form)
              reprice(event.currentTarget.form, 0);
          }}
          error={longestError ?? undefined}
        />
        <SelectField label="Compare prices in" name="currency" defaultValue={currency}>
          {COMPARE_CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <Button type="submit" variant="secondary">
          Update prices
        </Button>
      </Form>
      <p
        className="mt-2 text-xs text-slate-600 dark:text-slate-400"
        aria-live="polite"
        data-testid="pricing-state"
      >
        {repricing
          ? "Updating prices…"
          : "Prices are computed on our server by each shop's rules, tax included, shipping at checkout. They update as you change the options."}
      </p>
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        STL and OBJ files do not say their units: choose what the file's numbers mean, then scale if you want
        it larger or smaller. Each shop charges in its own currency; amounts marked ≈ are converted at the
        stated day's reference rate, only for comparison.
      </p>
      {suggestion ? (
        <div
          className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800"
          data-testid="scale-suggestion"
          role="status"
        >
          <p>
            At {formatSize(raw.bbox.size)} this model is tiny. {suggestion.message}
          </p>
          <Link
            to={withChoice({ unit: suggestion.unit, scale: "100" })}
            replace
            preventScrollReset
            className="mt-2 inline-block rounded-md bg-amber-700 px-3 py-1.5 font-medium text-white hover:bg-amber-800 dark:bg-amber-400 dark:hover:bg-amber-300 dark:text-slate-950"
          >
            Quote in {UNIT_NAMES[suggestion.unit]}
          </Link>
        </div>
      ) : null}
    </Card>
  );
}
