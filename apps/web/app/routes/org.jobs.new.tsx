import { actionErrors } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { NewJobForm } from "~/components/new-job/new-job-form";
import { PurchaseOrderDraftForm } from "~/components/new-job/purchase-order-draft-form";
import type { PurchaseOrderDraftView } from "~/components/new-job/types";
import { num } from "~/components/shop/format";
import { ShopPage } from "~/components/shop/shop-page";
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

export default function NewJob() {
  const { customers, materials, currency, preselected, ...shell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const drafting = busy && navigation.formData?.get("intent") === "draft";
  // the draft is plain JSON (strings, numbers, nulls): it arrives as the server sent it
  const draft = (result && "draft" in result ? result.draft : null) as PurchaseOrderDraftView | null;
  const draftResult = result && "draft" in result ? result : undefined;
  const jobResult = result && !("draft" in result) ? result : undefined;
  return (
    <ShopPage shell={shell} title="New job" description="A job taken by hand: walk-in, phone or email.">
      <PurchaseOrderDraftForm draft={draft} draftResult={draftResult} busy={busy} drafting={drafting} />
      {/* a new draft remounts the form so its fields take the draft's values */}
      <NewJobForm
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
