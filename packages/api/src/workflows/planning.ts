import {
  type PlanConstraint,
  type PlanInput,
  type PlannerJob,
  type PlanResult,
  planSchedule,
  type WorkingHours,
} from "@ktizo/planner";
import type { MailService } from "@ktizo/services";
import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { z } from "zod";
import { scheduleJob } from "../job/schedule.ts";
import { badRequest, type Executor, idSchema, notFound, type OrgActor } from "../kernel/index.ts";
import { calibratedMinutes, calibrationCorrections, jobQuoteBases } from "../shop/calibration.ts";

/**
 * Capacity planning (issue 15) across the job board, the printers, stock and billing: reads what the
 * planner needs from the database, proposes a plan (nothing changes), and applies the assignments the
 * user accepts through the one scheduling path (`scheduleJob`: conflicts, stock reservation, audit).
 */

const MINUTE = 60_000;

export const workingHoursSchema = z
  .record(
    z.enum(["0", "1", "2", "3", "4", "5", "6"]),
    z
      .array(
        z
          .tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)])
          .refine(([start, end]) => end > start, "A window ends after it starts"),
      )
      .max(4),
  )
  .refine((days) => Object.values(days).some((windows) => windows.length > 0), "Open at least one day");

/** A planner constraint as a person (or the AI, once confirmed) states it; also used by plan steering. */
export const constraintSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("first"), jobIds: z.array(idSchema).min(1).max(50) }),
  z.object({
    kind: z.literal("keep_free"),
    printerId: idSchema,
    from: z.coerce.date(),
    to: z.coerce.date(),
  }),
  z.object({ kind: z.literal("not_before"), jobId: idSchema, at: z.coerce.date() }),
  z.object({ kind: z.literal("on_printer"), jobId: idSchema, printerId: idSchema }),
]);

export const proposePlanInput = z.object({
  /** May jobs already scheduled (not started) move? */
  allowMoves: z.boolean().default(false),
  constraints: z.array(constraintSchema).max(50).default([]),
});

export interface ProposedAssignment {
  jobId: string;
  jobNumber: number;
  title: string;
  printerId: string;
  printerName: string;
  startAt: Date;
  endAt: Date;
  dueAt: Date | null;
  lateMinutes: number;
  lateBecause: string | null;
  /** "new": not on the schedule yet; "moved": the plan moves it; "kept": stays where it is. */
  change: "new" | "moved" | "kept";
  waitsForMaterial: string | null;
}

export interface PlanProposal {
  assignments: ProposedAssignment[];
  unplanned: Array<{ jobId: string; jobNumber: number; title: string; reason: string }>;
  lateJobs: number;
  totalLatenessMinutes: number;
  finishesAt: Date;
}

function toPlannerConstraints(
  constraints: z.infer<typeof proposePlanInput>["constraints"],
): PlanConstraint[] {
  return constraints.map((c) => {
    switch (c.kind) {
      case "keep_free":
        return {
          kind: c.kind,
          printerId: c.printerId,
          interval: { start: c.from.getTime(), end: c.to.getTime() },
        };
      case "not_before":
        return { kind: c.kind, jobId: c.jobId, at: c.at.getTime() };
      default:
        return c;
    }
  });
}

