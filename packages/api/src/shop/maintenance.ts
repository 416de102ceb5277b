import { newId, recordAudit } from "@ktizo/db";
import { z } from "zod";
import {
  badRequest,
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";

/**
 * Planned maintenance per printer (issue 15): a nozzle change on Tuesday morning, a service visit. The
 * planner keeps these windows free and the schedule shows them. Past windows are kept as a record.
 */

const HOUR = 3_600_000;
/** Longer than two weeks is not a maintenance window but a printer that is out of order (its status). */
export const MAX_MAINTENANCE_HOURS = 14 * 24;
/** Planned at most a year ahead. */
const MAX_AHEAD_MS = 366 * 24 * HOUR;

export interface MaintenanceWindowView {
  id: string;
  printerId: string;
  printerName: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
}

export const listMaintenanceInput = z
  .object({
    printerId: idSchema.optional(),
    /** Windows that end after this time (default: all from a day ago). */
    from: z.coerce.date().optional(),
  })
  .strict();

export const addMaintenanceInput = z
  .object({
    printerId: idSchema,
    startsAt: z.coerce.date({ error: "Give a start date and time" }),
    endsAt: z.coerce.date({ error: "Give an end date and time" }),
    reason: z.string().trim().max(200, "At most 200 characters").default(""),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (Number.isNaN(w.startsAt.getTime()) || Number.isNaN(w.endsAt.getTime())) return;
    if (w.endsAt.getTime() <= w.startsAt.getTime()) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The end must be after the start" });
    } else if (w.endsAt.getTime() - w.startsAt.getTime() > MAX_MAINTENANCE_HOURS * HOUR) {
      ctx.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: "At most 14 days; for longer, set the printer's status to out of order",
      });
    }
  });

export async function listMaintenance(
  db: Executor,
  organizationId: string,
  input: z.input<typeof listMaintenanceInput>,
  now: Date,
): Promise<MaintenanceWindowView[]> {
  const f = listMaintenanceInput.parse(input);
  const from = f.from ?? new Date(now.getTime() - 24 * HOUR);
  let q = db
    .selectFrom("printerMaintenance as w")
    .innerJoin("printer as p", "p.id", "w.printerId")
    .select(["w.id", "w.printerId", "p.name as printerName", "w.startsAt", "w.endsAt", "w.reason"])
    .where("w.organizationId", "=", organizationId)
    .where("w.endsAt", ">", from);
  if (f.printerId) q = q.where("w.printerId", "=", f.printerId);
  return q.orderBy("w.startsAt").orderBy("w.id").limit(500).execute();
}

/** Plans a window on one of the shop's printers; refused for another shop's printer (NOT_FOUND). */
export async function addMaintenance(
  db: Executor,
  actor: OrgActor,
  input: z.input<typeof addMaintenanceInput>,
  now: Date,
): Promise<MaintenanceWindowView> {
  const f = addMaintenanceInput.parse(input);
  if (f.endsAt.getTime() <= now.getTime()) {
    throw badRequest("The window is over already", { endsAt: "The end must be in the future" });
  }
  if (f.startsAt.getTime() > now.getTime() + MAX_AHEAD_MS) {
    throw badRequest("Plan maintenance at most a year ahead", { startsAt: "At most a year ahead" });
  }
  const printer = await db
    .selectFrom("printer")
    .select(["id", "name"])
    .where("id", "=", f.printerId)
    .where("organizationId", "=", actor.organizationId)
    .executeTakeFirst();
  if (!printer) throw notFound("Printer not found");
  const id = newId("mnt");
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto("printerMaintenance")
      .values({
        id,
        organizationId: actor.organizationId,
        printerId: printer.id,
        startsAt: f.startsAt,
        endsAt: f.endsAt,
        reason: f.reason,
        createdBy: actor.userId,
      })
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "printer.maintenance_planned",
      subjectType: "printer",
      subjectId: printer.id,
      data: {
        windowId: id,
        startsAt: f.startsAt.toISOString(),
        endsAt: f.endsAt.toISOString(),
        reason: f.reason,
      },
    });
  });
  return {
    id,
    printerId: printer.id,
    printerName: printer.name,
    startsAt: f.startsAt,
    endsAt: f.endsAt,
    reason: f.reason,
  };
}

/** Removes a planned window (the shop's own only). */
export async function removeMaintenance(db: Executor, actor: OrgActor, id: string): Promise<{ id: string }> {
  return inTransaction(db, async (trx) => {
    const removed = await trx
      .deleteFrom("printerMaintenance")
      .where("id", "=", id)
      .where("organizationId", "=", actor.organizationId)
      .returning(["id", "printerId", "startsAt", "endsAt"])
      .executeTakeFirst();
    if (!removed) throw notFound("Maintenance window not found");
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "printer.maintenance_removed",
      subjectType: "printer",
      subjectId: removed.printerId,
      data: { windowId: id, startsAt: removed.startsAt.toISOString(), endsAt: removed.endsAt.toISOString() },
    });
    return { id };
  });
}
