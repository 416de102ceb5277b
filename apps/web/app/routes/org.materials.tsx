import {
  Alert,
  actionErrors,
  Badge,
  Button,
  buttonClass,
  EmptyState,
  Pagination,
  pageHref,
  Section,
  SelectField,
  Table,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { linkClass } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { formatGrams, num } from "~/components/shop/format";
import { ShopPage } from "~/components/shop/shop-page";
import { StockForecasts } from "~/components/shop/stock-forecasts";
import { useFormat } from "~/lib/format";
import { done as answered, attempt, type FormResult, formText, refused, resultFor } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Materials · Ktizo" }];

const TECHNOLOGIES = [
  ["fdm", "FDM (filament)"],
  ["resin", "Resin"],
  ["powder", "Powder"],
] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const lowStockOnly = params.get("low") === "1";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const historyFor = params.get("history") ?? undefined;
  const [materials, movements, forecasts] = await Promise.all([
    org.api.shop.materials.list({ lowStockOnly }),
    org.api.shop.stock.movements({ page, pageSize: 20, materialId: historyFor }).catch(() => null),
    org.api.job.suggestions.stock(),
  ]);
  return json({
    ...shellData(org),
    currency: org.organization.profile.currency,
    materials,
    movements,
    forecasts,
    lowStockOnly,
  });
}

const tags = (text: string) =>
  text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

