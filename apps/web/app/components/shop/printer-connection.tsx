import { Button, Section, SelectField, TextField } from "@ktizo/ui";
import { Form } from "@remix-run/react";
import { useFormat } from "~/lib/format";
import type { FormResult } from "~/lib/forms";

export interface PrinterConnection {
  printerId: string;
  kind: "moonraker" | "octoprint";
  url: string;
  hasApiKey: boolean;
  lastPolledAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  reports: number;
  matched: number;
}

const KIND_LABEL = { moonraker: "Moonraker (Klipper)", octoprint: "OctoPrint" } as const;

/** The printers table's line about a connected printer: answering, not polled yet, or unreachable. */
export function ConnectionStatus({ connection }: { connection: PrinterConnection | undefined }) {
  const { dateTime } = useFormat();
  if (!connection) return null;
  const kind = KIND_LABEL[connection.kind];
  if (connection.lastError) {
    return (
      <p className="mt-1 text-xs text-red-700 dark:text-red-300" data-testid="printer-connection">
        {kind} unreachable: {connection.lastError}
        {connection.lastPolledAt ? ` (tried ${dateTime(connection.lastPolledAt)})` : ""}
      </p>
    );
  }
  return (
    <p className="mt-1 text-xs text-slate-600 dark:text-slate-400" data-testid="printer-connection">
      {connection.lastOkAt
        ? `${kind}: answered ${dateTime(connection.lastOkAt)}, ${connection.reports} prints reported (${connection.matched} matched to jobs)`
        : `${kind}: connected, not polled yet`}
    </p>
  );
}

/**
 * Connecting a printer so it reports its own prints: its Moonraker or OctoPrint address and API key.
 * The key is sealed on the server and never shown again; leaving the field empty keeps it.
 */
export function ConnectionForm({
  printerId,
  printerName,
  connection,
  result,
  busy,
}: {
  printerId: string;
  printerName: string;
  connection: PrinterConnection | undefined;
  result: FormResult | undefined;
  busy: boolean;
}) {
  const e = result && !result.ok ? result.fieldErrors : {};
  return (
    <Section
      id="printer-connection"
      title={`Reports from ${printerName}`}
      description="Printers running Moonraker (Klipper) or OctoPrint report how long each print took (and Moonraker how much filament it used). Ktizo asks every minute; the times calibrate your quotes."
    >
      <Form method="post" noValidate className="space-y-4" key={`${printerId}-${connection?.url ?? ""}`}>
        <input type="hidden" name="id" value={printerId} />
        {result && !result.ok && result.formError ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {result.formError}
          </p>
        ) : null}
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField
            label="Printer software"
            name="kind"
            defaultValue={connection?.kind ?? "moonraker"}
            error={e.kind}
          >
            <option value="moonraker">{KIND_LABEL.moonraker}</option>
            <option value="octoprint">{KIND_LABEL.octoprint}</option>
          </SelectField>
          <TextField
            label="Address"
            name="url"
            type="url"
            placeholder="http://192.168.1.50:7125"
            defaultValue={connection?.url ?? ""}
            error={e.url}
          />
          <TextField
            label="API key"
            name="apiKey"
            type="password"
            autoComplete="off"
            placeholder={connection?.hasApiKey ? "stored (leave empty to keep)" : "optional"}
            error={e.apiKey}
          />
        </div>
        <div className="flex flex-wrap justify-end gap-3">
          {/* The saving button comes first: Enter in a field submits with it. */}
          <Button type="submit" name="intent" value="connect" disabled={busy}>
            {connection ? "Save connection" : "Connect printer"}
          </Button>
          {connection ? (
            <Button type="submit" variant="secondary" name="intent" value="disconnect" disabled={busy}>
              Disconnect
            </Button>
          ) : null}
        </div>
      </Form>
    </Section>
  );
}
