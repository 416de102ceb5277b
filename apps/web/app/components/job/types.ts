import type { RouterOutputs, Served } from "~/lib/api-types";
import type { FormResult } from "~/lib/forms";

/** The job as the job page receives it (job.get). */
export type JobView = Served<RouterOutputs["job"]["get"]>;

/** The answer of the job page's action: a form result, with the schedule's conflicts when it scheduled. */
export type JobActionResult = FormResult & {
  conflicts?: { kind: string; message: string }[];
};

/** A printer the job can be scheduled on. */
export type JobPrinterOption = Pick<
  Served<RouterOutputs["shop"]["printers"]["list"]>[number],
  "id" | "name" | "status"
>;

/** A material a line item can be made of, with its colors. */
export type JobMaterialOption = Pick<
  Served<RouterOutputs["shop"]["materials"]["list"]>[number],
  "id" | "name" | "colors"
>;
