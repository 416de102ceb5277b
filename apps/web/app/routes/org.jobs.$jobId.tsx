import {
  Alert,
  actionErrors,
  Badge,
  Button,
  CheckboxField,
  errorCode,
  Section,
  SelectField,
  Table,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { JobBilling } from "~/components/billing/job-billing";
import { billingAction, loadJobBilling } from "~/components/billing/job-billing.server";
import { Conversation } from "~/components/conversation/conversation";
import {
  CONVERSATION_INTENTS,
  conversationAction,
  loadConversation,
} from "~/components/conversation/conversation.server";
import { FormBody } from "~/components/intent-form";
import { ScaleNote } from "~/components/marketplace/scale-note";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import {
  formatBytes,
  formatMinutes,
  num,
  PRIORITIES,
  PRIORITY_LABELS,
  STATUS_LABELS,
} from "~/components/shop/format";
import { JobDrivePanel } from "~/components/shop/job-drive-panel";
import { JobSuggestions } from "~/components/shop/job-suggestions";
import { ShopPage } from "~/components/shop/shop-page";
import { StatusBadge } from "~/components/shop/status-badge";
import { useFormat } from "~/lib/format";
import { attempt, done, type FormResult, formText, refused, resultFor } from "~/lib/forms";
import { orgForm, requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Job #${data.job.number} · Ktizo` : "Job · Ktizo" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  try {
    const [job, printers, materials, suggestions] = await Promise.all([
      org.api.job.get({ id: params.jobId ?? "" }),
      org.api.shop.printers.list({}),
      org.api.shop.materials.list({}),
      org.api.job.suggestions.forJob({ jobId: params.jobId ?? "" }),
    ]);
    return json({
      ...shellData(org),
      job,
      suggestions,
      billing: await loadJobBilling(org.api, job.id),
      conversation: await loadConversation(org.api, { jobId: job.id }, new URL(request.url)),
      printers: printers.map((p) => ({ id: p.id, name: p.name, status: p.status })),
      materials: materials.map((m) => ({ id: m.id, name: m.name, colors: m.colors })),
    });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND" || errorCode(error) === "BAD_REQUEST") {
      throw new Response("Job not found", { status: 404 });
    }
    throw error;
  }
}

const BILLING_INTENTS = new Set(["estimateCreate", "proofAdd", "proofOverride", "invoiceCreate"]);

type ScheduleResult = FormResult & {
  conflicts?: { kind: string; message: string }[];
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const org = await requireOrg(request, context);
  const { api } = org;
  const read = orgForm(request, org);
  const form = await request.formData();
  const intent = formText(form, "intent");
  const jobId = params.jobId ?? "";
  if (intent.includes(":") || BILLING_INTENTS.has(intent)) {
    const currency = (await api.job.get({ id: jobId }).catch(() => null))?.currency ?? read.currency;
    const result = await billingAction(intent, form, org, jobId, read, currency);
    if (result) return result;
  }
  if (CONVERSATION_INTENTS.has(intent)) {
    const result = await conversationAction(intent, form, api, { jobId });
    if (result) return result;
  }
  switch (intent) {
    case "status":
      return attempt(
        intent,
        () =>
          api.job.changeStatus({
            jobId,
            to: formText(form, "to") as "approved",
            note: formText(form, "note") || undefined,
          }),
        "Status changed.",
      );
    case "details": {
      const due = formText(form, "dueAt");
      return attempt(
        intent,
        () =>
          api.job.update({
            id: jobId,
            title: formText(form, "title"),
            priority: formText(form, "priority") as "normal",
            rush: form.get("rush") === "on",
            dueAt: read.dueAt(due),
          }),
        "Details saved.",
      );
    }
    case "item": {
      const price = formText(form, "unitPrice");
      // The price is in the job's currency (the shop's when the job was made); NOT_FOUND comes from the update.
      const currency = form.has("unitPrice")
        ? ((await api.job.get({ id: jobId }).catch(() => null))?.currency ?? read.currency)
        : read.currency;
      return attempt(
        intent,
        () =>
          api.job.items.update({
            itemId: formText(form, "itemId"),
            description: formText(form, "description"),
            quantity: num(form.get("quantity")) ?? Number.NaN,
            materialId: formText(form, "materialId") || null,
            color: formText(form, "color").trim() || null,
            ...(form.has("unitPrice") ? { unitPriceMinor: read.money(price, currency) } : {}),
            fileId: formText(form, "fileId") || null,
          }),
        "Line item saved.",
      );
    }
    case "note":
      return attempt(intent, () => api.job.notes.add({ jobId, body: formText(form, "body") }), "Note added.");
    case "shareFile":
      return attempt(
        intent,
        () =>
          api.job.files.share({ id: formText(form, "fileId"), shared: formText(form, "shared") === "true" }),
        formText(form, "shared") === "true"
          ? "The customer sees the file now."
          : "The file is no longer shared.",
      );
    case "deleteFile":
      return attempt(intent, () => api.job.files.delete({ id: formText(form, "fileId") }), "File removed.");
    case "suggestion": {
      try {
        const answer = await api.job.suggestions.respond({
          kind: formText(form, "kind") as "printer_material",
          subjectId: jobId,
          outcome: formText(form, "outcome") as "accepted",
        });
        if (answer.outcome === "dismissed") return done(intent, "Suggestion dismissed.");
        // The suggested printer is chosen in the schedule form below.
        const next = new URLSearchParams({ applied: answer.applied ?? "Suggestion noted." });
        if (answer.printerId) next.set("printer", answer.printerId);
        return redirect(`/org/jobs/${jobId}?${next}#schedule-heading`);
      } catch (error) {
        return refused(intent, actionErrors(error, "The suggestion could not be applied."));
      }
    }
    case "unschedule":
      return attempt(intent, () => api.job.schedule.clear({ jobId }), "Taken off the schedule.");
    case "schedule": {
      const start = formText(form, "startAt");
      try {
        const result = await api.job.schedule.set({
          jobId,
          printerId: formText(form, "printerId"),
          startAt: read.dateTime(start) ?? (undefined as unknown as Date),
          durationMinutes: num(form.get("durationMinutes")),
        });
        return json<ScheduleResult>({
          intent,
          ok: true,
          message: `Scheduled on the printer for ${formatMinutes(result.durationMinutes)}.`,
          formError: null,
          fieldErrors: {},
          conflicts: result.conflicts,
        });
      } catch (error) {
        return refused(intent, actionErrors(error, "The job could not be scheduled."));
      }
    }
    default:
      return refused(intent, { formError: "Unknown action", fieldErrors: {} });
  }
}

