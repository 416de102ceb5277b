import type { JobStatus } from "@ktizo/api/shared";
import type { RouterOutputs, Served } from "~/lib/api-types";

/** The schedule's timeline as the page receives it (job.schedule.timeline). */
export type ScheduleTimeline = Served<RouterOutputs["job"]["schedule"]["timeline"]>;
/** One printer's lane: its jobs and maintenance windows in the shown days. */
export type PrinterLaneView = ScheduleTimeline["lanes"][number];
/** A conflict of a slot, as the planner names it. */
export type Conflict = { kind: string; message: string };
/** The answer of the schedule page's action: checked or scheduled, with the slot's conflicts. */
export type ScheduleActionResult = {
  ok: boolean;
  message: string | null;
  conflicts: Conflict[];
  formError: string | null;
  fieldErrors: Record<string, string>;
};
/** A job that can be scheduled (approved) or moved (scheduled, printing, on hold). */
export type SchedulableJob = {
  id: string;
  number: number;
  title: string;
  status: JobStatus;
};
