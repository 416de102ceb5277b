import { CheckboxField, Section, SelectField, TextField } from "@ktizo/ui";
import { FormBody } from "~/components/intent-form";
import { PriorityOptions } from "~/components/shop/controls";
import { STATUS_LABELS } from "~/components/shop/format";
import { useFormat } from "~/lib/format";
import { resultFor } from "~/lib/forms";
import type { JobActionResult, JobView } from "./types";

/** Moving the job to one of its next statuses, with an optional note. */
export function JobStatusSection({ job, data }: { job: JobView; data: JobActionResult | undefined }) {
  const status = resultFor(data, "status");
  return (
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
  );
}

/** The job's title, priority, due date and rush flag. */
export function JobDetailsSection({ job, data }: { job: JobView; data: JobActionResult | undefined }) {
  const { dateInput: dateInputValue } = useFormat();
  const details = resultFor(data, "details");
  return (
    <Section id="details-heading" title="Details">
      <FormBody intent="details" data={data} submit="Save details">
        <TextField label="Title" name="title" defaultValue={job.title} error={details?.fieldErrors.title} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Priority"
            name="priority"
            defaultValue={job.priority}
            error={details?.fieldErrors.priority}
          >
            <PriorityOptions />
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
  );
}
