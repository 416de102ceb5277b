export { type LocalDay, localDays, workingWindows } from "./calendar.ts";
export { capablePrinters, fitsBuildVolume } from "./fit.ts";
export { earliestDueDateGreedy, lowerBound, planSchedule } from "./plan.ts";
export type * from "./types.ts";
