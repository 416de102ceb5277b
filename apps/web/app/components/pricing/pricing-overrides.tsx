import { CheckboxField, Section, SelectField } from "@ktizo/ui";
import { MAX_PAIR_ROWS } from "~/components/shop/pricing-form";
import { PricingField, ProcessFields, usePricingInputs } from "./pricing-fields";
import type { PricingMaterialOption, PricingPrinterOption, PricingRulesView } from "./types";

/** Per material: offered or not, its price, markup and process overrides. */
export function PerMaterialSection({
  rules,
  cur,
  materials,
}: {
  rules: PricingRulesView;
  cur: string;
  materials: PricingMaterialOption[];
}) {
  const { rate } = usePricingInputs(cur);
  return (
    <Section id="per-material" title="Per material" description="Empty price: the material's cost per kg.">
      {materials.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No materials yet.</p>
      ) : (
        <div className="space-y-4">
          {materials.map((m) => {
            const r = rules.materials[m.id];
            return (
              <fieldset key={m.id} className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
                <legend className="px-1 text-sm font-semibold">{m.name}</legend>
                <input type="hidden" name="materialIds" value={m.id} />
                <div className="grid gap-3 sm:grid-cols-3">
                  <CheckboxField
                    label={`Offer ${m.name} to customers`}
                    name={`mat.${m.id}.enabled`}
                    defaultChecked={r?.enabled ?? true}
                  />
                  <PricingField
                    label={`${m.name}: price per ${rules.materialUnit === "gram" ? "gram" : "cm³"} (${cur})`}
                    name={`mat.${m.id}.price`}
                    inputMode="decimal"
                    placeholder={rate(m.costPerKgMinor / 1000)}
                    defaultValue={rate(r?.priceMinor)}
                  />
                  <PricingField
                    label={`${m.name}: markup (%)`}
                    name={`mat.${m.id}.markupPercent`}
                    type="number"
                    min={0}
                    placeholder="shop markup"
                    defaultValue={r?.markupPercent ?? ""}
                  />
                </div>
                <details className="mt-3">
                  <summary className="cursor-pointer text-sm">Process overrides</summary>
                  <div className="mt-2">
                    <ProcessFields
                      prefix={`mat.${m.id}.process`}
                      values={r?.process ?? {}}
                      legend={`${m.name} process`}
                    />
                  </div>
                </details>
              </fieldset>
            );
          })}
        </div>
      )}
    </Section>
  );
}

/** Per printer: offered or not, its machine rate and process overrides. */
export function PerPrinterSection({
  rules,
  cur,
  printers,
}: {
  rules: PricingRulesView;
  cur: string;
  printers: PricingPrinterOption[];
}) {
  const { toMajor, rate } = usePricingInputs(cur);
  return (
    <Section id="per-printer" title="Per printer" description="Empty hourly rate: the printer's own rate.">
      {printers.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No printers yet.</p>
      ) : (
        <div className="space-y-4">
          {printers.map((p) => {
            const r = rules.printers[p.id];
            return (
              <fieldset key={p.id} className="rounded-lg p-3 ring-1 ring-slate-200 dark:ring-slate-800">
                <legend className="px-1 text-sm font-semibold">{p.name}</legend>
                <input type="hidden" name="printerIds" value={p.id} />
                <div className="grid gap-3 sm:grid-cols-2">
                  <CheckboxField
                    label={`Offer ${p.name} to customers`}
                    name={`prn.${p.id}.enabled`}
                    defaultChecked={r?.enabled ?? true}
                  />
                  <PricingField
                    label={`${p.name}: machine rate per hour (${cur})`}
                    name={`prn.${p.id}.hourly`}
                    inputMode="decimal"
                    placeholder={toMajor(p.hourlyRateMinor)}
                    defaultValue={rate(r?.machineHourlyMinor)}
                  />
                </div>
                <details className="mt-3">
                  <summary className="cursor-pointer text-sm">Process overrides</summary>
                  <div className="mt-2">
                    <ProcessFields
                      prefix={`prn.${p.id}.process`}
                      values={r?.process ?? {}}
                      legend={`${p.name} process`}
                    />
                  </div>
                </details>
              </fieldset>
            );
          })}
        </div>
      )}
    </Section>
  );
}

/** Prices for one material on one printer: the saved pairs plus an empty row to add one. */
export function MaterialPrinterPairsSection({
  rules,
  cur,
  materials,
  printers,
}: {
  rules: PricingRulesView;
  cur: string;
  materials: PricingMaterialOption[];
  printers: PricingPrinterOption[];
}) {
  const { rate } = usePricingInputs(cur);
  // The saved pairs plus one empty row to add another (up to the form's limit).
  const pairRows = [...(rules.pairs ?? []), null].slice(0, MAX_PAIR_ROWS);
  return (
    <Section
      id="per-pair"
      title="Per material on a printer"
      description="A price for one material on one printer (for example resin on a large-format printer). Filled fields win over the material's and the printer's; empty a row to remove it."
    >
      {materials.length === 0 || printers.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Add materials and printers first.</p>
      ) : (
        <div className="space-y-3">
          {pairRows.map((pair, i) => (
            <fieldset
              key={`pair-${i}`}
              className="grid gap-3 rounded-lg p-3 ring-1 ring-slate-200 sm:grid-cols-5 dark:ring-slate-800"
            >
              <legend className="px-1 text-sm font-semibold">Pair {i + 1}</legend>
              <SelectField
                label={`Pair ${i + 1} material`}
                name={`pairs.${i}.materialId`}
                defaultValue={pair?.materialId ?? ""}
              >
                <option value="">Choose…</option>
                {materials.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </SelectField>
              <SelectField
                label={`Pair ${i + 1} printer`}
                name={`pairs.${i}.printerId`}
                defaultValue={pair?.printerId ?? ""}
              >
                <option value="">Choose…</option>
                {printers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </SelectField>
              <PricingField
                label={`Pair ${i + 1} price per ${rules.materialUnit === "cm3" ? "cm³" : "gram"} (${cur})`}
                name={`pairs.${i}.price`}
                inputMode="decimal"
                defaultValue={rate(pair?.priceMinor)}
              />
              <PricingField
                label={`Pair ${i + 1} machine rate per hour (${cur})`}
                name={`pairs.${i}.hourly`}
                inputMode="decimal"
                defaultValue={rate(pair?.machineHourlyMinor)}
              />
              <PricingField
                label={`Pair ${i + 1} markup (%)`}
                name={`pairs.${i}.markupPercent`}
                type="number"
                min={0}
                defaultValue={pair?.markupPercent ?? ""}
              />
            </fieldset>
          ))}
        </div>
      )}
    </Section>
  );
}