export default function JobPage() {
  const {
    dateInput: dateInputValue,
    dateTimeInput: dateTimeInputValue,
    date: formatDate,
    money: formatMoney,
    moneyInput,
    dateTime: formatWhen,
    timeZone,
  } = useFormat();
  const { job, printers, materials, billing, conversation, suggestions, ...shell } =
    useLoaderData<typeof loader>();
  const latestProof = billing.proofs.reduce<(typeof billing.proofs)[number] | undefined>(
    (a, p) => (!a || p.version > a.version ? p : a),
    undefined,
  );
  const data = useActionData<typeof action>() as ScheduleResult | undefined;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const uploading = navigation.state === "submitting" && navigation.formAction?.endsWith("/files");
  const details = resultFor(data, "details");
  const status = resultFor(data, "status");
  const note = resultFor(data, "note");
  const itemResult = resultFor(data, "item");
  const fileResult = resultFor(data, "shareFile") ?? resultFor(data, "deleteFile");
  const itemsEditable = job.status === "quote" || job.status === "approved";
  const editing = itemsEditable ? job.items.find((i) => i.id === params.get("item")) : undefined;
  const models = job.files.filter((f) => f.kind === "model");
  const schedule = resultFor(data, "schedule") as ScheduleResult | undefined;
  const suggestion = resultFor(data, "suggestion");
  const uploadError = params.get("uploadError");
  return (
    <ShopPage
      shell={shell}
      title={`Job #${job.number}: ${job.title}`}
      description={
        <>
          For{" "}
          <Link to={`/org/customers/${job.customer.id}`} className={linkClass}>
            {job.customer.name}
          </Link>{" "}
          · {formatMoney(job.totalMinor, job.currency)} · created {formatWhen(job.createdAt)}
        </>
      }
      actions={
        <Link to="/org/jobs" className={linkClass}>
          All jobs
        </Link>
      }
    >
      {job.orderId ? (
        <Alert tone="info">
          From a marketplace order:{" "}
          <Link to={`/orders/shop/${job.orderId}`} className={linkClass}>
            open the order (customer messages, shipping address, payment)
          </Link>
        </Alert>
      ) : null}
      {params.get("created") ? <Alert tone="success">Job #{job.number} is created.</Alert> : null}
      {params.get("uploaded") ? <Alert tone="success">The file is attached.</Alert> : null}
      {uploadError ? <Alert tone="error">{uploadError}</Alert> : null}
      {params.get("applied") ? (
        <Alert tone="success">Suggestion applied: {params.get("applied")}</Alert>
      ) : null}
      {suggestion ? (
        <Alert tone={suggestion.ok ? "success" : "error"}>{suggestion.message ?? suggestion.formError}</Alert>
      ) : null}
      <JobSuggestions suggestions={suggestions} />
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={job.status} />
        <Badge tone={job.priority === "urgent" || job.priority === "high" ? "amber" : "slate"}>
          {PRIORITY_LABELS[job.priority]} priority
        </Badge>
        {job.rush ? <Badge tone="red">Rush</Badge> : null}
        {job.overdue ? <Badge tone="red">Overdue</Badge> : null}
        <span className="text-sm text-slate-600 dark:text-slate-400">Due {formatDate(job.dueAt)}</span>
        {job.printer ? (
          <span className="text-sm text-slate-600 dark:text-slate-400">
            · on {job.printer.name} {formatWhen(job.scheduledStartAt)} → {formatWhen(job.scheduledEndAt)}
          </span>
        ) : null}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="status-heading" title="Status" description={`Now: ${STATUS_LABELS[job.status]}`}>
          {job.nextStatuses.length === 0 ? (
            <p className="text-sm">This job is closed.</p>
          ) : (
            <FormBody intent="status" data={data} submit="Change status">
              <SelectField label="Move to" name="to" error={status?.fieldErrors.to}>
                {job.nextStatuses.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABELS[s]}
                  </option>
                ))}
              </SelectField>
              <TextField label="Status note (optional)" name="note" error={status?.fieldErrors.note} />
            </FormBody>
          )}
        </Section>
        <Section id="details-heading" title="Details">
          <FormBody intent="details" data={data} submit="Save details">
            <TextField
              label="Title"
              name="title"
              defaultValue={job.title}
              error={details?.fieldErrors.title}
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <SelectField
                label="Priority"
                name="priority"
                defaultValue={job.priority}
                error={details?.fieldErrors.priority}
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
                defaultValue={dateInputValue(job.dueAt)}
                error={details?.fieldErrors.dueAt}
              />
            </div>
            <CheckboxField label="Rush order" name="rush" defaultChecked={job.rush} />
          </FormBody>
        </Section>
      </div>
      <Section
        id="schedule-heading"
        title="Printer and time"
        description={
          job.printer
            ? `Scheduled on ${job.printer.name}, ${formatWhen(job.scheduledStartAt)} to ${formatWhen(job.scheduledEndAt)}.`
            : "Not scheduled yet. Approved jobs can be put on a printer."
        }
      >
        {schedule?.ok && schedule.conflicts?.length ? (
          <div className="mb-4">
            <Alert tone="warning">
              Scheduled, with conflicts to check:
              <ul className="mt-1 list-disc pl-5">
                {schedule.conflicts.map((c) => (
                  <li key={c.kind + c.message}>{c.message}</li>
                ))}
              </ul>
            </Alert>
          </div>
        ) : null}
        <FormBody intent="schedule" data={data} submit={job.printer ? "Move" : "Schedule"}>
          <div className="grid gap-4 sm:grid-cols-3">
            <SelectField
              label="Printer"
              name="printerId"
              defaultValue={job.printer?.id ?? params.get("printer") ?? ""}
              error={schedule?.fieldErrors.printerId}
            >
              <option value="">Choose a printer…</option>
              {printers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.status !== "available" ? ` (${p.status})` : ""}
                </option>
              ))}
            </SelectField>
            <TextField
              label={`Start (${timeZone})`}
              name="startAt"
              type="datetime-local"
              defaultValue={dateTimeInputValue(job.scheduledStartAt)}
              error={schedule?.fieldErrors.startAt}
            />
            <TextField
              label="Duration in minutes"
              name="durationMinutes"
              type="number"
              min={1}
              hint="Empty: the job's estimated print time."
              error={schedule?.fieldErrors.durationMinutes}
            />
          </div>
        </FormBody>
        {job.status === "scheduled" ? (
          <Form method="post" className="mt-2">
            <input type="hidden" name="intent" value="unschedule" />
            <Button type="submit" variant="secondary">
              Take off the schedule
            </Button>
          </Form>
        ) : null}
      </Section>
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
        {editing ? (
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
                    Unit price {formatMoney(editing.unitPriceMinor, job.currency)}: a marketplace order keeps
                    the price the customer paid.
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
        ) : null}
      </Section>
      <JobBilling billing={billing} job={{ ...job, customerEmail: job.customer.email }} data={data} />
      <Section
        id="conversation-heading"
        title="Conversation"
        description={`Portal messages, emails and texts with ${job.customer.name}.`}
      >
        <Conversation
          conversation={conversation}
          data={data}
          portal={job.orderId !== null}
          pendingProof={
            latestProof?.status === "pending" ? { id: latestProof.id, version: latestProof.version } : null
          }
        />
      </Section>
      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="notes-heading" title="Production notes">
          {job.notes.length ? (
            <ul className="mb-4 space-y-3">
              {job.notes.map((n) => (
                <li key={n.id} className="rounded-lg bg-slate-50 p-3 text-sm dark:bg-slate-800/60">
                  <p className="whitespace-pre-wrap">{n.body}</p>
                  <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                    {n.authorUserId === null ? "Ktizo (automatic)" : (n.authorName ?? "A former member")} ·{" "}
                    {formatWhen(n.createdAt)}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">No notes yet.</p>
          )}
          <FormBody intent="note" data={data} submit="Add note" variant="secondary">
            <TextAreaField
              key={note?.ok ? `n${job.notes.length}` : "note"}
              label="New note"
              name="body"
              rows={3}
              error={note?.fieldErrors.body}
            />
          </FormBody>
        </Section>
        <Section
          id="files-heading"
          title="Files"
          description="Models (STL, 3MF, OBJ up to 100 MB); mockups, proofs and photos (images or PDF, up to 25 MB)."
        >
          {fileResult?.ok && fileResult.message ? (
            <Alert tone="success">{fileResult.message}</Alert>
          ) : fileResult?.formError ? (
            <Alert tone="error">{fileResult.formError}</Alert>
          ) : null}
          {job.files.length ? (
            <ul className="mb-4 divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {job.files.map((f) => (
                <li key={f.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    <Badge tone="blue">{f.kind}</Badge>{" "}
                    <a href={`/org/jobs/${job.id}/files/${f.id}`} className={linkClass} download>
                      {f.fileName}
                    </a>{" "}
                    <span className="text-xs text-slate-500">
                      {formatBytes(f.sizeBytes)} · {formatWhen(f.createdAt)}
                    </span>
                    {f.sharedWithCustomer ? (
                      <>
                        {" "}
                        <Badge tone="green">Shared with the customer</Badge>
                      </>
                    ) : null}
                  </span>
                  {job.orderId ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="shareFile" />
                      <input type="hidden" name="fileId" value={f.id} />
                      <input type="hidden" name="shared" value={f.sharedWithCustomer ? "false" : "true"} />
                      <Button type="submit" variant="secondary">
                        {f.sharedWithCustomer
                          ? `Stop sharing ${f.fileName}`
                          : `Share ${f.fileName} with the customer`}
                      </Button>
                    </Form>
                  ) : null}
                  <Form method="post">
                    <input type="hidden" name="intent" value="deleteFile" />
                    <input type="hidden" name="fileId" value={f.id} />
                    <Button type="submit" variant="secondary" aria-label={`Remove ${f.fileName}`}>
                      Remove
                    </Button>
                  </Form>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">No files yet.</p>
          )}
          <Form
            method="post"
            action={`/org/jobs/${job.id}/files`}
            encType="multipart/form-data"
            className="space-y-4"
            reloadDocument
          >
            <div className="grid gap-4 sm:grid-cols-2">
              <SelectField label="Kind of file" name="kind" defaultValue="proof">
                <option value="model">Model</option>
                <option value="mockup">Mockup</option>
                <option value="proof">Proof</option>
                <option value="photo">Photo</option>
                <option value="other">Other</option>
              </SelectField>
              <TextField label="File" name="file" type="file" required />
              {job.orderId ? (
                <CheckboxField label="Share with the customer (shown on their order page)" name="shared" />
              ) : null}
            </div>
            <div className="flex justify-end">
              <Button type="submit" variant="secondary" disabled={uploading}>
                {uploading ? "Uploading…" : "Upload file"}
              </Button>
            </div>
          </Form>
        </Section>
      </div>
      <JobDrivePanel jobId={job.id} />
      <Section id="history-heading" title="Status history">
        <Table caption="Status history">
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Change</Th>
              <Th>By</Th>
              <Th>Note</Th>
            </tr>
          </thead>
          <tbody>
            {job.history.map((h) => (
              <tr key={h.id}>
                <Td>{formatWhen(h.createdAt)}</Td>
                <Td>
                  {h.fromStatus ? `${STATUS_LABELS[h.fromStatus]} → ` : "Created as "}
                  {STATUS_LABELS[h.toStatus]}
                </Td>
                <Td>{h.actorName ?? (h.actorUserId ? "A former member" : "Ktizo")}</Td>
                <Td>{h.note ?? ""}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
    </ShopPage>
  );
}