/** What the planner needs, read for one shop: open jobs with their items, printers, stock, hours. */
export async function loadPlanInput(
  db: Executor,
  organizationId: string,
  now: Date,
  options: z.infer<typeof proposePlanInput>,
): Promise<{ input: PlanInput; jobs: Map<string, { number: number; title: string; dueAt: Date | null }> }> {
  const settings = await db
    .selectFrom("shopSettings")
    .select(["timezone", "workingHours"])
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  const printers = await db
    .selectFrom("printer")
    .select([
      "id",
      "name",
      "technology",
      "buildWidthMm",
      "buildDepthMm",
      "buildHeightMm",
      "status",
      "unattended",
    ])
    .where("organizationId", "=", organizationId)
    .orderBy("name")
    .execute();
  const printerIds = printers.map((p) => p.id);
  // The materials each printer is set up for.
  const runs = printerIds.length
    ? await db
        .selectFrom("printerMaterial")
        .select(["printerId", "materialId"])
        .where("organizationId", "=", organizationId)
        .where("printerId", "in", printerIds)
        .execute()
    : [];
  // Planned maintenance that has not ended: the planner keeps it free.
  const maintenance = printerIds.length
    ? await db
        .selectFrom("printerMaintenance")
        .select(["printerId", "startsAt", "endsAt"])
        .where("organizationId", "=", organizationId)
        .where("endsAt", ">", now)
        .orderBy("startsAt")
        .execute()
    : [];
  const materials = await db
    .selectFrom("material")
    .select(["id", "name", "technology", sql<number>`on_hand_g - reserved_g`.as("freeG")])
    .where("organizationId", "=", organizationId)
    .where("archivedAt", "is", null)
    .execute();
  const jobRows = await db
    .selectFrom("job")
    .select(["id", "number", "title", "status", "dueAt", "priority", "rush", "printerId", "scheduledStartAt"])
    .where("organizationId", "=", organizationId)
    // Approved jobs wait for a slot; scheduled and printing ones hold theirs (moved only when allowed).
    .where("status", "in", ["approved", "scheduled", "printing"])
    .execute();
  const jobIds = jobRows.map((j) => j.id);
  const items = jobIds.length
    ? await db
        .selectFrom("jobItem")
        .select([
          "jobId",
          "materialId",
          "quantity",
          "gramsPerUnit",
          "minutesPerUnit",
          "widthMm",
          "depthMm",
          "heightMm",
        ])
        .where("jobId", "in", jobIds)
        .orderBy("position")
        .execute()
    : [];
  // A deposit asked for on the approved estimate and not yet paid holds the job back.
  const deposits = jobIds.length
    ? await db
        .selectFrom("estimate as e")
        .innerJoin("estimateVersion as v", (join) =>
          join.onRef("v.estimateId", "=", "e.id").onRef("v.version", "=", "e.approvedVersion"),
        )
        .select([
          "e.jobId",
          "v.depositMinor",
          (eb) =>
            eb
              .selectFrom("billingPayment as p")
              .select(sql<number>`coalesce(sum(p.amount_minor), 0)::int`.as("paid"))
              .whereRef("p.estimateId", "=", "e.id")
              .where("p.isDeposit", "=", true)
              .where("p.kind", "=", "payment")
              .where("p.status", "=", "succeeded")
              .as("paidMinor"),
        ])
        .where("e.jobId", "in", jobIds)
        .where("e.status", "=", "approved")
        .execute()
    : [];
  const unpaidDeposit = new Set(
    deposits.filter((d) => d.depositMinor > Number(d.paidMinor ?? 0)).map((d) => d.jobId),
  );
  const technologyOf = new Map(materials.map((m) => [m.id, m.technology]));
  // Print times: the items' minutes (the slice's when the quote was sliced, else the estimate),
  // corrected per printer by the shop's calibration when it has switched it on.
  const [corrections, quoted] = await Promise.all([
    calibrationCorrections(db, organizationId),
    jobQuoteBases(db, organizationId, jobIds),
  ]);

  const jobs: PlannerJob[] = jobRows.map((job) => {
    const own = items.filter((i) => i.jobId === job.id);
    const minutes = own.reduce((sum, i) => sum + i.minutesPerUnit * i.quantity, 0);
    const materialId = own.find((i) => i.materialId)?.materialId ?? null;
    const started = job.status === "printing";
    const printMinutes = minutes > 0 ? minutes : 60;
    const basis = quoted.sliced.has(job.id) ? ("sliced" as const) : ("estimated" as const);
    const printMinutesOn: Record<string, number> = {};
    // A quote made while calibration was on already carries it: its minutes are not corrected again.
    for (const p of quoted.calibrated.has(job.id) ? [] : printers) {
      const on = calibratedMinutes(corrections, { printerId: p.id, materialId, basis }, printMinutes);
      if (on !== printMinutes) printMinutesOn[p.id] = on;
    }
    return {
      id: job.id,
      label: `#${job.number} ${job.title}`,
      technology: (materialId && technologyOf.get(materialId)) || "fdm",
      sizeMm: [
        Math.max(0, ...own.map((i) => i.widthMm ?? 0)),
        Math.max(0, ...own.map((i) => i.depthMm ?? 0)),
        Math.max(0, ...own.map((i) => i.heightMm ?? 0)),
      ],
      materialId,
      grams: own.reduce((sum, i) => sum + i.gramsPerUnit * i.quantity, 0),
      // The items' minutes come from the quote: the slice's when the quote was sliced.
      printMinutes,
      printMinutesOn,
      dueAt: job.dueAt?.getTime() ?? null,
      priority: job.rush ? "urgent" : job.priority,
      approved: true,
      depositPaid: !unpaidDeposit.has(job.id),
      scheduled:
        job.printerId && job.scheduledStartAt
          ? { printerId: job.printerId, start: job.scheduledStartAt.getTime(), started }
          : undefined,
    };
  });
  // A job on the schedule counts its material as reserved already (free stock excludes it).
  const reservedByPlan = new Map<string, number>();
  for (const job of jobs) {
    if (job.scheduled && job.materialId && !job.scheduled.started) {
      reservedByPlan.set(job.materialId, (reservedByPlan.get(job.materialId) ?? 0) + job.grams);
    }
  }
  const hours: WorkingHours = {
    timeZone: settings?.timezone ?? "UTC",
    days: Object.fromEntries(
      Object.entries(settings?.workingHours ?? {}).map(([day, windows]) => [Number(day), windows]),
    ),
  };
  return {
    input: {
      now: now.getTime(),
      jobs,
      printers: printers.map((p) => ({
        id: p.id,
        name: p.name,
        technology: p.technology,
        buildMm: [p.buildWidthMm, p.buildDepthMm, p.buildHeightMm],
        // The materials it is set up for (the schedule's own check: material_not_supported).
        materialIds: runs.filter((r) => r.printerId === p.id).map((r) => r.materialId),
        // "maintenance" and "offline" printers take no work until they are available again.
        online: p.status === "available",
        maintenance: maintenance
          .filter((w) => w.printerId === p.id)
          .map((w) => ({ start: w.startsAt.getTime(), end: w.endsAt.getTime() })),
        unattended: p.unattended,
      })),
      hours,
      // The planner takes free stock; material of scheduled jobs is given back to it, since the plan
      // decides for those again (kept ones consume it first).
      stock: materials.map((m) => ({
        materialId: m.id,
        name: m.name,
        availableG: m.freeG + (reservedByPlan.get(m.id) ?? 0),
      })),
      constraints: toPlannerConstraints(options.constraints),
      allowMoves: options.allowMoves,
    },
    jobs: new Map(jobRows.map((j) => [j.id, { number: j.number, title: j.title, dueAt: j.dueAt }])),
  };
}

