import { Button, Section, SelectField } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { ErrorSummary } from "~/components/shop/error-summary";
import { resultFor } from "~/lib/forms";
import type { BusyIntent, InboxActionResult, InboxThread, LinkChoice } from "./types";

/** Linking the thread to a job or customer, so its new messages appear in that conversation. */
export function ThreadLinkSection({
  thread,
  jobs,
  customers,
  data,
  busy,
}: {
  thread: InboxThread;
  jobs: LinkChoice[];
  customers: LinkChoice[];
  data: InboxActionResult | undefined;
  busy: BusyIntent;
}) {
  return (
    <Section
      id="inbox-link"
      title="Link to a job or customer"
      description={
        thread.link
          ? `Linked to ${thread.link.jobNumber ? `job #${thread.link.jobNumber} ${thread.link.jobTitle ?? ""}` : thread.link.customerName}: new messages appear in its conversation.`
          : "New messages of a linked thread appear in the job's or customer's conversation."
      }
    >
      <ErrorSummary result={resultFor(data, "link")} />
      <Form method="post" className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="intent" value="link" />
        <input type="hidden" name="threadId" value={thread.id} />
        <div className="min-w-0 grow">
          <SelectField label="Job or customer" name="target" defaultValue="">
            <option value="" disabled>
              Choose…
            </option>
            <optgroup label="Jobs">
              {jobs.map((j) => (
                <option key={j.id} value={`job:${j.id}`}>
                  {j.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Customers">
              {customers.map((c) => (
                <option key={c.id} value={`customer:${c.id}`}>
                  {c.label}
                </option>
              ))}
            </optgroup>
          </SelectField>
        </div>
        <Button type="submit" disabled={busy("link")}>
          Link thread
        </Button>
      </Form>
      {thread.link ? (
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="unlink" />
          <input type="hidden" name="threadId" value={thread.id} />
          <Button type="submit" variant="secondary">
            Unlink
          </Button>
        </Form>
      ) : null}
    </Section>
  );
}
