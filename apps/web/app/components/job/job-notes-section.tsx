import { Section } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { TextAreaField } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { resultFor } from "~/lib/forms";
import type { JobActionResult, JobView } from "./types";

/** The shop's production notes on the job, and the form for a new one. */
export function JobNotesSection({ job, data }: { job: JobView; data: JobActionResult | undefined }) {
  const { dateTime: formatWhen } = useFormat();
  const note = resultFor(data, "note");
  return (
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
  );
}
