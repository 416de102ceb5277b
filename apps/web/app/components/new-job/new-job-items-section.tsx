import { Button, Section, SelectField, TextField } from "@ktizo/ui";
import { useState } from "react";
import { useFormat } from "~/lib/format";
import { initialValue, type PurchaseOrderDraftView, type SentFields } from "./types";

/** The job's line items, prefilled from the draft or as sent; "Add another item" adds a row. */
export function NewJobItemsSection({
  draft,
  sent,
  errors: e,
  materials,
  currency,
}: {
  draft: PurchaseOrderDraftView | null;
  sent: SentFields;
  errors: Record<string, string>;
  materials: { id: string; name: string; kind: string }[];
  currency: string;
}) {
  const { moneyInput } = useFormat();
  const initial = initialValue(sent);
  const items = draft?.items ?? [];
  const [rows, setRows] = useState(Math.max(1, sent ? Number(sent.itemCount) || 1 : items.length));
  return (
    <Section id="items-heading" title="Line items" description={`Prices in ${currency}, per unit.`}>
      <input type="hidden" name="itemCount" value={rows} />
      <div className="space-y-4">
        {Array.from({ length: rows }, (_, i) => (
          <fieldset
            key={`item-${i}`}
            className="grid gap-3 rounded-lg p-3 ring-1 ring-slate-200 sm:grid-cols-6 dark:ring-slate-800"
          >
            <legend className="px-1 text-sm font-medium">Item {i + 1}</legend>
            <TextField
              className="sm:col-span-2"
              label={`Item ${i + 1} description`}
              name={`items.${i}.description`}
              error={e[`items.${i}.description`]}
              defaultValue={initial(`items.${i}.description`, items[i]?.description)}
            />
            <TextField
              label={`Item ${i + 1} quantity`}
              name={`items.${i}.quantity`}
              type="number"
              min={1}
              defaultValue={initial(`items.${i}.quantity`, String(items[i]?.quantity ?? 1))}
              error={e[`items.${i}.quantity`]}
            />
            <SelectField
              label={`Item ${i + 1} material`}
              name={`items.${i}.materialId`}
              defaultValue={initial(`items.${i}.materialId`, items[i]?.materialId ?? "")}
            >
              <option value="">None</option>
              {materials.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({m.kind})
                </option>
              ))}
            </SelectField>
            <TextField
              label={`Item ${i + 1} unit price`}
              name={`items.${i}.unitPrice`}
              inputMode="decimal"
              placeholder={moneyInput(0, currency)}
              error={e[`items.${i}.unitPriceMinor`]}
              defaultValue={initial(
                `items.${i}.unitPrice`,
                items[i]?.unitPriceMinor != null
                  ? moneyInput(items[i]!.unitPriceMinor!, currency)
                  : undefined,
              )}
            />
            <TextField
              label={`Item ${i + 1} print minutes`}
              name={`items.${i}.minutes`}
              type="number"
              min={0}
              error={e[`items.${i}.minutesPerUnit`]}
              defaultValue={initial(`items.${i}.minutes`)}
            />
          </fieldset>
        ))}
      </div>
      <Button type="button" variant="secondary" className="mt-4" onClick={() => setRows((r) => r + 1)}>
        Add another item
      </Button>
    </Section>
  );
}
