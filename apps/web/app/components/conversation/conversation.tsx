import { Alert, Badge, Button, SelectField, TextField } from "@ktizo/ui";
import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { linkClass, TextAreaField } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { type FormResult, resultFor } from "~/lib/forms";
import type { loadConversation } from "./conversation.server";

type Channel = ConversationData["items"][number]["channel"];

/** The conversation as the page's loader serves it (loadConversation, over job.conversation.timeline). */
export type ConversationData = SerializeFrom<typeof loadConversation>;

const CHANNEL_LABEL: Record<Channel, string> = { portal: "Portal", email: "Email", sms: "SMS" };
const STATUS_TONE: Record<string, "green" | "amber" | "red" | "slate"> = {
  delivered: "green",
  read: "green",
  received: "green",
  sent: "slate",
  queued: "amber",
  failed: "red",
  undelivered: "red",
  blocked: "red",
};

type Result =
  | (FormResult & { preview?: { body: string; subject: string | null; smsSegments: number } })
  | undefined;

/**
 * The conversation with the customer (issue 13): portal messages, emails and texts, in and out, newest
 * first, with channel, author and delivery status; a reply box on the channel the user picks (a template
 * or a typed text, previewed before it goes); on a job, the pending proof can be texted for a YES.
 */
export function Conversation({
  conversation,
  data,
  portal,
  pendingProof,
  showJob = false,
}: {
  conversation: ConversationData;
  data: FormResult | undefined;
  /** The job came from a marketplace order, so the portal (order chat) is a channel. */
  portal: boolean;
  pendingProof?: { id: string; version: number } | null;
  /** On a customer's page each message says which job it belongs to. */
  showJob?: boolean;
}) {
  const { dateTime } = useFormat();
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const preview = resultFor(data, "convPreview") as Result;
  const sent = resultFor(data, "convSend");
  const texted = resultFor(data, "convTextProof");
  const result = sent ?? preview;
  const e = result?.fieldErrors ?? {};
  const channels: Channel[] = [...(portal ? (["portal"] as const) : []), "email", "sms"];
  return (
    <div className="space-y-6">
      <Form method="post" noValidate className="space-y-4" aria-label="Reply to the customer">
        {sent?.ok && sent.message ? <Alert tone="success">{sent.message}</Alert> : null}
        {result?.formError ? <Alert tone="error">{result.formError}</Alert> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Channel"
            name="channel"
            defaultValue={portal ? "portal" : "email"}
            error={e.channel}
          >
            {channels.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABEL[c]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Template" name="templateId" defaultValue="" error={e.templateId}>
            <option value="">No template: the text below</option>
            {conversation.templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
        </div>
        <TextField label="Subject (email)" name="subject" error={e.subject} />
        <TextAreaField label="Message" name="body" rows={3} error={e.body} />
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Placeholders: {"{job_number}"}, {"{customer_name}"}, {"{proof_link}"}, {"{payment_link}"},{" "}
          {"{pickup_address}"}, {"{shop_name}"}
        </p>
        {preview?.preview ? (
          <output className="block rounded-lg bg-slate-50 p-3 text-sm ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700">
            <p className="text-xs font-medium text-slate-500 dark:text-slate-400">
              Preview{preview.preview.subject ? `: ${preview.preview.subject}` : ""} (
              {preview.preview.smsSegments} SMS part{preview.preview.smsSegments === 1 ? "" : "s"})
            </p>
            <p className="mt-1 whitespace-pre-wrap break-words">{preview.preview.body}</p>
          </output>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="submit" name="intent" value="convPreview" variant="secondary" disabled={!!busyIntent}>
            {busyIntent === "convPreview" ? "Previewing…" : "Preview"}
          </Button>
          <Button type="submit" name="intent" value="convSend" disabled={!!busyIntent}>
            {busyIntent === "convSend" ? "Sending…" : "Send"}
          </Button>
        </div>
        {conversation.smsNumber ? null : (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Texts need the shop's SMS number:{" "}
            <Link to="/org/settings/messages#sms-heading" className={linkClass}>
              Settings
            </Link>
            .
          </p>
        )}
      </Form>
      {pendingProof ? (
        <Form method="post" className="flex flex-wrap items-center gap-3">
          <input type="hidden" name="intent" value="convTextProof" />
          <input type="hidden" name="proofId" value={pendingProof.id} />
          <Button type="submit" variant="secondary" disabled={!!busyIntent}>
            Text proof {pendingProof.version} for approval
          </Button>
          <span className="text-xs text-slate-500 dark:text-slate-400">
            “Reply YES to approve proof {pendingProof.version}”
          </span>
          {texted?.message ? <Alert tone="success">{texted.message}</Alert> : null}
          {texted?.formError ? <Alert tone="error">{texted.formError}</Alert> : null}
        </Form>
      ) : null}
      {conversation.items.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {conversation.paged ? "No older messages." : "No messages yet."}
        </p>
      ) : (
        <ol className="space-y-3" aria-label="Conversation timeline">
          {conversation.items.map((m) => (
            <li
              key={`${m.channel}-${m.id}`}
              className={
                m.direction === "out"
                  ? "ml-6 rounded-lg bg-brand-50 p-3 ring-1 ring-brand-100 dark:bg-brand-950 dark:ring-brand-900"
                  : "mr-6 rounded-lg bg-white p-3 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700"
              }
            >
              <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                <Badge tone="slate">{CHANNEL_LABEL[m.channel]}</Badge>
                <span>{m.direction === "out" ? "To customer" : "From customer"}</span>
                <span className="font-medium text-slate-800 dark:text-slate-200">{m.authorLabel}</span>
                <time dateTime={m.createdAt}>{dateTime(m.createdAt)}</time>
                <Badge tone={STATUS_TONE[m.status] ?? "slate"}>{m.status}</Badge>
                {showJob && m.jobId ? (
                  <Link to={`/org/jobs/${m.jobId}`} className={linkClass}>
                    Job #{m.jobNumber}
                  </Link>
                ) : null}
              </div>
              {m.subject ? <p className="mt-1 text-sm font-medium break-words">{m.subject}</p> : null}
              <p className="mt-1 whitespace-pre-wrap break-words text-sm">{m.body}</p>
              {m.statusDetail ? (
                <p className="mt-1 text-xs text-red-700 dark:text-red-300">{m.statusDetail}</p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <div className="flex flex-wrap gap-4 text-sm">
        {conversation.paged ? (
          <Link to="?#conversation-heading" className={linkClass}>
            Newest messages
          </Link>
        ) : null}
        {conversation.nextCursor ? (
          <Link
            to={`?before=${encodeURIComponent(conversation.nextCursor)}#conversation-heading`}
            className={linkClass}
          >
            Older messages
          </Link>
        ) : null}
      </div>
    </div>
  );
}
