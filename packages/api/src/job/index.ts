/**
 * What other modules (marketplace, web routes, background worker) use from the job board. Procedures are
 * in router.ts; these are the plain domain functions behind them.
 */

export { createJobFromOrder, jobFromOrderInput } from "./create-job.ts";
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
export { getJob, type JobDetail } from "./job-detail.ts";
export { jobBoard } from "./job-lists.ts";
export { findOverdueJobs, notifyOverdueJobs, type OverdueJob } from "./overdue.ts";
export { backfillCustomerPhones, customerPhoneBackfillJob } from "./phone-backfill.ts";
export { findScheduleConflicts, type ScheduleConflict } from "./schedule.ts";
export { allowedNextStatuses, JOB_STATUSES, STATUS_LABELS } from "./status.ts";
