import { actionErrors, errorCode, Section } from "@ktizo/ui";
import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { JobBilling } from "~/components/billing/job-billing";
import { billingAction, loadJobBilling } from "~/components/billing/job-billing.server";
import { Conversation } from "~/components/conversation/conversation";
import {
  CONVERSATION_INTENTS,
  conversationAction,
  loadConversation,
} from "~/components/conversation/conversation.server";
import { JobFilesSection } from "~/components/job/job-files-section";
import { JobHistorySection } from "~/components/job/job-history-section";
import { JobLineItemsSection } from "~/components/job/job-line-items";
import { JobNotesSection } from "~/components/job/job-notes-section";
import { JobNotices, JobStatusLine } from "~/components/job/job-notices";
import { JobScheduleSection } from "~/components/job/job-schedule-section";
import { JobDetailsSection, JobStatusSection } from "~/components/job/job-status-details";
import type { JobActionResult } from "~/components/job/types";
import { linkClass } from "~/components/shop/controls";
import { formatMinutes, num } from "~/components/shop/format";
import { JobDrivePanel } from "~/components/shop/job-drive-panel";
import { JobSuggestions } from "~/components/shop/job-suggestions";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, done, formText, refused } from "~/lib/forms";
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
        return json<JobActionResult>({
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
  const { money: formatMoney, dateTime: formatWhen } = useFormat();
  const { job, printers, materials, billing, conversation, suggestions, ...shell } =
    useLoaderData<typeof loader>();
  const latestProof = billing.proofs.reduce<(typeof billing.proofs)[number] | undefined>(
    (a, p) => (!a || p.version > a.version ? p : a),
    undefined,
  );
  const data = useActionData<typeof action>() as JobActionResult | undefined;
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
      <JobNotices job={job} data={data} />
      <JobSuggestions suggestions={suggestions} />
      <JobStatusLine job={job} />
      <div className="grid gap-6 lg:grid-cols-2">
        <JobStatusSection job={job} data={data} />
        <JobDetailsSection job={job} data={data} />
      </div>
      <JobScheduleSection job={job} printers={printers} data={data} />
      <JobLineItemsSection job={job} materials={materials} data={data} />
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
        <JobNotesSection job={job} data={data} />
        <JobFilesSection job={job} data={data} />
      </div>
      <JobDrivePanel jobId={job.id} />
      <JobHistorySection history={job.history} />
    </ShopPage>
  );
}
