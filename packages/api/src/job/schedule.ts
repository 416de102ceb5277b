import type { JobStatus, PrinterStatus } from "@ktizo/db";
import { fitsBuildVolume } from "@ktizo/planner";
import type { MailService } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import {
  badRequest,
  dateInputSchema,
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import { emailShopManagers, type PendingEmail } from "../shop/notifications.ts";
import { recordJobAudit } from "./audit.ts";
import { applyStatus } from "./status.ts";
import { jobMaterialNeeds, reserveJobStock } from "./stock-effects.ts";

export type ConflictKind =
  | "overlap"
  | "printer_maintenance"
  | "printer_offline"
  | "out_of_stock"
  | "does_not_fit"
  | "material_not_supported"
  | "past_due";

export interface ScheduleConflict {
  kind: ConflictKind;
  message: string;
  /** The other job, for overlaps. */
  jobId?: string;
  materialId?: string;
}

const DEFAULT_MINUTES = 60;

/** Estimated printing time of a job: the sum of its items' minutes (60 min when nothing is estimated). */
export async function estimatedJobMinutes(db: Executor, jobId: string): Promise<number> {
  const row = await db
    .selectFrom("jobItem")
    .select(sql<number>`coalesce(sum(minutes_per_unit * quantity), 0)::int`.as("m"))
    .where("jobId", "=", jobId)
    .executeTakeFirstOrThrow();
  return row.m > 0 ? row.m : DEFAULT_MINUTES;
}

/**
 * What is wrong with putting `jobId` on `printerId` from `startAt` to `endAt`: overlapping jobs, a printer
 * in maintenance or offline, material the printer cannot run or that is out of stock, parts larger than
 * the build volume, an end after the due date. Conflicts are flagged, not refused: the shop decides.
 */
export async function findScheduleConflicts(
  db: Executor,
  organizationId: string,
  slot: { jobId: string; printerId: string; startAt: Date; endAt: Date },
): Promise<ScheduleConflict[]> {
  const [job, printer] = await Promise.all([
    db
      .selectFrom("job")
      .select(["id", "dueAt", "stockState"])
      .where("organizationId", "=", organizationId)
      .where("id", "=", slot.jobId)
      .executeTakeFirst(),
    db
      .selectFrom("printer")
      .select(["id", "name", "status", "technology", "buildWidthMm", "buildDepthMm", "buildHeightMm"])
      .where("organizationId", "=", organizationId)
      .where("id", "=", slot.printerId)
      .executeTakeFirst(),
  ]);
  if (!job) throw notFound("Job not found");
  if (!printer) throw notFound("Printer not found");
  const conflicts: ScheduleConflict[] = [];
  const overlaps = await db
    .selectFrom("job")
    .select(["id", "number", "title"])
    .where("organizationId", "=", organizationId)
    .where("printerId", "=", slot.printerId)
    .where("id", "<>", slot.jobId)
    .where("status", "not in", ["cancelled", "completed", "quote", "approved"])
    .where("scheduledStartAt", "<", slot.endAt)
    .where("scheduledEndAt", ">", slot.startAt)
    .orderBy("scheduledStartAt")
    .execute();
  for (const o of overlaps) {
    conflicts.push({
      kind: "overlap",
      jobId: o.id,
      message: `Overlaps job #${o.number} (${o.title}) on ${printer.name}`,
    });
  }
  const statusConflict: Partial<Record<PrinterStatus, ScheduleConflict>> = {
    maintenance: { kind: "printer_maintenance", message: `${printer.name} is in maintenance` },
    offline: { kind: "printer_offline", message: `${printer.name} is offline` },
  };
  const sc = statusConflict[printer.status];
  if (sc) conflicts.push(sc);
  // Planned maintenance (issue 15) the slot runs into.
  const windows = await db
    .selectFrom("printerMaintenance")
    .select(["startsAt", "endsAt", "reason"])
    .where("organizationId", "=", organizationId)
    .where("printerId", "=", slot.printerId)
    .where("startsAt", "<", slot.endAt)
    .where("endsAt", ">", slot.startAt)
    .orderBy("startsAt")
    .execute();
  for (const w of windows) {
    conflicts.push({
      kind: "printer_maintenance",
      message: `Runs into planned maintenance on ${printer.name}${w.reason ? ` (${w.reason})` : ""}, ${w.startsAt.toISOString()} – ${w.endsAt.toISOString()}`,
    });
  }

  const items = await db
    .selectFrom("jobItem as i")
    .leftJoin("material as m", "m.id", "i.materialId")
    .leftJoin("printerMaterial as pm", (j) =>
      j.onRef("pm.materialId", "=", "i.materialId").on("pm.printerId", "=", slot.printerId),
    )
    .select([
      "i.description",
      "i.materialId",
      "m.name as materialName",
      "m.technology",
      "pm.printerId as supported",
      "i.widthMm",
      "i.depthMm",
      "i.heightMm",
    ])
    .where("i.jobId", "=", slot.jobId)
    .execute();
  const volume = { x: printer.buildWidthMm, y: printer.buildDepthMm, z: printer.buildHeightMm };
  const unsupported = new Set<string>();
  for (const item of items) {
    if (item.materialId && !item.supported && !unsupported.has(item.materialId)) {
      unsupported.add(item.materialId);
      conflicts.push({
        kind: "material_not_supported",
        materialId: item.materialId,
        message: `${printer.name} is not set up for ${item.materialName ?? "this material"}`,
      });
    }
    if (item.widthMm !== null && item.depthMm !== null && item.heightMm !== null) {
      // The planner's rule: the part may be turned to fit.
      if (!fitsBuildVolume([item.widthMm, item.depthMm, item.heightMm], [volume.x, volume.y, volume.z])) {
        conflicts.push({
          kind: "does_not_fit",
          message: `"${item.description}" (${item.widthMm} × ${item.depthMm} × ${item.heightMm} mm) does not fit ${printer.name} (${volume.x} × ${volume.y} × ${volume.z} mm)`,
        });
      }
    }
  }

  const needs = await jobMaterialNeeds(db, slot.jobId);
  if (needs.length > 0) {
    const stock = await db
      .selectFrom("material")
      .select(["id", "name", "onHandG", "reservedG"])
      .where("organizationId", "=", organizationId)
      .where(
        "id",
        "in",
        needs.map((n) => n.materialId),
      )
      .execute();
    for (const need of needs) {
      const m = stock.find((s) => s.id === need.materialId);
      if (!m) continue;
      // This job's own reservation is already counted in reservedG.
      const available = m.onHandG - m.reservedG + (job.stockState === "reserved" ? need.grams : 0);
      if (available < need.grams) {
        conflicts.push({
          kind: "out_of_stock",
          materialId: m.id,
          message: `Not enough ${m.name}: ${need.grams} g needed, ${Math.max(0, available)} g available`,
        });
      }
    }
  }
  if (job.dueAt && slot.endAt > job.dueAt) {
    conflicts.push({ kind: "past_due", message: "The print ends after the job's due date" });
  }
  return conflicts;
}

export const scheduleSlotInput = z.object({
  jobId: idSchema,
  printerId: idSchema,
  startAt: dateInputSchema,
  /** Defaults to the job's estimated printing time. */
  durationMinutes: z
    .number()
    .int()
    .min(1, "At least 1 minute")
    .max(60 * 24 * 30, "At most 30 days")
    .optional(),
});

async function slotOf(db: Executor, input: z.infer<typeof scheduleSlotInput>) {
  const minutes = input.durationMinutes ?? (await estimatedJobMinutes(db, input.jobId));
  return { ...input, endAt: new Date(input.startAt.getTime() + minutes * 60_000), durationMinutes: minutes };
}

/** Checks a slot without changing anything (the schedule's drag preview). */
export async function previewSchedule(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof scheduleSlotInput>,
) {
  const job = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", organizationId)
    .where("id", "=", input.jobId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  const slot = await slotOf(db, input);
  return { ...slot, conflicts: await findScheduleConflicts(db, organizationId, slot) };
}

const SCHEDULABLE: readonly JobStatus[] = ["approved", "scheduled", "printing", "on_hold"];

/**
 * Puts a job on a printer and time. An approved job becomes scheduled and its material is reserved;
 * a scheduled (or printing) job is moved. Returns the conflicts found, which do not block.
 */
export async function scheduleJob(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: OrgActor,
  input: z.infer<typeof scheduleSlotInput>,
  now: Date,
) {
  const result = await inTransaction(db, async (trx) => {
    // The job, then its printer (a key-share lock, as the job's foreign key takes): the order every
    // path locks them in. A printer being deleted makes this wait, then answer that it is gone.
    const job = await trx
      .selectFrom("job")
      .select(["id", "status", "heldFromStatus", "stockState", "printerId", "scheduledStartAt"])
      .where("organizationId", "=", actor.organizationId)
      .where("id", "=", input.jobId)
      .forUpdate()
      .executeTakeFirst();
    if (!job) throw notFound("Job not found");
    const printer = await trx
      .selectFrom("printer")
      .select("id")
      .where("organizationId", "=", actor.organizationId)
      .where("id", "=", input.printerId)
      .forKeyShare()
      .executeTakeFirst();
    if (!printer) throw notFound("Printer not found");
    if (!SCHEDULABLE.includes(job.status)) {
      throw badRequest(
        job.status === "quote"
          ? "Approve the quote before scheduling the job"
          : "This job is past printing and cannot be scheduled",
        { jobId: "Not schedulable in its current status" },
      );
    }
    const slot = await slotOf(trx, input);
    const conflicts = await findScheduleConflicts(trx, actor.organizationId, slot);
    await trx
      .updateTable("job")
      .set({
        printerId: slot.printerId,
        scheduledStartAt: slot.startAt,
        scheduledEndAt: slot.endAt,
        updatedAt: now,
      })
      .where("id", "=", job.id)
      .execute();
    let emails = job.stockState === "none" ? await reserveJobStock(trx, actor, job.id, now) : [];
    if (job.status === "approved") {
      emails = [...emails, ...(await applyStatus(trx, actor, job, "scheduled", now, null))];
    }
    await recordJobAudit(trx, actor, job.id, "job.scheduled", {
      printerId: slot.printerId,
      startAt: slot.startAt.toISOString(),
      endAt: slot.endAt.toISOString(),
      from: job.scheduledStartAt
        ? { printerId: job.printerId, startAt: job.scheduledStartAt.toISOString() }
        : null,
      conflicts: conflicts.map((c) => c.kind),
    });
    return { emails, slot, conflicts };
  });
  await emailShopManagers(db, mail, result.emails);
  return { ...result.slot, conflicts: result.conflicts };
}

/** Takes a scheduled job off the schedule: back to approved, reserved material released. */
export async function unscheduleJob(db: Executor, actor: OrgActor, jobId: string, now: Date) {
  await inTransaction(db, async (trx) => {
    const job = await trx
      .selectFrom("job")
      .select(["id", "status", "heldFromStatus", "printerId", "scheduledStartAt"])
      .where("organizationId", "=", actor.organizationId)
      .where("id", "=", jobId)
      .forUpdate()
      .executeTakeFirst();
    if (!job) throw notFound("Job not found");
    if (job.status !== "scheduled") throw badRequest("Only a scheduled job can be taken off the schedule");
    await unscheduleLockedJob(trx, actor, job, now, "Taken off the schedule");
  });
  return { jobId };
}

/**
 * The one way a scheduled job leaves the schedule (unscheduleJob, deletePrinter): inside the caller's
 * transaction, with the job row locked and its status checked. Back to approved, printer and slot
 * cleared, its reservation released once, a history row and audit rows.
 */
export async function unscheduleLockedJob(
  trx: Executor,
  actor: OrgActor,
  job: {
    id: string;
    status: JobStatus;
    heldFromStatus: JobStatus | null;
    printerId: string | null;
    scheduledStartAt: Date | null;
  },
  now: Date,
  note: string,
): Promise<PendingEmail[]> {
  const emails = await applyStatus(trx, actor, job, "approved", now, note);
  await recordJobAudit(trx, actor, job.id, "job.unscheduled", {
    printerId: job.printerId,
    startAt: job.scheduledStartAt?.toISOString() ?? null,
    note,
  });
  return emails;
}

export const timelineInput = z
  .object({
    from: dateInputSchema,
    to: dateInputSchema,
    printerIds: z.array(idSchema).max(100).optional(),
  })
  .refine((v) => v.to > v.from, { message: "The end must be after the start", path: ["to"] })
  .refine((v) => v.to.getTime() - v.from.getTime() <= 62 * 86_400_000, {
    message: "Show at most 62 days at a time",
    path: ["to"],
  });

export interface TimelineEntry {
  jobId: string;
  number: number;
  title: string;
  status: JobStatus;
  priority: string;
  customerName: string;
  startAt: Date;
  endAt: Date;
  durationMinutes: number;
  dueAt: Date | null;
  conflicts: ScheduleConflict[];
}

/** One lane per printer with its scheduled jobs in [from, to), each with its conflicts flagged. */
export async function scheduleTimeline(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof timelineInput>,
) {
  let printersQ = db
    .selectFrom("printer")
    .select(["id", "name", "status", "technology", "buildWidthMm", "buildDepthMm", "buildHeightMm"])
    .where("organizationId", "=", organizationId);
  if (input.printerIds?.length) printersQ = printersQ.where("id", "in", input.printerIds);
  const printers = await printersQ.orderBy("name").execute();
  const jobs = await db
    .selectFrom("job")
    .innerJoin("customer as c", "c.id", "job.customerId")
    .select([
      "job.id",
      "job.number",
      "job.title",
      "job.status",
      "job.priority",
      "job.printerId",
      "c.name as customerName",
      "job.scheduledStartAt",
      "job.scheduledEndAt",
      "job.dueAt",
    ])
    .where("job.organizationId", "=", organizationId)
    .where("job.printerId", "is not", null)
    .where("job.scheduledStartAt", "<", input.to)
    .where("job.scheduledEndAt", ">", input.from)
    .where("job.status", "not in", ["cancelled", "completed"])
    .orderBy("job.scheduledStartAt")
    .execute();
  const maintenance = await db
    .selectFrom("printerMaintenance")
    .select(["id", "printerId", "startsAt", "endsAt", "reason"])
    .where("organizationId", "=", organizationId)
    .where("startsAt", "<", input.to)
    .where("endsAt", ">", input.from)
    .orderBy("startsAt")
    .execute();
  const lanes = [];
  for (const p of printers) {
    const entries: TimelineEntry[] = [];
    for (const j of jobs.filter((x) => x.printerId === p.id)) {
      if (!j.scheduledStartAt || !j.scheduledEndAt) continue;
      entries.push({
        jobId: j.id,
        number: j.number,
        title: j.title,
        status: j.status,
        priority: j.priority,
        customerName: j.customerName,
        startAt: j.scheduledStartAt,
        endAt: j.scheduledEndAt,
        durationMinutes: Math.round((j.scheduledEndAt.getTime() - j.scheduledStartAt.getTime()) / 60_000),
        dueAt: j.dueAt,
        conflicts: await findScheduleConflicts(db, organizationId, {
          jobId: j.id,
          printerId: p.id,
          startAt: j.scheduledStartAt,
          endAt: j.scheduledEndAt,
        }),
      });
    }
    lanes.push({
      printer: {
        id: p.id,
        name: p.name,
        status: p.status,
        technology: p.technology,
        buildVolumeMm: { x: p.buildWidthMm, y: p.buildDepthMm, z: p.buildHeightMm },
      },
      entries,
      maintenance: maintenance
        .filter((w) => w.printerId === p.id)
        .map((w) => ({ id: w.id, startAt: w.startsAt, endAt: w.endsAt, reason: w.reason })),
    });
  }
  return { from: input.from, to: input.to, lanes };
}
