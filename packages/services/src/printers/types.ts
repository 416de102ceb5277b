/** Printers that report their own jobs (issue 14, requirement 7): Klipper's Moonraker and OctoPrint. */
export type PrinterConnectionKind = "moonraker" | "octoprint";

/** Where a shop's printer answers, with its API key as stored (sealed by `sealApiKey`). */
export interface PrinterEndpoint {
  organizationId: string;
  kind: PrinterConnectionKind;
  /** http(s)://host[:port][/prefix], no credentials, no query. */
  url: string;
  apiKeyCiphertext: string | null;
}

/** One finished print as the printer reports it. */
export interface PrinterJobReport {
  /** The printer's own id for the print (stable across polls). */
  externalId: string;
  fileName: string;
  status: "completed" | "cancelled" | "error";
  startedAt: Date;
  endedAt: Date;
  /** Time actually printing (pauses excluded where the printer says so). */
  printSeconds: number;
  /** Filament the printer measured, in mm; null when it does not measure it (OctoPrint). */
  filamentMm: number | null;
}

/** The printer did not answer, refused the key, or answered something that is not its API. */
export class PrinterUnreachableError extends Error {
  constructor(
    message: string,
    readonly reason: "network" | "timeout" | "unauthorized" | "bad_response",
  ) {
    super(message);
    this.name = "PrinterUnreachableError";
  }
}

export interface PrinterReportsService {
  /** "http" when API keys can be sealed (BETTER_AUTH_SECRET set); "off" otherwise. */
  readonly provider: "http" | "off";
  /** Encrypts a printer's API key for storage (AES-256-GCM, the organization as associated data). */
  sealApiKey(organizationId: string, apiKey: string): string;
  /** The printer's finished prints, newest first (at most `limit`). Throws PrinterUnreachableError. */
  finishedJobs(endpoint: PrinterEndpoint, options?: { limit?: number }): Promise<PrinterJobReport[]>;
}
