import { Alert, actionErrors, buttonClass, EmptyState } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { MaintenanceSection } from "~/components/printers/maintenance-section";
import { PrinterFields } from "~/components/printers/printer-fields";
import { PrintersTable } from "~/components/printers/printers-table";
import { num } from "~/components/shop/format";
import { ConnectionForm } from "~/components/shop/printer-connection";
import { RecordFormSection } from "~/components/shop/record-form-section";
import { ShopPage } from "~/components/shop/shop-page";
import { attempt, done, formText, refused, resultFor } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Printers · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const [printers, materials, connections, maintenance] = await Promise.all([
    org.api.shop.printers.list({}),
    org.api.shop.materials.list({ lowStockOnly: false }),
    org.api.shop.printerConnections.list(),
    org.api.shop.maintenance.list({}),
  ]);
  return json({
    ...shellData(org),
    maintenance,
    currency: org.organization.profile.currency,
    printers,
    connections,
    materials: materials.map((m) => ({ id: m.id, name: m.name, kind: m.kind, technology: m.technology })),
  });
}

function readPrinter(form: FormData, read: ReturnType<typeof orgForm>) {
  const layers = formText(form, "layerHeightsMm")
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  return {
    name: formText(form, "name"),
    make: formText(form, "make"),
    model: formText(form, "model"),
    technology: formText(form, "technology") as "fdm",
    buildVolumeMm: {
      x: num(form.get("buildX")) ?? Number.NaN,
      y: num(form.get("buildY")) ?? Number.NaN,
      z: num(form.get("buildZ")) ?? Number.NaN,
    },
    layerHeightsMm: layers,
    nozzleMm: num(form.get("nozzleMm")) ?? null,
    hourlyRateMinor: read.money(formText(form, "hourlyRate")),
    status: formText(form, "status") as "available",
    notes: formText(form, "notes"),
    materialIds: form.getAll("materialIds").map(String),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const read = orgForm(request, org);
  const form = await request.formData();
  const intent = formText(form, "intent");
  const id = formText(form, "id");
  if (intent === "create") {
    return attempt(intent, () => api.shop.printers.create(readPrinter(form, read)), "Printer added.");
  }
  if (intent === "update") {
    return attempt(
      intent,
      () => api.shop.printers.update({ id, ...readPrinter(form, read) }),
      "Printer saved.",
    );
  }
  if (intent === "delete") {
    try {
      const { unscheduledJobIds: jobs } = await api.shop.printers.delete({ id });
      const what = jobs.length === 1 ? "Its scheduled job is" : `Its ${jobs.length} scheduled jobs are`;
      const unscheduled = jobs.length > 0 ? ` ${what} back to approved and the material is released.` : "";
      return done(intent, `Printer removed.${unscheduled}`);
    } catch (error) {
      return refused(intent, actionErrors(error));
    }
  }
  if (intent === "connect") {
    const apiKey = formText(form, "apiKey").trim();
    return attempt(
      intent,
      () =>
        api.shop.printerConnections.set({
          printerId: id,
          kind: formText(form, "kind") as "moonraker",
          url: formText(form, "url"),
          // Empty keeps the stored key.
          ...(apiKey ? { apiKey } : {}),
        }),
      "Printer connected. Ktizo asks it for finished prints every minute.",
    );
  }
  if (intent === "disconnect") {
    return attempt(
      intent,
      () => api.shop.printerConnections.remove({ printerId: id }),
      "Printer disconnected.",
    );
  }
  if (intent === "maintenance-add") {
    return attempt(
      intent,
      () =>
        api.shop.maintenance.add({
          printerId: formText(form, "printerId"),
          // An empty or unreadable time is refused by the API with the field's message.
          startsAt: read.dateTime(formText(form, "startsAt")) ?? new Date(Number.NaN),
          endsAt: read.dateTime(formText(form, "endsAt")) ?? new Date(Number.NaN),
          reason: formText(form, "reason"),
        }),
      "Maintenance planned. The planner keeps this time free.",
    );
  }
  if (intent === "maintenance-remove") {
    return attempt(intent, () => api.shop.maintenance.remove({ id }), "Maintenance window removed.");
  }
  if (intent === "status") {
    return attempt(
      intent,
      () => api.shop.printers.update({ id, status: formText(form, "status") as "available" }),
      "Status changed.",
    );
  }
  return attempt(intent, async () => {
    throw new Error("Unknown action");
  });
}

export default function Printers() {
  const { printers, materials, currency, connections, maintenance, ...shell } =
    useLoaderData<typeof loader>();
  const connectionOf = new Map(connections.map((c) => [c.printerId, c]));
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const editing = printers.find((p) => p.id === params.get("edit"));
  const adding = params.get("new") === "1";
  const create = resultFor(data, "create");
  const update = resultFor(data, "update");
  const connect = resultFor(data, "connect");
  const planMaintenance = resultFor(data, "maintenance-add");
  const other =
    data &&
    data.intent !== "create" &&
    data.intent !== "update" &&
    data.intent !== "connect" &&
    data.intent !== "maintenance-add"
      ? data
      : undefined;
  return (
    <ShopPage
      shell={shell}
      title="Printers"
      description="Your machines: what they print, how big, and what an hour costs."
      actions={
        <Link to="?new=1" className={buttonClass("primary")}>
          Add printer
        </Link>
      }
    >
      {create?.ok || update?.ok || connect?.ok || other?.ok ? (
        <Alert tone="success">{(create ?? update ?? connect ?? other)?.message}</Alert>
      ) : null}
      {other && !other.ok ? <Alert tone="error">{other.formError}</Alert> : null}
      {(adding || (create && !create.ok)) && !editing ? (
        <RecordFormSection noun="printer" listPath="/org/printers" busy={busy}>
          <PrinterFields materials={materials} result={create} currency={currency} />
        </RecordFormSection>
      ) : null}
      {editing ? (
        <RecordFormSection noun="printer" record={editing} listPath="/org/printers" busy={busy}>
          <PrinterFields printer={editing} materials={materials} result={update} currency={currency} />
        </RecordFormSection>
      ) : null}
      {editing ? (
        <ConnectionForm
          printerId={editing.id}
          printerName={editing.name}
          connection={connectionOf.get(editing.id)}
          result={connect}
          busy={busy}
        />
      ) : null}
      {printers.length === 0 ? (
        <EmptyState title="No printers yet">Add your first printer to schedule jobs on it.</EmptyState>
      ) : (
        <PrintersTable
          printers={printers}
          materials={materials}
          connections={connections}
          currency={currency}
        />
      )}
      {printers.length ? (
        <MaintenanceSection
          printers={printers}
          windows={maintenance}
          result={planMaintenance}
          busy={busy}
          preselected={editing?.id}
        />
      ) : null}
    </ShopPage>
  );
}
