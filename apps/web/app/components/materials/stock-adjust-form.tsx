import { Button, SelectField, TextField } from "@ktizo/ui";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { ErrorSummary } from "~/components/shop/error-summary";
import type { FormResult } from "~/lib/forms";
import type { MaterialView } from "./types";

/** A stock change with its reason: grams received or used, or a stock count. */
export function StockAdjustForm({
  material,
  result,
}: {
  material: MaterialView;
  result: FormResult | undefined;
}) {
  const [mode, setMode] = useState<"delta" | "count">("delta");
  const busy = useNavigation().state === "submitting";
  const e = result?.fieldErrors ?? {};
  return (
    <Form method="post" noValidate className="space-y-4">
      <input type="hidden" name="intent" value="adjust" />
      <input type="hidden" name="materialId" value={material.id} />
      <ErrorSummary result={result?.ok ? undefined : result} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">How</legend>
        <div className="mt-1 flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="mode"
              value="delta"
              checked={mode === "delta"}
              onChange={() => setMode("delta")}
            />
            Add or remove grams
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="mode"
              value="count"
              checked={mode === "count"}
              onChange={() => setMode("count")}
            />
            Record a stock count
          </label>
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        {mode === "delta" ? (
          <SelectField label="Direction" name="direction" defaultValue="add">
            <option value="add">Received (add)</option>
            <option value="remove">Used or wasted (remove)</option>
          </SelectField>
        ) : null}
        <TextField
          label={mode === "count" ? "Counted on hand (g)" : "Grams"}
          name="grams"
          type="number"
          min={0}
          error={e.deltaG ?? e.countedG}
        />
        <TextField
          label="Reason"
          name="reason"
          required
          placeholder="Delivery, spool waste, monthly count…"
          error={e.reason}
        />
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={busy}>
          Adjust stock
        </Button>
      </div>
    </Form>
  );
}
