import { actionErrors, Button, CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { num, PRIORITIES, PRIORITY_LABELS } from "~/components/shop/format";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { formText } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "New job · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const [customers, materials] = await Promise.all([
    org.api.job.customers.list({ page: 1, pageSize: 100, sort: "name" }),
    org.api.shop.materials.list({ lowStockOnly: false }),
  ]);
  const preselected = new URL(request.url).searchParams.get("customer") ?? "";
  return json({
    ...shellData(org),
    currency: org.organization.profile.currency,
    customers: customers.items.map((c) => ({ id: c.id, name: c.name, email: c.email })),
    materials: materials.map((m) => ({ id: m.id, name: m.name, kind: m.kind })),
    preselected,
  });
}

/** A draft read from a pasted purchase order (through the AI switches): it only prefills the form. */
type Draft = Awaited<ReturnType<Awaited<ReturnType<typeof requireOrg>>["api"]["ai"]["intakePurchaseOrder"]>>;

export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const read = orgForm(request, org);
  const form = await request.formData();
  if (formText(form, "intent") === "draft") {
    try {
      const draft: Draft = await api.ai.intakePurchaseOrder({ text: formText(form, "poText") });
      return json({ draft, formError: null, fieldErrors: {} as Record<string, string> });
    } catch (error) {
      return json(
        { draft: null, ...actionErrors(error, "The purchase order could not be read.") },
        { status: 400 },
      );
    }
  }
  const mode = formText(form, "customerMode");
  const rows = Number(formText(form, "itemCount")) || 0;
  const items = [];
  for (let i = 0; i < Math.min(rows, 200); i++) {
    const description = formText(form, `items.${i}.description`);
    const price = formText(form, `items.${i}.unitPrice`);
    if (!description.trim() && !price.trim()) continue;
    items.push({
      description,
      quantity: num(form.get(`items.${i}.quantity`)) ?? 1,
      materialId: formText(form, `items.${i}.materialId`) || null,
      unitPriceMinor: read.money(price),
      minutesPerUnit: Math.round((num(form.get(`items.${i}.minutes`)) ?? 0) || 0),
    });
  }
  const due = formText(form, "dueAt");
  try {
    const job = await api.job.create({
      title: formText(form, "title"),
      ...(mode === "existing"
        ? { customerId: formText(form, "customerId") || undefined }
        : {
            newCustomer: {
              name: formText(form, "newCustomer.name"),
              email: formText(form, "newCustomer.email"),
              phone: formText(form, "newCustomer.phone"),
              company: formText(form, "newCustomer.company"),
              addresses: [],
              notes: "",
            },
          }),
      source: formText(form, "source") as "manual",
      status: formText(form, "status") === "approved" ? "approved" : "quote",
      priority: formText(form, "priority") as "normal",
      rush: form.get("rush") === "on",
      dueAt: read.dueAt(due),
      items,
      note: formText(form, "note") || undefined,
    });
    return redirect(`/org/jobs/${job.id}?created=1`);
  } catch (error) {
    // What the user typed goes back with the errors, so a refused form is shown as it was sent.
    const values = Object.fromEntries(
      [...form.entries()].flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
    );
    return json({ ...actionErrors(error, "The job could not be created."), values }, { status: 400 });
  }
}

const SOURCES = [
  ["manual", "Manual"],
  ["walk_in", "Walk-in"],
  ["phone", "Phone"],
  ["email", "Email"],
] as const;

