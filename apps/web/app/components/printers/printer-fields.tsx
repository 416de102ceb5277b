import { SelectField, TextField } from "@ktizo/ui";
import { Link } from "@remix-run/react";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { useFormat } from "~/lib/format";
import type { FormResult } from "~/lib/forms";
import type { PrinterMaterialOption, PrinterView } from "./types";

const TECHNOLOGIES = [
  ["fdm", "FDM (filament)"],
  ["resin", "Resin (SLA/MSLA)"],
  ["powder", "Powder (SLS/MJF)"],
] as const;
export const PRINTER_STATUSES = [
  ["available", "Available"],
  ["maintenance", "In maintenance"],
  ["offline", "Offline"],
] as const;
export const PRINTER_STATUS_TONE = { available: "green", maintenance: "amber", offline: "slate" } as const;

/** The fields of a printer, empty for a new one: name, technology, status, rate, volume, layers, materials. */
export function PrinterFields({
  printer,
  materials,
  result,
  currency,
}: {
  printer?: PrinterView | undefined;
  materials: PrinterMaterialOption[];
  result: FormResult | undefined;
  currency: string;
}) {
  const { moneyInput } = useFormat();
  const e = result?.fieldErrors ?? {};
  return (
    <div className="space-y-4">
      <ErrorSummary result={result} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Name" name="name" defaultValue={printer?.name} error={e.name} required />
        <TextField label="Make" name="make" defaultValue={printer?.make} error={e.make} />
        <TextField label="Model" name="model" defaultValue={printer?.model} error={e.model} />
        <SelectField
          label="Technology"
          name="technology"
          defaultValue={printer?.technology ?? "fdm"}
          error={e.technology}
        >
          {TECHNOLOGIES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Status"
          name="status"
          defaultValue={printer?.status ?? "available"}
          error={e.status}
        >
          {PRINTER_STATUSES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <TextField
          label={`Hourly rate (${currency})`}
          name="hourlyRate"
          inputMode="decimal"
          defaultValue={printer ? moneyInput(printer.hourlyRateMinor, currency) : ""}
          placeholder={moneyInput(0, currency)}
          error={e.hourlyRateMinor}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Build volume (mm)</legend>
        <div className="mt-1 grid gap-4 sm:grid-cols-3">
          <TextField
            label="Width X (mm)"
            name="buildX"
            type="number"
            min={1}
            defaultValue={printer?.buildVolumeMm.x}
            error={e["buildVolumeMm.x"]}
          />
          <TextField
            label="Depth Y (mm)"
            name="buildY"
            type="number"
            min={1}
            defaultValue={printer?.buildVolumeMm.y}
            error={e["buildVolumeMm.y"]}
          />
          <TextField
            label="Height Z (mm)"
            name="buildZ"
            type="number"
            min={1}
            defaultValue={printer?.buildVolumeMm.z}
            error={e["buildVolumeMm.z"]}
          />
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Layer heights (mm)"
          name="layerHeightsMm"
          hint="Separate with commas, e.g. 0.12, 0.2, 0.28"
          defaultValue={printer?.layerHeightsMm.join(", ")}
          error={e.layerHeightsMm ?? e["layerHeightsMm.0"]}
        />
        <TextField
          label="Nozzle (mm)"
          name="nozzleMm"
          type="number"
          step="0.05"
          defaultValue={printer?.nozzleMm ?? ""}
          error={e.nozzleMm}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Materials it runs</legend>
        {materials.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            No materials yet:{" "}
            <Link to="/org/materials" className={linkClass}>
              add materials
            </Link>
            .
          </p>
        ) : (
          <div className="mt-2 grid gap-2 sm:grid-cols-3">
            {materials.map((m) => (
              <label key={m.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="materialIds"
                  value={m.id}
                  defaultChecked={printer?.materialIds.includes(m.id)}
                  className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
                />
                {m.name}{" "}
                <span className="text-xs text-slate-500">
                  ({m.kind}, {m.technology})
                </span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <TextAreaField label="Notes" name="notes" rows={2} defaultValue={printer?.notes} error={e.notes} />
    </div>
  );
}