function proposalOf(
  result: PlanResult,
  jobs: Map<string, { number: number; title: string; dueAt: Date | null }>,
  input: PlanInput,
): PlanProposal {
  const printerName = new Map(input.printers.map((p) => [p.id, p.name]));
  const scheduled = new Map(input.jobs.map((j) => [j.id, j.scheduled]));
  return {
    assignments: result.assignments
      .map((a) => {
        const job = jobs.get(a.jobId)!;
        const before = scheduled.get(a.jobId);
        return {
          jobId: a.jobId,
          jobNumber: job.number,
          title: job.title,
          printerId: a.printerId,
          printerName: printerName.get(a.printerId) ?? "",
          startAt: new Date(a.start),
          endAt: new Date(a.end),
          dueAt: job.dueAt,
          lateMinutes: a.lateMinutes,
          lateBecause: a.lateBecause,
          change: !before ? ("new" as const) : a.moved ? ("moved" as const) : ("kept" as const),
          waitsForMaterial: a.waitsForMaterial ? new Date(a.waitsForMaterial.until).toISOString() : null,
        };
      })
      .sort((a, b) => a.startAt.getTime() - b.startAt.getTime()),
    unplanned: result.unplanned.map((u) => {
      const job = jobs.get(u.jobId)!;
      return { jobId: u.jobId, jobNumber: job.number, title: job.title, reason: u.reason };
    }),
    lateJobs: result.score.lateJobs,
    totalLatenessMinutes: result.score.totalLatenessMinutes,
    finishesAt: new Date(result.score.makespan),
  };
}

/** A plan for the shop's approved and scheduled work; nothing changes until it is accepted. */
export async function proposePlan(
  db: Executor,
  organizationId: string,
  raw: z.input<typeof proposePlanInput>,
  now: Date,
): Promise<PlanProposal> {
  const options = proposePlanInput.parse(raw);
  const { input, jobs } = await loadPlanInput(db, organizationId, now, options);
  for (const c of options.constraints) {
    const ids = c.kind === "first" ? c.jobIds : "jobId" in c ? [c.jobId] : [];
    const unknown = ids.filter((id) => !jobs.has(id));
    if (unknown.length > 0) {
      const own = await db
        .selectFrom("job")
        .select("number")
        .where("organizationId", "=", organizationId)
        .where("id", "in", unknown)
        .execute();
      if (own.length < unknown.length) throw notFound("Job not found");
      throw badRequest(`Job #${own[0]!.number} is not approved or on the schedule, so it cannot be planned`, {
        constraints: "Only approved and scheduled jobs can be planned",
      });
    }
    if ("printerId" in c && !input.printers.some((p) => p.id === c.printerId)) {
      throw notFound("Printer not found");
    }
  }
  return proposalOf(planSchedule(input), jobs, input);
}

export const acceptPlanInput = z.object({
  assignments: z
    .array(
      z.object({ jobId: idSchema, printerId: idSchema, startAt: z.coerce.date(), endAt: z.coerce.date() }),
    )
    .min(1, "Choose at least one job")
    .max(500),
});

/**
 * Applies the accepted assignments one by one through `scheduleJob` (each in its own transaction, with
 * its conflict check and stock reservation); a job that changed meanwhile is reported, not forced.
 */
