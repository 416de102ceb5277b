import { Button, Section } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { TextAreaField } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { resultFor } from "~/lib/forms";
import type { BusyIntent, InboxActionResult, InboxThread } from "./types";

/** Replying in the thread from the connected Google address; the form empties after a sent reply. */
export function ThreadReplySection({
  thread,
  email,
  done,
  data,
  busy,
}: {
  thread: InboxThread;
  email: string | null;
  done: string | null;
  data: InboxActionResult | undefined;
  busy: BusyIntent;
}) {
  return (
    <Section id="inbox-reply" title="Reply">
      <ErrorSummary result={resultFor(data, "reply")} />
      <Form method="post" className="space-y-3" key={done ?? "reply"}>
        <input type="hidden" name="intent" value="reply" />
        <input type="hidden" name="threadId" value={thread.id} />
        <TextAreaField
          label="Your reply"
          name="text"
          rows={5}
          error={resultFor(data, "reply")?.fieldErrors?.text}
        />
        <Button type="submit" disabled={busy("reply")}>
          {busy("reply") ? "Sending…" : `Send as ${email}`}
        </Button>
      </Form>
    </Section>
  );
}
