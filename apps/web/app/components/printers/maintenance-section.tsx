import { Alert, Button, Section, SelectField, TextField } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { ErrorSummary } from "~/components/shop/error-summary";
import { useFormat } from "~/lib/format";
import type { FormResult } from "~/lib/forms";
import type { MaintenanceWindow, PrinterView } from "./types";

/** Planned maintenance: the planner keeps these windows free and the schedule shows them. */
export function MaintenanceSection({
  printers,
  windows,
  result,
  busy,
  preselected,
}: {
  printers: Pick<PrinterView, "id" | "name">[];
  windows: MaintenanceWindow[];
  result: FormResult | undefined;
  busy: boolean;
  preselected: string | undefined;
}) {
  const { dateTime, dateTimeInput, timeZone } = useFormat();
  const e = result?.fieldErrors ?? {};
  return (
    <Section
      id="maintenance"
      title="Planned maintenance"
      description={`Nozzle changes, service visits: nothing is planned on a printer while it is serviced (times in ${timeZone}).`}
    >
      {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
      <Form method="post" noValidate className="space-y-4">
        <input type="hidden" name="intent" value="maintenance-add" />
        <ErrorSummary result={result?.ok ? undefined : result} />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <SelectField label="Printer" name="printerId" defaultValue={preselected ?? ""} error={e.printerId}>
            <option value="">Choose a printer…</option>
            {printers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Starts"
            name="startsAt"
            type="datetime-local"
            defaultValue={dateTimeInput(new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000))}
            error={e.startsAt}
          />
          <TextField label="Ends" name="endsAt" type="datetime-local" error={e.endsAt} />
          <TextField label="Reason" name="reason" placeholder="Nozzle change" error={e.reason} />
        </div>
        <div className="flex justify-end">
          <Button type="submit" disabled={busy}>
            Plan maintenance
          </Button>
        </div>
      </Form>
      {windows.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">No maintenance planned.</p>
      ) : (
        <ul
          className="mt-4 divide-y divide-slate-100 text-sm dark:divide-slate-800"
          aria-label="Maintenance windows"
        >
          {windows.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <span className="font-medium">{w.printerName}</span>{" "}
                <span className="text-slate-700 dark:text-slate-300">
                  {dateTime(w.startsAt)} → {dateTime(w.endsAt)}
                  {w.reason ? ` · ${w.reason}` : ""}
                </span>
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="maintenance-remove" />
                <input type="hidden" name="id" value={w.id} />
                <button
                  type="submit"
                  className="text-sm font-medium text-red-700 hover:underline dark:text-red-400"
                  aria-label={`Remove maintenance on ${w.printerName} from ${dateTime(w.startsAt)}`}
                >
                  Remove
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
