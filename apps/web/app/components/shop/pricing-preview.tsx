import { Alert, Button, Card, SelectField, TextField } from "@ktizo/ui";
import { useFetcher } from "@remix-run/react";
import { type RefObject, useEffect, useId, useRef, useState } from "react";
import { PreviewFigures, type PreviewResult } from "./pricing-preview-figures";

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
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [materialId, setMaterialId] = useState(materials[0]?.id ?? "");
  const [printerId, setPrinterId] = useState(
    printers.find((p) => p.technology === materials[0]?.technology)?.id ?? printers[0]?.id ?? "",
  );
  const [quantity, setQuantity] = useState("1");
  const [rush, setRush] = useState(false);
  const inputId = useId();
  // The model's figures stay on screen while a poll for its slice is on its way.
  const [shown, setShown] = useState<PreviewResult | null>(null);
  const [consumed, setConsumed] = useState<PreviewResult | undefined>(undefined);
  const result = fetcher.data;
  if (result && result !== consumed && fetcher.state === "idle") {
    setConsumed(result);
    setShown(result.ok && !result.fileName && shown?.ok ? { ...shown, ...result } : result);
  }
  const busy = fetcher.state !== "idle";

  // Slicing runs in workers: while the slice is pending, ask again every 5 s for two minutes (the model
  // is stored; polls send only its id).
  const latest = useRef({ fetcher, poll: (_uploadId: string) => {} });
  const pendingUpload = shown?.ok && shown.slice?.status === "pending" ? shown.uploadId : undefined;
  useEffect(() => {
    if (!pendingUpload) return;
    let polls = 0;
    const timer = window.setInterval(() => {
      if (++polls > 24) window.clearInterval(timer);
      else if (latest.current.fetcher.state === "idle") latest.current.poll(pendingUpload);
    }, 5000);
    return () => window.clearInterval(timer);
  }, [pendingUpload]);

  function formData() {
    const data = rulesForm.current ? new FormData(rulesForm.current) : new FormData();
    data.delete("intent");
    data.set("previewMaterialId", materialId);
    data.set("previewPrinterId", printerId);
    data.set("previewQuantity", quantity);
    if (rush) data.set("previewRush", "on");
    return data;
  }
  latest.current = {
    fetcher,
    poll: (uploadId) => {
      const data = formData();
      data.set("uploadId", uploadId);
      fetcher.submit(data, {
        method: "post",
        action: "/org/pricing/preview",
        encType: "multipart/form-data",
      });
    },
  };

  function run(model: File | null = file) {
    if (!model) return;
    const data = formData();
    data.set("model", model);
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
          {shown && !shown.ok ? <Alert tone="error">{shown.error}</Alert> : null}
          {shown?.ok ? <PreviewFigures shown={shown} /> : null}
        </div>
      </section>
    </Card>
  );
}