export default function NewJob() {
  const { customers, materials, currency, preselected, ...shell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const drafting = busy && navigation.formData?.get("intent") === "draft";
  // the draft is plain JSON (strings, numbers, nulls): it arrives as the server sent it
  const draft = (result && "draft" in result ? result.draft : null) as Draft | null;
  const draftResult = result && "draft" in result ? result : undefined;
  const jobResult = result && !("draft" in result) ? result : undefined;
  return (
    <ShopPage shell={shell} title="New job" description="A job taken by hand: walk-in, phone or email.">
      <Form method="post" noValidate className="mb-6">
        <input type="hidden" name="intent" value="draft" />
        <Section
          id="po-heading"
          title="Draft from a purchase order"
          description="Paste the text of a purchase order (an email, a PDF's text) to prefill the form below. Nothing is saved until you create the job."
        >
          <ErrorSummary result={draftResult?.draft ? undefined : draftResult} />
          <TextAreaField
            label="Purchase order text"
            name="poText"
            rows={4}
            error={draftResult?.fieldErrors?.text}
          />
          <Button type="submit" variant="secondary" className="mt-3" disabled={busy}>
            {drafting ? "Reading…" : "Draft from purchase order"}
          </Button>
          {draft ? (
            <p role="status" className="mt-3 text-sm text-slate-600 dark:text-slate-300">
              {`Form prefilled from the purchase order (${draft.items.length} item${draft.items.length === 1 ? "" : "s"})`}
              {draft.source === "rules"
                ? ". Read by the local reader, which finds less than the AI model: check every field."
                : ". Check every field before creating the job."}
            </p>
          ) : null}
        </Section>
      </Form>
      {/* a new draft remounts the form so its fields take the draft's values */}
      <JobForm
        key={jobResult ? "sent" : draft ? JSON.stringify(draft) : "blank"}
        draft={draft}
        sent={jobResult && "values" in jobResult ? jobResult.values : undefined}
        result={jobResult}
        busy={busy && !drafting}
        customers={customers}
        materials={materials}
        currency={currency}
        preselected={preselected}
      />
    </ShopPage>
  );
}

function JobForm({
  draft,
  sent,
  result,
  busy,
  customers,
  materials,
  currency,
  preselected,
}: {
  draft: Draft | null;
  /** The fields of a submission the server refused: shown again as typed. */
  sent?: Record<string, string>;
  result: { formError: string | null; fieldErrors: Record<string, string> } | undefined;
  busy: boolean;
  customers: { id: string; name: string; email: string | null }[];
  materials: { id: string; name: string; kind: string }[];
  currency: string;
  preselected: string;
}) {
  const { moneyInput } = useFormat();
  const draftCustomer = draft?.customer.existingCustomerId ?? "";
  const [mode, setMode] = useState<"existing" | "new">(
    sent
      ? sent.customerMode === "new"
        ? "new"
        : "existing"
      : draft
        ? draftCustomer
          ? "existing"
          : "new"
        : preselected || customers.length > 0
          ? "existing"
          : "new",
  );
  const items = draft?.items ?? [];
  const [rows, setRows] = useState(Math.max(1, sent ? Number(sent.itemCount) || 1 : items.length));
  /** A field's first value: as sent when the server refused the form, else from the draft. */
  const initial = (name: string, fromDraft?: string | null) =>
    sent ? (sent[name] ?? "") : (fromDraft ?? undefined);
  const e = result?.fieldErrors ?? {};
  return (
    <Form method="post" noValidate className="space-y-6">
      <ErrorSummary result={result} />
      <Section id="job-heading" title="Job">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Title"
            name="title"
            required
            error={e.title}
            className="sm:col-span-2"
            defaultValue={initial("title", draft?.title)}
          />
          <SelectField
            label="Source"
            name="source"
            defaultValue={initial("source", draft ? "email" : "manual")}
            error={e.source}
          >
            {SOURCES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Start as"
            name="status"
            defaultValue={initial("status", "quote")}
            error={e.status}
          >
            <option value="quote">Quote (waiting for the customer)</option>
            <option value="approved">Approved (ready to schedule)</option>
          </SelectField>
          <SelectField
            label="Priority"
            name="priority"
            defaultValue={initial("priority", "normal")}
            error={e.priority}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Due date"
            name="dueAt"
            type="date"
            error={e.dueAt}
            defaultValue={initial("dueAt", draft?.dueDate)}
          />
          <CheckboxField
            label="Rush order"
            name="rush"
            defaultChecked={sent ? sent.rush === "on" : (draft?.rush ?? false)}
          />
        </div>
      </Section>
      <Section id="customer-heading" title="Customer">
        <fieldset>
          <legend className="sr-only">Existing or new customer</legend>
          <div className="flex gap-6 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="customerMode"
                value="existing"
                checked={mode === "existing"}
                onChange={() => setMode("existing")}
                disabled={customers.length === 0}
              />
              Existing customer
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="customerMode"
                value="new"
                checked={mode === "new"}
                onChange={() => setMode("new")}
              />
              New customer
            </label>
          </div>
        </fieldset>
        {mode === "existing" ? (
          <SelectField
            className="mt-4"
            label="Customer"
            name="customerId"
            defaultValue={initial("customerId", draftCustomer || preselected)}
            error={e.customerId}
          >
            <option value="">Choose a customer…</option>
            {customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.email ? ` (${c.email})` : ""}
              </option>
            ))}
          </SelectField>
        ) : (
          <div className="mt-4 grid gap-4 sm:grid-cols-2">
            <TextField
              label="Customer name"
              name="newCustomer.name"
              error={e["newCustomer.name"]}
              defaultValue={initial("newCustomer.name", draft?.customer.name ?? draft?.customer.company)}
            />
            <TextField
              label="Company"
              name="newCustomer.company"
              error={e["newCustomer.company"]}
              defaultValue={initial("newCustomer.company", draft?.customer.company)}
            />
            <TextField
              label="Customer email"
              name="newCustomer.email"
              type="email"
              error={e["newCustomer.email"]}
              defaultValue={initial("newCustomer.email", draft?.customer.email)}
            />
            <TextField
              label="Customer phone"
              name="newCustomer.phone"
              error={e["newCustomer.phone"]}
              defaultValue={initial("newCustomer.phone", draft?.customer.phone)}
            />
          </div>
        )}
      </Section>
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
      <Section id="note-heading" title="Production note">
        <TextAreaField
          label="Note for the team (optional)"
          name="note"
          rows={3}
          error={e.note}
          defaultValue={initial("note", draft?.notes)}
        />
      </Section>
      <div className="flex justify-end">
        <Button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create job"}
        </Button>
      </div>
    </Form>
  );
}
