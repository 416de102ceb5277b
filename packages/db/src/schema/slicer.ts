import type { ColumnType, JSONColumnType } from "kysely";
import type { NullableTimestamp } from "./foundation.ts";

export type ModelSliceStatus = "running" | "sliced" | "failed";
export type ModelSliceErrorClass =
  | "unreadable"
  | "no_layers"
  | "nothing_on_bed"
  | "does_not_fit"
  | "timeout"
  | "out_of_memory"
  | "failed";

/** Filament per extrusion role (FFF), from the slicer's `;TYPE:` markers. */
export type SliceRoleFigures = Record<string, { mm: number; cm3: number; g: number }>;

/** One slice of an uploaded model with one printer's profile (issue 14). */
export interface ModelSliceTable {
  id: string;
  uploadId: string;
  printerId: string;
  organizationId: string;
  status: ModelSliceStatus;
  meshHash: string;
  profileHash: string;
  profileVersion: number;
  slicerName: string;
  slicerVersion: string;
  exitCode: number | null;
  errorClass: ModelSliceErrorClass | null;
  printSeconds: number | null;
  filamentMm: number | null;
  filamentCm3: number | null;
  filamentG: number | null;
  layers: number | null;
  perRole: JSONColumnType<SliceRoleFigures, string | undefined, string>;
  wallMs: number | null;
  peakMemoryBytes: number | null;
  cached: ColumnType<boolean, boolean | undefined, boolean>;
  startedAt: ColumnType<Date, Date | string | undefined, Date | string>;
  finishedAt: NullableTimestamp;
}

export interface SlicerTables {
  modelSlice: ModelSliceTable;
}
