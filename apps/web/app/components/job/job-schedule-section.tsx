import { Alert, Button, Section, SelectField, TextField } from "@ktizo/ui";
import { Form, useSearchParams } from "@remix-run/react";
import { FormBody } from "~/components/intent-form";
import { PrinterOptions } from "~/components/shop/controls";
import { useFormat } from "~/lib/format";
import { resultFor } from "~/lib/forms";
import type { JobActionResult, JobPrinterOption, JobView } from "./types";

/** Putting the job on a printer at a time (a suggested printer comes in as `?printer=`), or taking it off. */
export function JobScheduleSection({
  job,
  printers,
  data,
}: {
  job: JobView;
  printers: JobPrinterOption[];
  data: JobActionResult | undefined;
}) {
  const { dateTimeInput: dateTimeInputValue, dateTime: formatWhen, timeZone } = useFormat();
  const [params] = useSearchParams();
  const schedule = resultFor(data, "schedule") as JobActionResult | undefined;
  return (
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
            <PrinterOptions printers={printers} />
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
  );
}
