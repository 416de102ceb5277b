import { Alert, actionErrors, buttonClass, EmptyState, Section } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { MaterialFields } from "~/components/materials/material-fields";
import { MaterialsTable } from "~/components/materials/materials-table";
import { StockAdjustForm } from "~/components/materials/stock-adjust-form";
import { StockHistorySection } from "~/components/materials/stock-history-section";
import { linkClass } from "~/components/shop/controls";
import { formatGrams, num } from "~/components/shop/format";
import { RecordFormSection } from "~/components/shop/record-form-section";
import { ShopPage } from "~/components/shop/shop-page";
import { StockForecasts } from "~/components/shop/stock-forecasts";
import { done as answered, attempt, formText, refused, resultFor } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Materials · Ktizo" }];

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

export default function Materials() {
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
        <RecordFormSection noun="material" listPath="/org/materials" busy={busy}>
          <MaterialFields result={create} currency={currency} />
        </RecordFormSection>
      ) : null}
      {editing ? (
        <RecordFormSection noun="material" record={editing} listPath="/org/materials" busy={busy}>
          <MaterialFields material={editing} result={update} currency={currency} />
        </RecordFormSection>
      ) : null}
      {adjusting ? (
        <Section
          id="adjust-stock"
          title={`Adjust stock: ${adjusting.name}`}
          description={`On hand ${formatGrams(adjusting.onHandG)}, reserved ${formatGrams(adjusting.reservedG)}. Every change needs a reason and is kept in the history.`}
        >
          <StockAdjustForm
            key={`${adjusting.id}-${adjusting.onHandG}`}
            material={adjusting}
            result={adjust}
          />
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
        <MaterialsTable materials={materials} currency={currency} />
      )}
      <StockHistorySection movements={movements} historyOf={historyOf} />
    </ShopPage>
  );
}
