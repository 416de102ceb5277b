/** Everything the planner reads and writes. Times are epoch milliseconds (UTC); durations minutes. */

export type Technology = "fdm" | "resin" | "powder";
export type Priority = "low" | "normal" | "high" | "urgent";

export interface Interval {
  start: number;
  end: number;
}

export interface PlannerPrinter {
  id: string;
  name: string;
  technology: Technology;
  /** Build volume in mm (x, y, z); a part may be turned to fit. */
  buildMm: readonly [number, number, number];
  /** Materials the printer can run (loaded or supported). */
  materialIds: readonly string[];
  /** False: offline or out of order; nothing is planned on it. */
  online: boolean;
  maintenance: readonly Interval[];
  /** May a print run outside working hours (overnight, weekends) once started? */
  unattended: boolean;
}

export interface PlannerJob {
  id: string;
  /** What a person calls it: "JOB-1042 · Acme brackets". */
  label: string;
  technology: Technology;
  sizeMm: readonly [number, number, number];
  materialId: string | null;
  grams: number;
  /** Print time: the slice's when there is one, else the estimate, after calibration. */
  printMinutes: number;
  /**
   * Print time on particular printers when it differs there (the shop's calibration is fitted per
   * printer and material); a printer not named uses `printMinutes`.
   */
  printMinutesOn?: Readonly<Record<string, number>> | undefined;
  dueAt: number | null;
  priority: Priority;
  /** Approved by the customer (estimate, current proof). */
  approved: boolean;
  /** False while a required deposit is unpaid. */
  depositPaid: boolean;
  /** Scheduled already: kept where it is (started, or moves not allowed), or moved when allowed. */
  scheduled?: { printerId: string; start: number; started: boolean } | undefined;
}

/** Opening hours in the shop's time zone: per weekday (0 = Sunday), windows in minutes after midnight. */
export interface WorkingHours {
  timeZone: string;
  days: Readonly<Record<number, ReadonlyArray<readonly [number, number]>>>;
}

export interface StockLevel {
  materialId: string;
  /** What people call it ("PETG Black"), for the reasons; the id when absent. */
  name?: string | undefined;
  /** Free stock now (on hand less reservations of jobs not in this plan). */
  availableG: number;
  /** Deliveries expected (purchase orders). */
  arrivals?: ReadonlyArray<{ at: number; grams: number }>;
}

/** Explicit steering, typed by a person or proposed by the AI from a sentence and confirmed. */
export type PlanConstraint =
  | { kind: "first"; jobIds: readonly string[] }
  | { kind: "keep_free"; printerId: string; interval: Interval }
  | { kind: "not_before"; jobId: string; at: number }
  | { kind: "on_printer"; jobId: string; printerId: string };

export interface PlanInput {
  now: number;
  jobs: readonly PlannerJob[];
  printers: readonly PlannerPrinter[];
  hours: WorkingHours;
  stock: readonly StockLevel[];
  constraints?: readonly PlanConstraint[];
  /** May scheduled jobs that have not started move? */
  allowMoves?: boolean;
  /** How far ahead to look for room (default 60 days). */
  horizonDays?: number;
  /** Improvement effort (decodes of the local search); the same input always gives the same plan. */
  effort?: number;
}

export interface Assignment {
  jobId: string;
  printerId: string;
  start: number;
  end: number;
  /** Minutes past the due date (0 when on time or undated). */
  lateMinutes: number;
  /** Why it is late, in words, when it is. */
  lateBecause: string | null;
  /** A scheduled job the plan moves. */
  moved: boolean;
  /** It waits for a delivery of this material. */
  waitsForMaterial: { materialId: string; until: number } | null;
}

export interface Unplanned {
  jobId: string;
  reason: string;
}

export interface PlanScore {
  lateJobs: number;
  totalLatenessMinutes: number;
  /** End of the last job, epoch ms (now when nothing is planned). */
  makespan: number;
}

export interface PlanResult {
  assignments: Assignment[];
  unplanned: Unplanned[];
  score: PlanScore;
}
