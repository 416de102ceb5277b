/**
 * Removing a printer is a shop change with job consequences: its scheduled jobs leave the schedule the way
 * unscheduling does. It lives above the shop and job domains so that shop never imports job.
 */
import { type JobStatus, recordAudit } from "@ktizo/db";
import type { MailService } from "@ktizo/services";
import { unscheduleLockedJob } from "../job/schedule.ts";
import { STATUS_LABELS } from "../job/status.ts";
import { lockHeldMaterials } from "../job/stock-effects.ts";
import { conflict, type Executor, inTransaction, notFound, type OrgActor } from "../kernel/index.ts";
import { emailShopManagers, type PendingEmail } from "../shop/notifications.ts";

const IN_PROGRESS: readonly JobStatus[] = ["printing", "on_hold"];

/**
 * Deletes a printer. Its scheduled jobs are taken off the schedule exactly as unscheduling does (back to
 * approved, material released, history and audit rows), in the same transaction. Refused while a job on
 * it is printing or on hold: those are moved to another printer, finished or cancelled first. Jobs
 * already printed keep everything but the printer.
 */
export async function deletePrinter(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: OrgActor,
  id: string,
  now: Date,
): Promise<{ id: string; unscheduledJobIds: string[] }> {
  const result = await inTransaction(db, async (trx) => {
    const found = await trx
      .selectFrom("printer")
      .select("id")
      .where("id", "=", id)
      .where("organizationId", "=", actor.organizationId)
      .executeTakeFirst();
    if (!found) throw notFound("Printer not found");
    const jobsOn = () =>
      trx
        .selectFrom("job")
        .select(["id", "number", "status", "heldFromStatus", "printerId", "scheduledStartAt"])
        .where("organizationId", "=", actor.organizationId)
        .where("printerId", "=", id)
        .orderBy("id")
        .forUpdate();
    // Its jobs, then the printer: every other path locks a job, then (through the job's foreign key)
    // its printer. Locking the printer waits for schedules onto it in flight; a job they put on it is
    // locked too, without waiting (if something holds it now, the shop is asked to try again).
    await jobsOn().execute();
    const printer = await trx
      .selectFrom("printer")
      .select(["id", "name"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!printer) throw notFound("Printer not found");
    const jobs = await jobsOn()
      .noWait()
      .execute()
      .catch((error: unknown) => {
        if ((error as { code?: string }).code !== "55P03") throw error;
        throw conflict(`A job is being scheduled on ${printer.name} right now; try again.`);
      });
    const busy = jobs.filter((j) => IN_PROGRESS.includes(j.status)).sort((a, b) => a.number - b.number);
    if (busy.length > 0) {
      const list = busy.map((j) => `#${j.number} (${STATUS_LABELS[j.status].toLowerCase()})`).join(", ");
      throw conflict(
        `${printer.name} has ${busy.length === 1 ? "a job" : "jobs"} in progress: ${list}. Move ${busy.length === 1 ? "it" : "them"} to another printer, finish or cancel ${busy.length === 1 ? "it" : "them"} first.`,
      );
    }
    const emails: PendingEmail[] = [];
    const unscheduled = jobs.filter((j) => j.status === "scheduled");
    await lockHeldMaterials(
      trx,
      unscheduled.map((j) => j.id),
    );
    for (const job of unscheduled) {
      emails.push(
        ...(await unscheduleLockedJob(
          trx,
          actor,
          job,
          now,
          `Taken off the schedule: ${printer.name} was removed`,
        )),
      );
    }
    await trx
      .updateTable("job")
      .set({ printerId: null, scheduledStartAt: null, scheduledEndAt: null })
      .where("organizationId", "=", actor.organizationId)
      .where("printerId", "=", id)
      .execute();
    await trx.deleteFrom("printer").where("id", "=", id).execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "printer.deleted",
      subjectType: "printer",
      subjectId: id,
      data: { name: printer.name, unscheduledJobIds: unscheduled.map((j) => j.id) },
    });
    return { emails, unscheduledJobIds: unscheduled.map((j) => j.id) };
  });
  await emailShopManagers(db, mail, result.emails);
  return { id, unscheduledJobIds: result.unscheduledJobIds };
}
