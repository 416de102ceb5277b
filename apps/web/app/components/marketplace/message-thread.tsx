import { Button } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useFormat } from "~/lib/format";

export interface ThreadMessage {
  id: string;
  side: "customer" | "shop";
  mine: boolean;
  body: string;
  attachment: { id: string; fileName: string } | null;
  createdAt: string;
}

/** The customer↔shop thread of one order, with a reply form (text and an optional attachment). */
export function MessageThread({
  messages,
  otherName,
  attachmentBase,
  error,
  draft,
  composerExtras,
}: {
  messages: ThreadMessage[];
  otherName: string;
  /** Where attachments download from ("/orders/<id>/attachments"). */
  attachmentBase: string;
  error?: string | null;
  /** Text to start the reply with (a suggested draft); the form starts afresh when it changes. */
  draft?: string | null;
  /** Shown above the reply form (the shop's "Suggest a reply"), and sent with it (hidden fields). */
  composerExtras?: { above?: ReactNode; fields?: ReactNode };
}) {
  const { dateTime: formatDateTime } = useFormat();
  return (
    <div className="space-y-3">
      <ul className="space-y-2" aria-label="Messages">
        {messages.length === 0 ? <li className="text-sm text-slate-500">No messages yet.</li> : null}
        {messages.map((m) => (
          <li
            key={m.id}
            className={`rounded-md p-2 text-sm ${m.mine ? "ml-8 bg-brand-50 dark:bg-brand-950" : "mr-8 bg-slate-100 dark:bg-slate-800"}`}
          >
            <p className="text-xs text-slate-500">
              {m.mine ? "You" : otherName} · {formatDateTime(m.createdAt)}
            </p>
            <p className="whitespace-pre-wrap">{m.body}</p>
            {m.attachment ? (
              <p className="text-xs">
                Attachment:{" "}
                <a
                  href={`${attachmentBase}/${m.attachment.id}`}
                  className="text-brand-600 hover:underline"
                  download
                >
                  {m.attachment.fileName}
                </a>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {composerExtras?.above}
      <Form key={draft ?? ""} method="post" encType="multipart/form-data" className="space-y-2">
        <input type="hidden" name="intent" value="message" />
        {composerExtras?.fields}
        <label htmlFor="message-body" className="block text-sm font-medium">
          Message to {otherName}
        </label>
        <textarea
          id="message-body"
          name="body"
          rows={draft ? 8 : 3}
          required
          defaultValue={draft ?? undefined}
          className="block w-full rounded-md px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
        />
        <label className="block text-sm">
          Attachment (optional, up to 10 MB) <input type="file" name="attachment" className="text-sm" />
        </label>
        {error ? (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        ) : null}
        <Button type="submit">Send message</Button>
      </Form>
    </div>
  );
}
