/**
 * What other modules (marketplace, web routes, background worker) use from the job board. Procedures are
 * in router.ts; these are the plain domain functions behind them.
 */
export { toCsv } from "./csv.ts";
export { exportCustomersCsv, exportJobsCsv } from "./export.ts";
export {
  attachJobFile,
  attachJobFileInput,
  getJobFileForDownload,
  getSharedJobFileForDownload,
  type JobFileStorage,
  type JobFileView,
  MAX_FILE_BYTES,
} from "./files.ts";
export { createJobFromOrder, getJob, type JobDetail, jobBoard, jobFromOrderInput } from "./jobs.ts";
export { findOverdueJobs, notifyOverdueJobs, type OverdueJob } from "./overdue.ts";
export { backfillCustomerPhones, customerPhoneBackfillJob } from "./phone-backfill.ts";
export { findScheduleConflicts, type ScheduleConflict } from "./schedule.ts";
export { allowedNextStatuses, JOB_STATUSES, STATUS_LABELS } from "./status.ts";
