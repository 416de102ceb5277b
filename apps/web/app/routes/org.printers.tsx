import {
  Alert,
  actionErrors,
  Badge,
  Button,
  buttonClass,
  EmptyState,
  Section,
  SelectField,
  Table,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { num } from "~/components/shop/format";
import { ConnectionForm, ConnectionStatus } from "~/components/shop/printer-connection";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, done, type FormResult, formText, refused, resultFor } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Printers · Ktizo" }];

const TECHNOLOGIES = [
  ["fdm", "FDM (filament)"],
  ["resin", "Resin (SLA/MSLA)"],
  ["powder", "Powder (SLS/MJF)"],
] as const;
const STATUSES = [
  ["available", "Available"],
  ["maintenance", "In maintenance"],
  ["offline", "Offline"],
] as const;
const STATUS_TONE = { available: "green", maintenance: "amber", offline: "slate" } as const;

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

type Printer = ReturnType<typeof useLoaderData<typeof loader>>["printers"][number];
type Material = ReturnType<typeof useLoaderData<typeof loader>>["materials"][number];

function PrinterFields({
  printer,
  materials,
  result,
  currency,
}: {
  printer?: Printer | undefined;
  materials: Material[];
  result: FormResult | undefined;
  currency: string;
}) {
  const { moneyInput } = useFormat();
  const e = result?.fieldErrors ?? {};
  return (
    <div className="space-y-4">
      <ErrorSummary result={result} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Name" name="name" defaultValue={printer?.name} error={e.name} required />
        <TextField label="Make" name="make" defaultValue={printer?.make} error={e.make} />
        <TextField label="Model" name="model" defaultValue={printer?.model} error={e.model} />
        <SelectField
          label="Technology"
          name="technology"
          defaultValue={printer?.technology ?? "fdm"}
          error={e.technology}
        >
          {TECHNOLOGIES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Status"
          name="status"
          defaultValue={printer?.status ?? "available"}
          error={e.status}
        >
          {STATUSES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <TextField
          label={`Hourly rate (${currency})`}
          name="hourlyRate"
          inputMode="decimal"
          defaultValue={printer ? moneyInput(printer.hourlyRateMinor, currency) : ""}
          placeholder={moneyInput(0, currency)}
          error={e.hourlyRateMinor}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Build volume (mm)</legend>
        <div className="mt-1 grid gap-4 sm:grid-cols-3">
          <TextField
            label="Width X (mm)"
            name="buildX"
            type="number"
            min={1}
            defaultValue={printer?.buildVolumeMm.x}
            error={e["buildVolumeMm.x"]}
          />
          <TextField
            label="Depth Y (mm)"
            name="buildY"
            type="number"
            min={1}
            defaultValue={printer?.buildVolumeMm.y}
            error={e["buildVolumeMm.y"]}
          />
          <TextField
            label="Height Z (mm)"
            name="buildZ"
            type="number"
            min={1}
            defaultValue={printer?.buildVolumeMm.z}
            error={e["buildVolumeMm.z"]}
          />
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Layer heights (mm)"
          name="layerHeightsMm"
          hint="Separate with commas, e.g. 0.12, 0.2, 0.28"
          defaultValue={printer?.layerHeightsMm.join(", ")}
          error={e.layerHeightsMm ?? e["layerHeightsMm.0"]}
        />
        <TextField
          label="Nozzle (mm)"
          name="nozzleMm"
          type="number"
          step="0.05"
          defaultValue={printer?.nozzleMm ?? ""}
          error={e.nozzleMm}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Materials it runs</legend>
        {materials.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            No materials yet:{" "}
            <Link to="/org/materials" className={linkClass}>
              add materials
            </Link>
            .
          </p>
        ) : (
          <div className="mt-2 grid gap-2 sm:grid-cols-3">
            {materials.map((m) => (
              <label key={m.id} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="materialIds"
                  value={m.id}
                  defaultChecked={printer?.materialIds.includes(m.id)}
                  className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
                />
                {m.name}{" "}
                <span className="text-xs text-slate-500">
                  ({m.kind}, {m.technology})
                </span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <TextAreaField label="Notes" name="notes" rows={2} defaultValue={printer?.notes} error={e.notes} />
    </div>
  );
}

export default function Printers() {
  const { money: formatMoney } = useFormat();
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
  const materialName = new Map(materials.map((m) => [m.id, m.name]));
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
        <Section id="new-printer" title="Add a printer">
          <Form method="post" noValidate className="space-y-4">
            <input type="hidden" name="intent" value="create" />
            <PrinterFields materials={materials} result={create} currency={currency} />
            <div className="flex justify-end gap-3">
              <Link to="/org/printers" className={buttonClass("secondary")}>
                Cancel
              </Link>
              <Button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Add printer"}
              </Button>
            </div>
          </Form>
        </Section>
      ) : null}
      {editing ? (
        <Section id="edit-printer" title={`Edit ${editing.name}`}>
          <Form method="post" noValidate className="space-y-4" key={editing.id}>
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="id" value={editing.id} />
            <PrinterFields printer={editing} materials={materials} result={update} currency={currency} />
            <div className="flex justify-end gap-3">
              <Link to="/org/printers" className={buttonClass("secondary")}>
                Done
              </Link>
              <Button type="submit" disabled={busy}>
                {busy ? "Saving…" : "Save printer"}
              </Button>
            </div>
          </Form>
        </Section>
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
        <Table caption="Printers">
          <thead>
            <tr>
              <Th>Printer</Th>
              <Th>Technology</Th>
              <Th>Build volume</Th>
              <Th>Layers / nozzle</Th>
              <Th className="text-right">Hourly rate</Th>
              <Th>Materials</Th>
              <Th>Status</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {printers.map((p) => (
              <tr key={p.id}>
                <Td>
                  <span className="font-medium">{p.name}</span>
                  <span className="block text-xs text-slate-500">
                    {[p.make, p.model].filter(Boolean).join(" ")}
                  </span>
                </Td>
                <Td className="uppercase">{p.technology}</Td>
                <Td className="tabular-nums">
                  {p.buildVolumeMm.x} × {p.buildVolumeMm.y} × {p.buildVolumeMm.z} mm
                </Td>
                <Td>
                  {p.layerHeightsMm.length ? `${p.layerHeightsMm.join(", ")} mm` : "—"}
                  {p.nozzleMm ? ` · ⌀ ${p.nozzleMm} mm` : ""}
                </Td>
                <Td className="text-right tabular-nums">{formatMoney(p.hourlyRateMinor, currency)}/h</Td>
                <Td>
                  {p.materialIds.length
                    ? p.materialIds.map((id) => materialName.get(id) ?? "?").join(", ")
                    : "—"}
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[p.status]}>
                    {STATUSES.find(([v]) => v === p.status)?.[1] ?? p.status}
                  </Badge>
                  <ConnectionStatus connection={connectionOf.get(p.id)} />
                </Td>
                <Td>
                  <div className="flex items-center gap-3">
                    <Link to={`?edit=${p.id}`} className={linkClass} aria-label={`Edit ${p.name}`}>
                      Edit
                    </Link>
                    <Form
                      method="post"
                      onSubmit={(event) => {
                        if (
                          !confirm(
                            `Remove ${p.name}? Its scheduled jobs go back to approved; jobs keep their history.`,
                          )
                        )
                          event.preventDefault();
                      }}
                    >
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="id" value={p.id} />
                      <button
                        type="submit"
                        className="text-sm font-medium text-red-700 hover:underline dark:text-red-400"
                        aria-label={`Remove ${p.name}`}
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

type MaintenanceWindow = ReturnType<typeof useLoaderData<typeof loader>>["maintenance"][number];

/** Planned maintenance: the planner keeps these windows free and the schedule shows them. */
function MaintenanceSection({
  printers,
  windows,
  result,
  busy,
  preselected,
}: {
  printers: Printer[];
  windows: MaintenanceWindow[];
  result: FormResult | undefined;
  busy: boolean;
  preselected: string | undefined;
}) {
  const { dateTime, dateTimeInput, timeZone } = useFormat();
  const e = result?.fieldErrors ?? {};
  return (
    <Section
      id="maintenance"
      title="Planned maintenance"
      description={`Nozzle changes, service visits: nothing is planned on a printer while it is serviced (times in ${timeZone}).`}
    >
      {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
      <Form method="post" noValidate className="space-y-4">
        <input type="hidden" name="intent" value="maintenance-add" />
        <ErrorSummary result={result?.ok ? undefined : result} />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <SelectField label="Printer" name="printerId" defaultValue={preselected ?? ""} error={e.printerId}>
            <option value="">Choose a printer…</option>
            {printers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Starts"
            name="startsAt"
            type="datetime-local"
            defaultValue={dateTimeInput(new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000))}
            error={e.startsAt}
          />
          <TextField label="Ends" name="endsAt" type="datetime-local" error={e.endsAt} />
          <TextField label="Reason" name="reason" placeholder="Nozzle change" error={e.reason} />
        </div>
        <div className="flex justify-end">
          <Button type="submit" disabled={busy}>
            Plan maintenance
          </Button>
        </div>
      </Form>
      {windows.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">No maintenance planned.</p>
      ) : (
        <ul
          className="mt-4 divide-y divide-slate-100 text-sm dark:divide-slate-800"
          aria-label="Maintenance windows"
        >
          {windows.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <span className="font-medium">{w.printerName}</span>{" "}
                <span className="text-slate-700 dark:text-slate-300">
                  {dateTime(w.startsAt)} → {dateTime(w.endsAt)}
                  {w.reason ? ` · ${w.reason}` : ""}
                </span>
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="maintenance-remove" />
                <input type="hidden" name="id" value={w.id} />
                <button
                  type="submit"
                  className="text-sm font-medium text-red-700 hover:underline dark:text-red-400"
                  aria-label={`Remove maintenance on ${w.printerName} from ${dateTime(w.startsAt)}`}
                >
                  Remove
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