function readMaterial(form: FormData, read: ReturnType<typeof orgForm>) {
  return {
    name: formText(form, "name"),
    kind: formText(form, "kind"),
    technology: formText(form, "technology") as "fdm",
    colors: tags(formText(form, "colors")),
    finishes: tags(formText(form, "finishes")),
    densityGramsPerCm3: num(form.get("density")) ?? Number.NaN,
    costPerKgMinor: read.money(formText(form, "costPerKg")),
    reorderThresholdG: num(form.get("reorderThresholdG")) ?? 0,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const read = orgForm(request, org);
  const form = await request.formData();
  const intent = formText(form, "intent");
  const id = formText(form, "id");
  switch (intent) {
    case "create":
      return attempt(
        intent,
        () =>
          api.shop.materials.create({
            ...readMaterial(form, read),
            initialStockG: num(form.get("initialStockG")) ?? 0,
          }),
        "Material added.",
      );
    case "update":
      return attempt(
        intent,
        () => api.shop.materials.update({ id, ...readMaterial(form, read) }),
        "Material saved.",
      );
    case "delete": {
      const name = formText(form, "name");
      try {
        const removed = await api.shop.materials.delete({ id });
        return answered(
          intent,
          removed.archived
            ? `${name} is archived: it has stock history or jobs, which keep it. It no longer appears in lists, printers or the marketplace.`
            : `${name} is deleted.`,
        );
      } catch (error) {
        return refused(intent, actionErrors(error, "The material could not be removed."));
      }
    }
    case "reorder": {
      const outcome = formText(form, "outcome") === "accepted" ? "accepted" : "dismissed";
      try {
        const answer = await api.job.suggestions.respond({ kind: "reorder", subjectId: id, outcome });
        return answered(
          intent,
          answer.applied ? `${answer.applied}: noted.` : "Forecast dismissed for a week.",
        );
      } catch (error) {
        return refused(intent, actionErrors(error));
      }
    }
    case "adjust": {
      const mode = formText(form, "mode");
      const amount = num(form.get("grams"));
      const sign = formText(form, "direction") === "remove" ? -1 : 1;
      return attempt(
        intent,
        () =>
          api.shop.stock.adjust({
            materialId: formText(form, "materialId"),
            reason: formText(form, "reason"),
            ...(mode === "count"
              ? { countedG: amount ?? Number.NaN }
              : { deltaG: amount === undefined ? Number.NaN : sign * amount }),
          }),
        "Stock adjusted.",
      );
    }
    default:
      return attempt(intent, async () => {
        throw new Error("Unknown action");
      });
  }
}

type Material = ReturnType<typeof useLoaderData<typeof loader>>["materials"][number];

function MaterialFields({
  material,
  result,
  currency,
}: {
  material?: Material | undefined;
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

function AdjustForm({ material, result }: { material: Material; result: FormResult | undefined }) {
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

export default function Materials() {
  const { money: formatMoney, dateTime: formatWhen } = useFormat();
  const { materials, movements, forecasts, currency, lowStockOnly, ...shell } =
    useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const editing = materials.find((m) => m.id === params.get("edit"));
  const adjusting = materials.find((m) => m.id === params.get("adjust"));
  const adding = params.get("new") === "1";
  const create = resultFor(data, "create");
  const update = resultFor(data, "update");
  const adjust = resultFor(data, "adjust");
  const done = data?.ok ? data.message : null;
  const historyOf = materials.find((m) => m.id === params.get("history"));
  return (
    <ShopPage
      shell={shell}
      title="Materials"
      description="Stock on hand, what is reserved for scheduled jobs, and when to reorder."
      actions={
        <Link to="?new=1" className={buttonClass("primary")}>
          Add material
        </Link>
      }
    >
      {done ? <Alert tone="success">{done}</Alert> : null}
      {data && !data.ok && (data.intent === "delete" || data.intent === "reorder") ? (
        <Alert tone="error">{data.formError}</Alert>
      ) : null}
      <StockForecasts forecasts={forecasts} />
      {(adding || (create && !create.ok)) && !editing ? (
        <Section id="new-material" title="Add a material">
          <Form method="post" noValidate className="space-y-4">
            <input type="hidden" name="intent" value="create" />
            <MaterialFields result={create} currency={currency} />
            <div className="flex justify-end gap-3">
              <Link to="/org/materials" className={buttonClass("secondary")}>
                Cancel
              </Link>
              <Button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Add material"}
              </Button>
            </div>
          </Form>
        </Section>
      ) : null}
      {editing ? (
        <Section id="edit-material" title={`Edit ${editing.name}`}>
          <Form method="post" noValidate className="space-y-4" key={editing.id}>
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="id" value={editing.id} />
            <MaterialFields material={editing} result={update} currency={currency} />
            <div className="flex justify-end gap-3">
              <Link to="/org/materials" className={buttonClass("secondary")}>
                Done
              </Link>
              <Button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Save material"}
              </Button>
            </div>
          </Form>
        </Section>
      ) : null}
      {adjusting ? (
        <Section
          id="adjust-stock"
          title={`Adjust stock: ${adjusting.name}`}
          description={`On hand ${formatGrams(adjusting.onHandG)}, reserved ${formatGrams(adjusting.reservedG)}. Every change needs a reason and is kept in the history.`}
        >
          <AdjustForm key={`${adjusting.id}-${adjusting.onHandG}`} material={adjusting} result={adjust} />
        </Section>
      ) : null}
      <div className="flex items-center gap-4 text-sm">
        {lowStockOnly ? (
          <Link to="/org/materials" className={linkClass}>
            Show all materials
          </Link>
        ) : (
          <Link to="?low=1" className={linkClass}>
            Show low stock only
          </Link>
        )}
      </div>
      {materials.length === 0 ? (
        <EmptyState title={lowStockOnly ? "Nothing is low on stock" : "No materials yet"}>
          {lowStockOnly ? null : "Add the filaments and resins you print with."}
        </EmptyState>
      ) : (
        <Table caption="Materials">
          <thead>
            <tr>
              <Th>Material</Th>
              <Th className="text-right">On hand</Th>
              <Th className="text-right">Reserved</Th>
              <Th className="text-right">Available</Th>
              <Th className="text-right">Reorder at</Th>
              <Th className="text-right">Cost / kg</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {materials.map((m) => (
              <tr key={m.id}>
                <Td>
                  <span className="font-medium">{m.name}</span>{" "}
                  {m.lowStock ? <Badge tone="red">Low stock</Badge> : null}
                  <span className="block text-xs text-slate-500">
                    {m.kind} · {m.technology.toUpperCase()}
                    {m.colors.length ? ` · ${m.colors.join(", ")}` : ""}
                  </span>
                </Td>
                <Td className="text-right tabular-nums">{formatGrams(m.onHandG)}</Td>
                <Td className="text-right tabular-nums">{formatGrams(m.reservedG)}</Td>
                <Td className="text-right tabular-nums">{formatGrams(m.availableG)}</Td>
                <Td className="text-right tabular-nums">{formatGrams(m.reorderThresholdG)}</Td>
                <Td className="text-right tabular-nums">{formatMoney(m.costPerKgMinor, currency)}</Td>
                <Td>
                  <div className="flex flex-wrap items-center gap-3 text-sm">
                    <Link
                      to={`?adjust=${m.id}`}
                      className={linkClass}
                      aria-label={`Adjust stock of ${m.name}`}
                    >
                      Adjust stock
                    </Link>
                    <Link
                      to={`?history=${m.id}`}
                      className={linkClass}
                      aria-label={`Stock history of ${m.name}`}
                    >
                      History
                    </Link>
                    <Link to={`?edit=${m.id}`} className={linkClass} aria-label={`Edit ${m.name}`}>
                      Edit
                    </Link>
                    <Form
                      method="post"
                      onSubmit={(event) => {
                        if (!confirm(`Remove ${m.name}? A material with history is archived, not deleted.`))
                          event.preventDefault();
                      }}
                    >
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="id" value={m.id} />
                      <input type="hidden" name="name" value={m.name} />
                      <button
                        type="submit"
                        className="font-semibold text-red-700 hover:underline dark:text-red-400"
                        aria-label={`Remove ${m.name}`}
                      >
                        Remove
                      </button>
                    </Form>
                  </div>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Section
        id="movements"
        title={historyOf ? `Stock history: ${historyOf.name}` : "Stock history"}
        description="Every change of stock: adjustments with their reason, reservations and use by jobs."
      >
        {historyOf ? (
          <p className="mb-3 text-sm">
            <Link to="/org/materials" className={linkClass}>
              Show all materials' history
            </Link>
          </p>
        ) : null}
        {!movements || movements.items.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No stock changes yet.</p>
        ) : (
          <>
            <Table caption="Stock movements">
              <thead>
                <tr>
                  <Th>When</Th>
                  <Th>Material</Th>
                  <Th>Change</Th>
                  <Th className="text-right">Grams</Th>
                  <Th className="text-right">On hand after</Th>
                  <Th>Reason</Th>
                  <Th>By</Th>
                </tr>
              </thead>
              <tbody>
                {movements.items.map((s) => (
                  <tr key={s.id}>
                    <Td>{formatWhen(s.createdAt)}</Td>
                    <Td>{s.materialName}</Td>
                    <Td className="capitalize">{s.kind}</Td>
                    <Td className="text-right tabular-nums">
                      {s.grams > 0 ? "+" : ""}
                      {s.grams}
                    </Td>
                    <Td className="text-right tabular-nums">{formatGrams(s.onHandAfterG)}</Td>
                    <Td>
                      {s.reason ?? ""}
                      {s.jobNumber ? (
                        <Link to={`/org/jobs/${s.jobId}`} className={linkClass}>
                          {" "}
                          job #{s.jobNumber}
                        </Link>
                      ) : null}
                    </Td>
                    <Td>{s.actorName ?? "—"}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pagination
              page={movements.page}
              pageCount={movements.pageCount}
              total={movements.total}
              href={(p) => pageHref(params, p)}
            />
          </>
        )}
      </Section>
    </ShopPage>
  );
}
