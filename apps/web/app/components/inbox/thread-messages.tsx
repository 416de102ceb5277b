import { Badge, Button, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { useFormat } from "~/lib/format";
import type { BusyIntent, InboxThread } from "./types";

/** The open thread's messages; a purchase order among them can be drafted into a job. */
export function InboxThreadMessages({ thread, busy }: { thread: InboxThread; busy: BusyIntent }) {
  const { dateTime } = useFormat();
  return (
    <Section id="inbox-thread" title={thread.subject || "(no subject)"}>
      <ol className="space-y-4">
        {thread.messages.map((m) => (
          <li key={m.id} className="rounded-md p-3 ring-1 ring-slate-200 dark:ring-slate-800">
            <p className="flex flex-wrap justify-between gap-2 text-sm">
              <span className="font-medium text-slate-900 dark:text-white">{m.from}</span>
              <time className="text-slate-500 dark:text-slate-400">{dateTime(m.date)}</time>
            </p>
            <p className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-700 dark:text-slate-200">
              {m.body}
            </p>
            {m.attachments.length > 0 ? (
              <ul className="mt-2 flex flex-wrap gap-2">
                {m.attachments.map((a) => (
                  <li key={a.attachmentId}>
                    <Badge tone="slate">{a.filename}</Badge>
                  </li>
                ))}
              </ul>
            ) : null}
            {m.purchaseOrder ? (
              <Form method="post" className="mt-3">
                <input type="hidden" name="intent" value="draft" />
                <input type="hidden" name="threadId" value={thread.id} />
                <input type="hidden" name="messageId" value={m.id} />
                <input
                  type="hidden"
                  name="attachmentId"
                  value={m.attachments.find((a) => a.isPdf)?.attachmentId ?? ""}
                />
                <Button type="submit" disabled={busy("draft")}>
                  {busy("draft") ? "Reading…" : "Draft a job"}
                </Button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
    </Section>
  );
}
