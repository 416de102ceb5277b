import { SelectField, TextField } from "@ktizo/ui";
import { ErrorSummary } from "~/components/shop/error-summary";
import { useFormat } from "~/lib/format";
import type { FormResult } from "~/lib/forms";
import type { MaterialView } from "./types";

const TECHNOLOGIES = [
  ["fdm", "FDM (filament)"],
  ["resin", "Resin"],
  ["powder", "Powder"],
] as const;

/** The fields of a material, empty for a new one (which also asks for the stock on hand now). */
export function MaterialFields({
  material,
  result,
  currency,
}: {
  material?: MaterialView | undefined;
  result: FormResult | undefined;
  currency: string;
}) {
  const { moneyInput } = useFormat();
  const e = result?.fieldErrors ?? {};
  return (
    <div className="space-y-4">
      <ErrorSummary result={result} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Name" name="name" defaultValue={material?.name} error={e.name} required />
        <TextField
          label="Kind"
          name="kind"
          placeholder="PLA, PETG, ABS, resin…"
          defaultValue={material?.kind}
          error={e.kind}
        />
        <SelectField
          label="Technology"
          name="technology"
          defaultValue={material?.technology ?? "fdm"}
          error={e.technology}
        >
          {TECHNOLOGIES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Density (g/cm³)"
          name="density"
          type="number"
          step="0.01"
          defaultValue={material?.densityGramsPerCm3 ?? 1.24}
          error={e.densityGramsPerCm3}
        />
        <TextField
          label={`Cost per kg (${currency})`}
          name="costPerKg"
          inputMode="decimal"
          defaultValue={material ? moneyInput(material.costPerKgMinor, currency) : ""}
          placeholder={moneyInput(0, currency)}
          error={e.costPerKgMinor}
        />
        <TextField
          label="Reorder threshold (g)"
          name="reorderThresholdG"
          type="number"
          min={0}
          defaultValue={material?.reorderThresholdG ?? 1000}
          error={e.reorderThresholdG}
        />
        <TextField
          label="Colors"
          name="colors"
          hint="Separate with commas"
          defaultValue={material?.colors.join(", ")}
          error={e.colors}
        />
        <TextField
          label="Finishes"
          name="finishes"
          hint="Separate with commas"
          defaultValue={material?.finishes.join(", ")}
          error={e.finishes}
        />
        {material ? null : (
          <TextField
            label="Stock on hand now (g)"
            name="initialStockG"
            type="number"
            min={0}
            defaultValue={0}
            hint="Later changes go through stock adjustments."
            error={e.initialStockG}
          />
        )}
      </div>
    </div>
  );
}
