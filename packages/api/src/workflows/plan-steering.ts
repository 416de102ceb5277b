import { localDays } from "@ktizo/planner";
import type { AiService } from "@ktizo/services";
import { z } from "zod";
import { askAi, limitAiAssist } from "../ai/ask.ts";
import { badRequest, type Executor, idSchema, notFound } from "../kernel/index.ts";
import { type constraintSchema, loadPlanInput, proposePlan, proposePlanInput } from "./planning.ts";

/**
 * AI steering of the planner (issue 15, req. 4): a sentence becomes planner constraints the person
 * confirms before anything is planned, and a late job's planner facts become plain words. Both go
 * through the AI gate only (switch off: refused, nothing sent); the planner itself never needs them.
 */

type Actor = { organizationId: string; userId: string };
type Constraint = z.output<typeof constraintSchema>;

/** How far ahead "Friday" or "not before the 20th" may reach. */
const STEERING_DAYS = 28;
/** At most this many open jobs are described to the AI (soonest due first). */
const STEERING_JOBS = 500;

export const steerPlanInput = z.object({
  sentence: z
    .string()
    .trim()
    .min(3, "Write what the planner should do, e.g. “do the Acme order first”")
    .max(500, "At most 500 characters"),
  allowMoves: z.boolean().default(false),
});

export interface SteeringProposal {
  /** Proposed constraints, each in plain words; nothing is planned until the person confirms them. */
  constraints: Array<{ constraint: Constraint; explanation: string }>;
  /** What was not understood or was dropped (an unknown job or printer), in plain words. */
  messages: string[];
  source: "anthropic" | "rules";
}

const withoutAi = "plan without it; the planner works the same.";

/** A sentence → planner constraints for the shop's open jobs and printers (nothing is saved). */
export async function steerPlanFromSentence(
  db: Executor,
  ai: AiService,
  actor: Actor,
  input: z.output<typeof steerPlanInput>,
  now: Date,
): Promise<SteeringProposal> {
  await limitAiAssist(db, actor, now);
  const { input: plan, jobs } = await loadPlanInput(db, actor.organizationId, now, {
    allowMoves: input.allowMoves,
    constraints: [],
  });
  const ids = [...jobs.keys()];
  const customers =
    ids.length === 0
      ? []
      : await db
          .selectFrom("job")
          .innerJoin("customer", "customer.id", "job.customerId")
          .select(["job.id", "customer.name", "customer.company"])
          .where("job.organizationId", "=", actor.organizationId)
          .where("job.id", "in", ids)
          .execute();
  const customerOf = new Map(customers.map((c) => [c.id, c.company || c.name]));
  const described = [...jobs.entries()]
    .sort(([, a], [, b]) => (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity))
    .slice(0, STEERING_JOBS)
    .map(([id, j]) => ({
      id,
      label: `#${j.number} ${j.title}`.slice(0, 300),
      customer: customerOf.get(id)?.slice(0, 200) ?? null,
      due: j.dueAt?.toISOString() ?? null,
    }));
  const timeZone = plan.hours.timeZone;
  const result = await askAi(
    () =>
      ai.steerPlan(actor, {
        sentence: input.sentence,
        jobs: described,
        printers: plan.printers.map((p) => ({ id: p.id, name: p.name.slice(0, 200) })),
        now: now.toISOString(),
        timeZone,
        days: localDays(now.getTime(), STEERING_DAYS, timeZone).map((d) => ({
          date: d.date,
          weekday: d.weekday,
          start: new Date(d.start).toISOString(),
          end: new Date(d.end).toISOString(),
        })),
      }),
    { what: "Planner steering", withoutAi, field: "sentence" },
  );
  return {
    constraints: result.constraints.map(({ explanation, ...c }) => ({
      explanation,
      constraint:
        c.kind === "keep_free"
          ? { kind: c.kind, printerId: c.printerId, from: new Date(c.from), to: new Date(c.to) }
          : c.kind === "not_before"
            ? { kind: c.kind, jobId: c.jobId, at: new Date(c.at) }
            : c,
    })),
    messages: result.messages,
    source: result.source,
  };
}

export const explainLateInput = z.object({
  jobId: idSchema,
  allowMoves: z.boolean().default(false),
  constraints: proposePlanInput.shape.constraints,
});

export interface LateJobExplanation {
  jobId: string;
  explanation: string;
  source: "anthropic" | "rules";
}

const HOUR = 3_600_000;

/**
 * Why a job is late in the plan the person is looking at (the same options give the same plan): the
 * planner's own facts (its reason, the printer, the work ahead of it) go to the AI, which says it in
 * plain words. Other jobs are described by count and hours only, never by name.
 */
export async function explainLateJob(
  db: Executor,
  ai: AiService,
  actor: Actor,
  input: z.output<typeof explainLateInput>,
  now: Date,
): Promise<LateJobExplanation> {
  await limitAiAssist(db, actor, now);
  const proposal = await proposePlan(
    db,
    actor.organizationId,
    { allowMoves: input.allowMoves, constraints: input.constraints },
    now,
  );
  const late = proposal.assignments.find((a) => a.jobId === input.jobId);
  if (!late) {
    const own = await db
      .selectFrom("job")
      .select("number")
      .where("organizationId", "=", actor.organizationId)
      .where("id", "=", input.jobId)
      .executeTakeFirst();
    if (!own) throw notFound("Job not found");
    throw badRequest(`Job #${own.number} is not in this plan`);
  }
  if (late.lateMinutes <= 0 || !late.dueAt)
    throw badRequest(`Job #${late.jobNumber} is on time in this plan`);
  const ahead = proposal.assignments.filter(
    (a) => a.printerId === late.printerId && a.startAt < late.startAt && a.jobId !== late.jobId,
  );
  const dueEarlier = ahead.filter((a) => a.dueAt && late.dueAt && a.dueAt <= late.dueAt);
  const hoursAhead = ahead.reduce((sum, a) => sum + (a.endAt.getTime() - a.startAt.getTime()), 0) / HOUR;
  // The planner's facts in words; times stay in the job itself (due, planned end), so no fact needs one.
  const facts = [
    late.lateBecause ?? "no printer that can make it is free sooner",
    ahead.length > 0
      ? `${ahead.length} other job${ahead.length === 1 ? "" : "s"} (${hoursAhead.toFixed(1)} h of printing) run before it on ${late.printerName}, ${dueEarlier.length} of them due earlier`
      : `nothing else runs before it on ${late.printerName}, so the time it needs does not fit before the due date`,
  ];
  const settings = await db
    .selectFrom("shopSettings")
    .select("timezone")
    .where("organizationId", "=", actor.organizationId)
    .executeTakeFirst();
  const timeZone = settings?.timezone ?? "UTC";
  const { explanation, source } = await askAi(
    () =>
      ai.explainLate(actor, {
        job: {
          label: `#${late.jobNumber} ${late.title}`.slice(0, 300),
          due: late.dueAt!.toISOString(),
          plannedEnd: late.endAt.toISOString(),
          lateMinutes: late.lateMinutes,
          printerName: late.printerName.slice(0, 200) || "a printer",
        },
        facts,
        timeZone,
      }),
    { what: "Late-job explanations", withoutAi: "the planner's own reason is shown instead." },
  );
  return { jobId: late.jobId, explanation, source };
}
