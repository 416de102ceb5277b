import type { ColumnType, JSONColumnType } from "kysely";
import type { CreatedAt, Timestamp } from "./foundation.ts";

type Json<T extends object | null> = JSONColumnType<T, string | undefined, string>;

/** Planned maintenance of a printer (0215): the planner keeps it free; the schedule shows it. */
export interface PrinterMaintenanceTable {
  id: string;
  organizationId: string;
  printerId: string;
  startsAt: Timestamp;
  endsAt: Timestamp;
  reason: ColumnType<string, string | undefined, string>;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export type SuggestionKind = "printer_material" | "price_check" | "reorder";

/** What a shop user did with a smart suggestion (issue 15, requirement 5; 0215). */
export interface SuggestionOutcomeTable {
  id: string;
  organizationId: string;
  userId: string | null;
  kind: SuggestionKind;
  /** The job (printer/material, price check) or material (reorder) it was about. */
  subjectId: string;
  outcome: "accepted" | "dismissed";
  detail: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface PlanningTables {
  printerMaintenance: PrinterMaintenanceTable;
  suggestionOutcome: SuggestionOutcomeTable;
}
