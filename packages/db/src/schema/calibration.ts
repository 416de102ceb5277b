import type { ColumnType } from "kysely";
import type { CreatedAt, NullableTimestamp, Timestamp } from "./foundation.ts";

type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

/** Whether a shop applies its fitted print-time correction to new quotes (issue 14, requirement 6). */
export interface ShopCalibrationTable {
  organizationId: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  updatedAt: Touched;
}

export type PrinterConnectionKind = "moonraker" | "octoprint";

/** A printer's own API (Moonraker or OctoPrint), polled for its finished prints (requirement 7). */
export interface PrinterConnectionTable {
  printerId: string;
  organizationId: string;
  kind: PrinterConnectionKind;
  url: string;
  /** The API key sealed by the printers service; never stored or shown in the clear. */
  apiKeyCiphertext: string | null;
  lastPolledAt: NullableTimestamp;
  lastOkAt: NullableTimestamp;
  /** Why the last poll failed ("The printer could not be reached"); null after a good poll. */
  lastError: string | null;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

/** One finished print as the printer reported it, matched to the job it printed when one fits. */
export interface PrinterReportTable {
  id: string;
  organizationId: string;
  printerId: string;
  externalId: string;
  fileName: string;
  status: "completed" | "cancelled" | "error";
  startedAt: Timestamp;
  endedAt: Timestamp;
  printSeconds: number;
  filamentMm: number | null;
  jobId: string | null;
  createdAt: CreatedAt;
}

export interface CalibrationTables {
  shopCalibration: ShopCalibrationTable;
  printerConnection: PrinterConnectionTable;
  printerReport: PrinterReportTable;
}
