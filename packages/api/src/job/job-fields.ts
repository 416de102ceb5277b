// The job fields other job modules share: priority and source, the delivered-or-closed statuses, "overdue".

import type { JobStatus } from "@ktizo/db";
import { z } from "zod";

export const jobPrioritySchema = z.enum(["low", "normal", "high", "urgent"], {
  error: "Priority is low, normal, high or urgent",
});
export const manualSourceSchema = z.enum(["manual", "walk_in", "phone", "email"], {
  error: "Source is manual, walk-in, phone or email",
});

/** Statuses where the work has been handed over or ended: never overdue. */
export const DELIVERED_OR_CLOSED: readonly JobStatus[] = ["shipped", "picked_up", "completed", "cancelled"];

export function isOverdue(job: { dueAt: Date | null; status: JobStatus }, now: Date): boolean {
  return job.dueAt !== null && job.dueAt < now && !DELIVERED_OR_CLOSED.includes(job.status);
}
