import { Alert, Button, Card, SelectField, TextField } from "@ktizo/ui";
import { useFetcher } from "@remix-run/react";
import { type RefObject, useId, useState } from "react";
import { useFormat } from "~/lib/format";
import { formatGrams, formatMinutes } from "./format";

interface PreviewResult {
  ok: boolean;
  error?: string;
  fileName?: string;
  size?: { x: number; y: number; z: number };
  quote?: {
    breakdown: {
      currency: string;
      lines: { code: string; label: string; amountMinor: number }[];
      subtotalMinor: number;
      taxMinor: number;
      totalMinor: number;
    };
    estimate: { weightG: number; printHours: number; printSeconds: number };
    printability: { fits: boolean; printable: boolean };
    unitPriceMinor: number;
    warnings: string[];
  };
}

/**
 * Drop a model and see the exact breakdown a customer would get, priced with the rules as they are in
 * the editor now (saved or not). The file goes to /org/pricing/preview with the editor's fields.
 */
export function PricingPreview({
  rulesForm,
  materials,
  printers,
}: {
  rulesForm: RefObject<HTMLFormElement | null>;
  materials: { id: string; name: string; technology: string }[];
  printers: { id: string; name: string; technology: string }[];
}) {
  const fetcher = useFetcher<PreviewResult>();
  const { money: formatMoney } = useFormat();
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [materialId, setMaterialId] = useState(materials[0]?.id ?? "");
  const [printerId, setPrinterId] = useState(
    printers.find((p) => p.technology === materials[0]?.technology)?.id ?? printers[0]?.id ?? "",
  );
  const [quantity, setQuantity] = useState("1");
  const [rush, setRush] = useState(false);
  const inputId = useId();
  const result = fetcher.data;
  const busy = fetcher.state !== "idle";

  function run(model: File | null = file) {
    if (!model) return;
    const data = rulesForm.current ? new FormData(rulesForm.current) : new FormData();
    data.delete("intent");
    data.set("model", model);
    data.set("previewMaterialId", materialId);
    data.set("previewPrinterId", printerId);
    data.set("previewQuantity", quantity);
    if (rush) data.set("previewRush", "on");
    fetcher.submit(data, { method: "post", action: "/org/pricing/preview", encType: "multipart/form-data" });
  }

  if (materials.length === 0 || printers.length === 0) {
    return (
      <Card>
        <h2 className="font-semibold">Preview a quote</h2>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          Add at least one printer and one material to preview quotes.
        </p>
      </Card>
    );
  }
  const q = result?.ok ? result.quote : undefined;
  return (
    <Card>
      <section aria-labelledby="preview-heading" className="space-y-4">
        <h2 id="preview-heading" className="font-semibold">
          Preview a quote
        </h2>
        <label
          htmlFor={inputId}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const dropped = e.dataTransfer.files[0] ?? null;
            setFile(dropped);
            run(dropped);
          }}
          className={`block cursor-pointer rounded-lg border-2 border-dashed p-4 text-center text-sm focus-within:ring-2 focus-within:ring-brand-600 ${
            dragging
              ? "border-brand-600 bg-brand-50 dark:bg-brand-950"
              : "border-slate-300 dark:border-slate-700"
          }`}
        >
          <span className="font-medium">Model file</span>
          <span className="block text-slate-600 dark:text-slate-400">
            {file ? file.name : "Drop an STL, 3MF or OBJ here, or choose one"}
          </span>
          <input
            id={inputId}
            type="file"
            accept=".stl,.3mf,.obj"
            className="sr-only"
            onChange={(e) => {
              const chosen = e.currentTarget.files?.[0] ?? null;
              setFile(chosen);
              run(chosen);
            }}
          />
        </label>
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField label="Material" value={materialId} onChange={(e) => setMaterialId(e.target.value)}>
            {materials.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </SelectField>
          <SelectField label="Printer" value={printerId} onChange={(e) => setPrinterId(e.target.value)}>
            {printers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Quantity"
            type="number"
            min={1}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
          />
          <label className="flex items-center gap-2 pt-6 text-sm">
            <input type="checkbox" checked={rush} onChange={(e) => setRush(e.target.checked)} />
            Rush
          </label>
        </div>
        <Button type="button" variant="secondary" disabled={!file || busy} onClick={() => run()}>
          {busy ? "Pricing…" : "Update preview"}
        </Button>
        <div aria-live="polite" className="space-y-3">
          {result && !result.ok ? <Alert tone="error">{result.error}</Alert> : null}
          {q ? (
            <div className="space-y-3">
              {q.warnings.map((w) => (
                <Alert key={w} tone="warning">
                  {w}
                </Alert>
              ))}
              <p className="text-sm text-slate-600 dark:text-slate-400">
                {result?.fileName}: {result?.size?.x.toFixed(1)} × {result?.size?.y.toFixed(1)} ×{" "}
                {result?.size?.z.toFixed(1)} mm · {formatGrams(Math.ceil(q.estimate.weightG))} ·{" "}
                {formatMinutes(Math.ceil(q.estimate.printSeconds / 60))} per piece
              </p>
              <table className="w-full text-sm">
                <caption className="sr-only">Quote breakdown</caption>
                <tbody>
                  {q.breakdown.lines.map((l) => (
                    <tr key={l.code} className="border-b border-slate-100 dark:border-slate-800">
                      <th scope="row" className="py-1.5 text-left font-normal">
                        {l.label}
                      </th>
                      <td className="py-1.5 text-right tabular-nums">
                        {formatMoney(l.amountMinor, q.breakdown.currency)}
                      </td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row" className="py-1.5 text-left font-normal">
                      Subtotal
                    </th>
                    <td className="py-1.5 text-right tabular-nums">
                      {formatMoney(q.breakdown.subtotalMinor, q.breakdown.currency)}
                    </td>
                  </tr>
                  <tr>
                    <th scope="row" className="py-1.5 text-left font-normal">
                      Tax
                    </th>
                    <td className="py-1.5 text-right tabular-nums">
                      {formatMoney(q.breakdown.taxMinor, q.breakdown.currency)}
                    </td>
                  </tr>
                  <tr className="font-semibold">
                    <th scope="row" className="py-1.5 text-left">
                      Total
                    </th>
                    <td className="py-1.5 text-right tabular-nums" data-testid="preview-total">
                      {formatMoney(q.breakdown.totalMinor, q.breakdown.currency)}
                    </td>
                  </tr>
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      </section>
    </Card>
  );
}
