import { Alert, Button, Section, SelectField, TextField } from "@ktizo/ui";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import { PrinterOptions } from "~/components/shop/controls";
import { ErrorSummary } from "~/components/shop/error-summary";
import { STATUS_LABELS } from "~/components/shop/format";
import { useFormat } from "~/lib/format";
import type { PrinterLaneView, SchedulableJob, ScheduleActionResult } from "./types";

export const CONFLICT_LABELS: Record<string, string> = {
  overlap: "Overlap",
  printer_maintenance: "Maintenance",
  printer_offline: "Offline",
  out_of_stock: "Out of stock",
  does_not_fit: "Does not fit",
  material_not_supported: "Material not supported",
  past_due: "Past due",
};

/**
 * Scheduling a job by hand: a job (`?job=` preselects it), a printer (`?printer=`, as a suggestion names
 * it), a start and a duration; "Check conflicts" only checks, conflicts never block.
 */
export function ScheduleJobSection({
  jobs,
  lanes,
  data,
}: {
  jobs: SchedulableJob[];
  lanes: PrinterLaneView[];
  data: ScheduleActionResult | undefined;
}) {
  const { dateTimeInput: dateTimeInputValue, timeZone } = useFormat();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const preselected = params.get("job") ?? "";
  // A suggestion accepted on the job page names the printer similar jobs used.
  const preselectedPrinter = params.get("printer") ?? "";
  const e = data?.fieldErrors ?? {};
  const defaultStart = dateTimeInputValue(new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000));
  return (
    <Section
      id="schedule-form"
      title="Schedule a job"
      description="Conflicts are shown but do not block: you decide."
    >
      <Form method="post" noValidate className="space-y-4">
        {data?.ok ? (
          <Alert tone={data.conflicts.length ? "warning" : "success"}>
            {data.message}
            {data.conflicts.length ? (
              <ul className="mt-1 list-disc pl-5">
                {data.conflicts.map((c) => (
                  <li key={c.kind + c.message}>
                    <strong>{CONFLICT_LABELS[c.kind] ?? c.kind}:</strong> {c.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        <ErrorSummary result={data?.ok ? undefined : data} />
        <div className="grid gap-4 sm:grid-cols-4">
          <SelectField label="Job" name="jobId" defaultValue={preselected} error={e.jobId}>
            <option value="">Choose a job…</option>
            {jobs.map((j) => (
              <option key={j.id} value={j.id}>
                #{j.number} {j.title} ({STATUS_LABELS[j.status]})
              </option>
            ))}
          </SelectField>
          <SelectField label="Printer" name="printerId" defaultValue={preselectedPrinter} error={e.printerId}>
            <option value="">Choose a printer…</option>
            <PrinterOptions printers={lanes.map((l) => l.printer)} />
          </SelectField>
          <TextField
            label={`Start (${timeZone})`}
            name="startAt"
            type="datetime-local"
            defaultValue={defaultStart}
            error={e.startAt}
          />
          <TextField
            label="Duration (minutes)"
            name="durationMinutes"
            type="number"
            min={1}
            hint="Empty: the job's estimate"
            error={e.durationMinutes}
          />
        </div>
        <div className="flex justify-end gap-3">
          <Button type="submit" name="intent" value="check" variant="secondary" disabled={busy}>
            Check conflicts
          </Button>
          <Button type="submit" name="intent" value="set" disabled={busy}>
            Schedule job
          </Button>
        </div>
      </Form>
    </Section>
  );
}
