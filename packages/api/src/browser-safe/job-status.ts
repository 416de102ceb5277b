/** The job workflow's statuses in board order and their labels (the job domain's, for every page). */
export const JOB_STATUSES = [
  "quote",
  "approved",
  "scheduled",
  "printing",
  "post_processing",
  "ready",
  "shipped",
  "picked_up",
  "completed",
  "on_hold",
  "cancelled",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const STATUS_LABELS: Record<JobStatus, string> = {
  quote: "Quote",
  approved: "Approved",
  scheduled: "Scheduled",
  printing: "Printing",
  post_processing: "Post-processing",
  ready: "Ready",
  shipped: "Shipped",
  picked_up: "Picked up",
  completed: "Completed",
  on_hold: "On hold",
  cancelled: "Cancelled",
};

/** The print technologies a printer, material or quote names. */
export const TECHNOLOGIES = ["fdm", "resin", "powder"] as const;
export type Technology = (typeof TECHNOLOGIES)[number];
