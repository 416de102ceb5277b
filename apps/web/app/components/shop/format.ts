/** Shared display helpers of the shop workspace pages (no server imports: safe in the browser). */

import { JOB_STATUSES, type JobStatus } from "@ktizo/api/shared";

export { JOB_STATUSES, type JobStatus, STATUS_LABELS } from "@ktizo/api/shared";

/**
 * The forward move a board card's main button makes: the first later status in workflow order among the
 * moves the server allows for that card (`nextStatuses`, from the job domain's workflow).
 */
export function forwardStatus(status: JobStatus, nextStatuses: readonly JobStatus[]): JobStatus | null {
  const order = JOB_STATUSES.indexOf(status);
  return (
    nextStatuses.find((s) => s !== "on_hold" && s !== "cancelled" && JOB_STATUSES.indexOf(s) > order) ?? null
  );
}

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type JobPriority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<JobPriority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

export const STATUS_TONES: Record<JobStatus, "slate" | "blue" | "green" | "amber" | "red"> = {
  quote: "slate",
  approved: "blue",
  scheduled: "blue",
  printing: "amber",
  post_processing: "amber",
  ready: "green",
  shipped: "green",
  picked_up: "green",
  completed: "green",
  on_hold: "red",
  cancelled: "slate",
};

export function formatGrams(g: number): string {
  return Math.abs(g) >= 1000 ? `${(g / 1000).toFixed(2)} kg` : `${g} g`;
}

export function formatMinutes(m: number): string {
  const h = Math.floor(m / 60);
  const r = m % 60;
  return h > 0 ? `${h} h${r ? ` ${r} min` : ""}` : `${r} min`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A form number: "" → undefined, otherwise Number (NaN is left for the server to refuse). */
export function num(value: FormDataEntryValue | null): number | undefined {
  const t = String(value ?? "").trim();
  return t === "" ? undefined : Number(t);
}

/** The list's filters from the query string (unknown values are ignored, never an error). */
export function jobFilters(params: URLSearchParams) {
  const status = params.getAll("status").filter((s): s is JobStatus => JOB_STATUSES.includes(s as JobStatus));
  const priority = params.get("priority");
  return {
    search: params.get("q")?.trim() || undefined,
    status: status.length ? status : undefined,
    priority: PRIORITIES.includes(priority as JobPriority) ? [priority as JobPriority] : undefined,
    overdueOnly: params.get("overdue") === "1",
    printerId: params.get("printer") || undefined,
  };
}
