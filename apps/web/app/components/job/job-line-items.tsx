import { Section, SelectField, Table, Td, TextField, Th } from "@ktizo/ui";
import { Link, useSearchParams } from "@remix-run/react";
import { FormBody } from "~/components/intent-form";
import { ScaleNote } from "~/components/marketplace/scale-note";
import { linkClass } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { resultFor } from "~/lib/forms";
import type { JobActionResult, JobMaterialOption, JobView } from "./types";

/** The job's line items; while the job is a quote or approved, `?item=` opens one of them for editing. */
export function JobLineItemsSection({
  job,
  materials,
  data,
}: {
  job: JobView;
  materials: JobMaterialOption[];
  data: JobActionResult | undefined;
}) {
  const { money: formatMoney } = useFormat();
  const [params] = useSearchParams();
  const itemsEditable = job.status === "quote" || job.status === "approved";
  const editing = itemsEditable ? job.items.find((i) => i.id === params.get("item")) : undefined;
  return (
    <Section
      id="items-heading"
      title="Line items"
      description={
        itemsEditable
          ? "Edit an item's quantity, material, color, price or model. Every change is kept in the audit log."
          : "Items are fixed once the job is scheduled: take it off the schedule to change them."
      }
    >
      {job.items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No line items.</p>
      ) : (
        <Table caption="Line items">
          <thead>
            <tr>
              <Th>Description</Th>
              <Th>Material</Th>
              <Th className="text-right">Qty</Th>
              <Th className="text-right">Unit price</Th>
              <Th className="text-right">Total</Th>
              {itemsEditable ? (
                <Th>
                  <span className="sr-only">Edit</span>
                </Th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {job.items.map((i) => (
              <tr key={i.id}>
                <Td>
                  {i.description}
                  {i.fileName ? <span className="block text-xs text-slate-500">{i.fileName}</span> : null}
                  <ScaleNote scale={i.scale} sizeMm={i.sizeMm} testId="item-scale" emphasis />
                </Td>
                <Td>
                  {i.materialName ?? "—"}
                  {i.color ? <span className="block text-xs text-slate-500">{i.color}</span> : null}
                </Td>
                <Td className="text-right tabular-nums">{i.quantity}</Td>
                <Td className="text-right tabular-nums">{formatMoney(i.unitPriceMinor, job.currency)}</Td>
                <Td className="text-right tabular-nums">{formatMoney(i.totalMinor, job.currency)}</Td>
                {itemsEditable ? (
                  <Td>
                    <Link
                      to={`?item=${i.id}#edit-item`}
                      preventScrollReset
                      className={linkClass}
                      aria-label={`Edit item ${i.position + 1}: ${i.description}`}
                    >
                      Edit
                    </Link>
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {editing ? <JobItemEditor job={job} item={editing} materials={materials} data={data} /> : null}
    </Section>
  );
}

/** The form for one line item: description, quantity, price (not on marketplace jobs), material, color, model. */
function JobItemEditor({
  job,
  item: editing,
  materials,
  data,
}: {
  job: JobView;
  item: JobView["items"][number];
  materials: JobMaterialOption[];
  data: JobActionResult | undefined;
}) {
  const { money: formatMoney, moneyInput } = useFormat();
  const itemResult = resultFor(data, "item");
  const models = job.files.filter((f) => f.kind === "model");
  return (
    <div id="edit-item" className="mt-6 rounded-lg ring-1 ring-slate-200 p-4 dark:ring-slate-700">
      <h3 className="mb-3 text-sm font-semibold">
        Edit item {editing.position + 1}: {editing.description}
      </h3>
      <FormBody key={editing.id} intent="item" data={data} submit="Save item">
        <input type="hidden" name="itemId" value={editing.id} />
        <TextField
          label="Item description"
          name="description"
          defaultValue={editing.description}
          error={itemResult?.fieldErrors.description}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Item quantity"
            name="quantity"
            type="number"
            min={1}
            defaultValue={editing.quantity}
            error={itemResult?.fieldErrors.quantity}
          />
          {job.source === "marketplace" ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Unit price {formatMoney(editing.unitPriceMinor, job.currency)}: a marketplace order keeps the
              price the customer paid.
            </p>
          ) : (
            <TextField
              label={`Item unit price (${job.currency})`}
              name="unitPrice"
              inputMode="decimal"
              defaultValue={moneyInput(editing.unitPriceMinor, job.currency)}
              error={itemResult?.fieldErrors.unitPriceMinor}
            />
          )}
          <SelectField
            label="Item material"
            name="materialId"
            defaultValue={editing.materialId ?? ""}
            error={itemResult?.fieldErrors.materialId}
          >
            <option value="">No material</option>
            {materials.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
            {editing.materialId && !materials.some((m) => m.id === editing.materialId) ? (
              <option value={editing.materialId}>{editing.materialName ?? "Archived material"}</option>
            ) : null}
          </SelectField>
          <TextField
            label="Item color"
            name="color"
            defaultValue={editing.color ?? ""}
            list="item-colors"
            error={itemResult?.fieldErrors.color}
          />
          <datalist id="item-colors">
            {[...new Set(materials.flatMap((m) => m.colors))].map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <SelectField
          label="Item model file"
          name="fileId"
          defaultValue={editing.fileId ?? ""}
          hint="To replace the model, upload the new one under Files (kind: Model), then choose it here."
          error={itemResult?.fieldErrors.fileId}
        >
          <option value="">No model file</option>
          {models.map((f) => (
            <option key={f.id} value={f.id}>
              {f.fileName}
            </option>
          ))}
        </SelectField>
      </FormBody>
      <p className="mt-2 text-sm">
        <Link to="." preventScrollReset className={linkClass}>
          Close without saving
        </Link>
      </p>
    </div>
  );
}
