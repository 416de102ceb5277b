import { type JobStatus, newId, recordAudit } from "@ktizo/db";
import type { MailService } from "@ktizo/services";
import { z } from "zod";
import { JOB_STATUSES, STATUS_LABELS } from "../browser-safe/job-status.ts";
import {
  badRequest,
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import { emailShopManagers, type PendingEmail } from "../shop/notifications.ts";
import { printingHold } from "./proof-hold.ts";
import { consumeJobStock, releaseJobStock } from "./stock-effects.ts";

// The statuses and labels live in the browser-safe entry (pages show them); the database's type must match.
export { JOB_STATUSES, STATUS_LABELS };

JOB_STATUSES satisfies readonly JobStatus[];

export const jobStatusSchema = z.enum(JOB_STATUSES, { error: "Not a job status" });

/** Where each status may go next (on_hold resumes to the status it was held from, or is cancelled). */
const NEXT: Record<JobStatus, readonly JobStatus[]> = {
  quote: ["approved", "on_hold", "cancelled"],
  approved: ["quote", "scheduled", "on_hold", "cancelled"],
  scheduled: ["approved", "printing", "on_hold", "cancelled"],
  printing: ["scheduled", "post_processing", "ready", "on_hold", "cancelled"],
  post_processing: ["printing", "ready", "on_hold", "cancelled"],
  ready: ["post_processing", "shipped", "picked_up", "on_hold", "cancelled"],
  shipped: ["completed"],
  picked_up: ["completed"],
  completed: [],
  on_hold: ["cancelled"],
  cancelled: [],
};

export const OPEN_STATUSES: readonly JobStatus[] = JOB_STATUSES.filter(
  (s) => s !== "completed" && s !== "cancelled",
);

/** The statuses a job may move to now. */
export function allowedNextStatuses(job: {
  status: JobStatus;
  heldFromStatus: JobStatus | null;
}): JobStatus[] {
  if (job.status === "on_hold" && job.heldFromStatus) return [job.heldFromStatus, "cancelled"];
  return [...NEXT[job.status]];
}

/**
 * The statuses a job can be moved to by a plain status change (the board's moves and drops): the
 * workflow's next statuses, without "scheduled" while the job has no printer and time (scheduling
 * goes through the schedule, which sets both). changeJobStatus refuses exactly the others.
 */
export function movableStatuses(job: {
  status: JobStatus;
  heldFromStatus: JobStatus | null;
  printerId: string | null;
  scheduledStartAt: Date | null;
}): JobStatus[] {
  const slotted = job.printerId !== null && job.scheduledStartAt !== null;
  return allowedNextStatuses(job).filter((s) => s !== "scheduled" || slotted);
}

export const changeJobStatusInput = z.object({
  jobId: idSchema,
  to: jobStatusSchema,
  note: z.string().trim().max(1000, "The note is too long (at most 1000 characters)").optional(),
});

export interface StatusChangeResult {
  jobId: string;
  from: JobStatus;
  to: JobStatus;
  changedAt: Date;
}

/**
 * Moves a job to another status when the workflow allows it; records who and when (history row and
 * audit row) and applies the stock effects: leaving the schedule releases reserved material, finishing
 * the print consumes it. Scheduling itself goes through scheduleJob (it needs a printer and a time).
 */
export async function changeJobStatus(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: OrgActor,
  input: z.infer<typeof changeJobStatusInput>,
  now: Date,
): Promise<StatusChangeResult> {
  const result = await inTransaction(db, async (trx) => {
    const job = await trx
      .selectFrom("job")
      .select(["id", "number", "status", "heldFromStatus", "stockState", "printerId", "scheduledStartAt"])
      .where("id", "=", input.jobId)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!job) throw notFound("Job not found");
    if (job.status === input.to)
      throw badRequest(`The job is already ${STATUS_LABELS[input.to].toLowerCase()}`);
    const allowed = allowedNextStatuses(job);
    if (!allowed.includes(input.to)) {
      throw badRequest(
        `A ${STATUS_LABELS[job.status].toLowerCase()} job cannot move to ${STATUS_LABELS[input.to].toLowerCase()}` +
          (allowed.length ? ` (next: ${allowed.map((s) => STATUS_LABELS[s].toLowerCase()).join(", ")})` : ""),
        { to: "Not allowed from the current status" },
      );
    }
    if (input.to === "scheduled" && (!job.printerId || !job.scheduledStartAt)) {
      throw badRequest("Schedule the job on a printer and time first", { to: "Use the schedule" });
    }
    if (input.to === "printing") {
      // Printing waits for the customer's approval of the current proof (billing, issue 12).
      const hold = await printingHold(trx, job.id);
      if (hold) throw conflict(hold, { to: "Waiting for proof approval" });
    }
    const emails = await applyStatus(trx, actor, job, input.to, now, input.note ?? null);
    return { emails, result: { jobId: job.id, from: job.status, to: input.to, changedAt: now } };
  });
  await emailShopManagers(db, mail, result.emails);
  return result.result;
}

/**
 * Writes the status change and its side effects inside `trx` (also used by scheduling). The caller holds
 * the job row lock. Stock effects read the database, not the caller's copy of the job: leaving the
 * schedule releases whatever reservation is still open (once), finishing the print consumes once.
 */
export async function applyStatus(
  trx: Executor,
  actor: OrgActor,
  job: { id: string; status: JobStatus; heldFromStatus: JobStatus | null },
  to: JobStatus,
  now: Date,
  note: string | null,
): Promise<PendingEmail[]> {
  const emails: PendingEmail[] = [];
  const leavesSchedule = to === "approved" || to === "quote" || to === "cancelled";
  if (leavesSchedule) emails.push(...(await releaseJobStock(trx, actor, job.id, now)));
  const printed = to === "post_processing" || to === "ready" || to === "shipped" || to === "picked_up";
  if (printed && job.status === "printing") emails.push(...(await consumeJobStock(trx, actor, job.id, now)));
  await trx
    .updateTable("job")
    .set({
      status: to,
      heldFromStatus: to === "on_hold" ? job.status : null,
      statusChangedAt: now,
      statusChangedBy: actor.userId,
      updatedAt: now,
      ...(leavesSchedule ? { printerId: null, scheduledStartAt: null, scheduledEndAt: null } : {}),
    })
    .where("id", "=", job.id)
    .execute();
  await trx
    .insertInto("jobStatusChange")
    .values({
      id: newId("jsc"),
      organizationId: actor.organizationId,
      jobId: job.id,
      fromStatus: job.status,
      toStatus: to,
      actorUserId: actor.userId,
      note,
      createdAt: now,
    })
    .execute();
  await recordAudit(trx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "job.status_changed",
    subjectType: "job",
    subjectId: job.id,
    data: { from: job.status, to, ...(note ? { note } : {}) },
  });
  return emails;
}