export async function acceptPlan(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: OrgActor,
  raw: z.input<typeof acceptPlanInput>,
  now: Date,
): Promise<{ scheduled: string[]; refused: Array<{ jobId: string; reason: string }> }> {
  const { assignments } = acceptPlanInput.parse(raw);
  // Another shop's job or printer is not found, whatever else the list holds.
  const ids = [...new Set(assignments.map((a) => a.jobId))];
  const own = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", actor.organizationId)
    .where("id", "in", ids)
    .execute();
  if (own.length !== ids.length) throw notFound("Job not found");
  const scheduled: string[] = [];
  const refused: Array<{ jobId: string; reason: string }> = [];
  for (const a of assignments) {
    const minutes = Math.max(1, Math.round((a.endAt.getTime() - a.startAt.getTime()) / MINUTE));
    try {
      await scheduleJob(
        db,
        mail,
        actor,
        { jobId: a.jobId, printerId: a.printerId, startAt: a.startAt, durationMinutes: minutes },
        now,
      );
      scheduled.push(a.jobId);
    } catch (error) {
      refused.push({ jobId: a.jobId, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { scheduled, refused };
}

export interface ReplanOffer {
  /** Why re-planning may help now. */
  kind: "printer_offline" | "running_late" | "rush_job";
  /** The printer (offline) or job (late, rush) it is about. */
  subjectId: string;
  reason: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function sinceText(minutes: number): string {
  if (minutes < 60) return plural(minutes, "minute", "minutes");
  if (minutes < 48 * 60) return plural(Math.floor(minutes / 60), "hour", "hours");
  return plural(Math.floor(minutes / 1440), "day", "days");
}

/**
 * When a new plan may help (requirement 2), computed from the shop's state at `now`, nothing stored: a
 * printer that is offline or in maintenance with jobs scheduled on it, a scheduled job whose planned end
 * has passed and is not done, a rush or urgent job approved and not on the schedule. Re-planning only
 * proposes; nothing changes until the user accepts.
 */
export async function replanOffers(
  db: Executor,
  organizationId: string,
  now: Date,
): Promise<{ offers: ReplanOffer[] }> {
  // The three kinds of offer in one statement (the board asks on every page view): each list is a
  // JSON array built in the database, in its own order.
  const { down, late, rush } = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom("printer as p")
          .innerJoin("job as j", (join) =>
            join.onRef("j.printerId", "=", "p.id").on("j.status", "=", "scheduled"),
          )
          .select(["p.id", "p.name", "p.status", (eb) => eb.fn.countAll<number>().as("jobs")])
          .where("p.organizationId", "=", organizationId)
          .where("p.status", "in", ["offline", "maintenance"])
          .groupBy(["p.id", "p.name", "p.status"])
          .orderBy("p.name"),
      ).as("down"),
      jsonArrayFrom(
        eb
          .selectFrom("job as j")
          .innerJoin("printer as p", "p.id", "j.printerId")
          .select(["j.id", "j.number", "j.title", "j.status", "j.scheduledEndAt", "p.name as printerName"])
          .where("j.organizationId", "=", organizationId)
          .where("j.status", "in", ["scheduled", "printing"])
          .where("j.scheduledEndAt", "<", now)
          .orderBy("j.scheduledEndAt")
          .limit(20),
      ).as("late"),
      jsonArrayFrom(
        eb
          .selectFrom("job as j")
          .select(["j.id", "j.number", "j.title", "j.rush"])
          .where("j.organizationId", "=", organizationId)
          .where("j.status", "=", "approved")
          .where("j.scheduledStartAt", "is", null)
          .where((eb) => eb.or([eb("j.rush", "=", true), eb("j.priority", "=", "urgent")]))
          .orderBy("j.number")
          .limit(20),
      ).as("rush"),
    ])
    .executeTakeFirstOrThrow();
  const offers: ReplanOffer[] = [];
  for (const p of down) {
    offers.push({
      kind: "printer_offline",
      subjectId: p.id,
      reason: `${p.name} is ${p.status === "offline" ? "offline" : "in maintenance"} with ${plural(Number(p.jobs), "job", "jobs")} scheduled on it`,
    });
  }
  for (const j of late) {
    // Inside JSON a timestamp is its ISO text.
    const endedAt = new Date(j.scheduledEndAt as string | Date).getTime();
    const minutes = Math.max(1, Math.round((now.getTime() - endedAt) / MINUTE));
    offers.push({
      kind: "running_late",
      subjectId: j.id,
      reason: `Job #${j.number} ${j.title} was planned to be off ${j.printerName} ${sinceText(minutes)} ago and is still ${j.status === "printing" ? "printing" : "waiting to start"}`,
    });
  }
  for (const j of rush) {
    offers.push({
      kind: "rush_job",
      subjectId: j.id,
      reason: `${j.rush ? "Rush" : "Urgent"} job #${j.number} ${j.title} is approved and not on the schedule`,
    });
  }
  return { offers };
}
