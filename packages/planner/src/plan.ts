import { windowAfter, workingWindows } from "./calendar.ts";
import { capablePrinters } from "./fit.ts";
import type {
  Assignment,
  Interval,
  PlanInput,
  PlannerJob,
  PlannerPrinter,
  PlanResult,
  PlanScore,
  Priority,
  Unplanned,
} from "./types.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;
const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** A job the plan may place, with what decoding needs precomputed. */
interface Candidate {
  job: PlannerJob;
  printers: PlannerPrinter[];
  releaseAt: number;
  /** The shortest print time over its printers (ordering and bounds); `durationOn` gives each one's. */
  durationMs: number;
  /** Asked to go first (the constraint's own order), else Infinity. */
  firstRank: number;
}

/** What every decoding of an order shares: working windows, blocked time, stock, fixed jobs. */
export interface Problem {
  input: PlanInput;
  windows: Interval[];
  longestWindowMs: number;
  horizonEnd: number;
  blocked: Map<string, Interval[]>;
  candidates: Candidate[];
  fixed: Assignment[];
  unplanned: Unplanned[];
  stock: Map<string, { availableG: number; arrivals: Array<{ at: number; grams: number }> }>;
}

const byStart = (a: Interval, b: Interval) => a.start - b.start;

/** What people call a material in the reasons: its name when the stock gives one, else its id. */
function materialName(input: PlanInput, materialId: string): string {
  return input.stock.find((s) => s.materialId === materialId)?.name ?? materialId;
}

/** A job's print time on one printer: its calibrated time there when given, else its print time. */
export function printMsOn(job: PlannerJob, printerId: string): number {
  return Math.max(1, Math.round(job.printMinutesOn?.[printerId] ?? job.printMinutes)) * MINUTE;
}

function insertSorted(list: Interval[], item: Interval): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.start > item.start) i--;
  list.splice(i, 0, item);
}

/** Sorts jobs into those that can be planned and those that cannot (with the reason), once per input. */
export function prepare(input: PlanInput): Problem {
  const horizonEnd = input.now + (input.horizonDays ?? 60) * DAY;
  const windows = workingWindows(input.hours, input.now - DAY, horizonEnd);
  const longestWindowMs = windows.reduce((m, w) => Math.max(m, w.end - w.start), 0);
  const constraints = input.constraints ?? [];
  const blocked = new Map<string, Interval[]>();
  for (const printer of input.printers) {
    const own: Interval[] = [...printer.maintenance];
    for (const c of constraints)
      if (c.kind === "keep_free" && c.printerId === printer.id) own.push(c.interval);
    blocked.set(printer.id, own.sort(byStart));
  }
  const stock = new Map(
    input.stock.map((s) => [
      s.materialId,
      { availableG: s.availableG, arrivals: [...(s.arrivals ?? [])].sort((a, b) => a.at - b.at) },
    ]),
  );
  const firstOrder = new Map<string, number>();
  for (const c of constraints) {
    if (c.kind !== "first") continue;
    for (const [i, id] of c.jobIds.entries()) firstOrder.set(id, i);
  }
  const onPrinter = new Map<string, string>();
  const notBefore = new Map<string, number>();
  for (const c of constraints) {
    if (c.kind === "on_printer") onPrinter.set(c.jobId, c.printerId);
    if (c.kind === "not_before") notBefore.set(c.jobId, Math.max(notBefore.get(c.jobId) ?? 0, c.at));
  }

  const fixed: Assignment[] = [];
  const unplanned: Unplanned[] = [];
  const candidates: Candidate[] = [];
  for (const job of input.jobs) {
    const keep = job.scheduled && (job.scheduled.started || !input.allowMoves);
    if (job.scheduled && keep) {
      const interval = {
        start: job.scheduled.start,
        end: job.scheduled.start + printMsOn(job, job.scheduled.printerId),
      };
      const own = blocked.get(job.scheduled.printerId);
      if (own) insertSorted(own, interval);
      const material = job.materialId ? stock.get(job.materialId) : undefined;
      if (material && !job.scheduled.started) material.availableG -= job.grams;
      fixed.push(assignment(job, job.scheduled.printerId, interval, false, null));
      continue;
    }
    if (!job.approved) {
      unplanned.push({ jobId: job.id, reason: "waiting for the customer's approval" });
      continue;
    }
    if (!job.depositPaid) {
      unplanned.push({ jobId: job.id, reason: "waiting for the deposit" });
      continue;
    }
    const { printers, reason } = capablePrinters(job, input.printers, onPrinter.get(job.id));
    if (reason) {
      unplanned.push({ jobId: job.id, reason: `no printer can make it: ${reason}` });
      continue;
    }
    candidates.push({
      job,
      printers,
      releaseAt: Math.max(input.now, notBefore.get(job.id) ?? 0),
      durationMs: Math.min(...printers.map((p) => printMsOn(job, p.id))),
      firstRank: firstOrder.get(job.id) ?? Number.POSITIVE_INFINITY,
    });
  }
  return { input, windows, longestWindowMs, horizonEnd, blocked, candidates, fixed, unplanned, stock };
}

function assignment(
  job: PlannerJob,
  printerId: string,
  slot: Interval,
  moved: boolean,
  waitsForMaterial: Assignment["waitsForMaterial"],
): Assignment {
  const lateMinutes =
    job.dueAt !== null && slot.end > job.dueAt ? Math.ceil((slot.end - job.dueAt) / MINUTE) : 0;
  return {
    jobId: job.id,
    printerId,
    start: slot.start,
    end: slot.end,
    lateMinutes,
    lateBecause: null,
    moved,
    waitsForMaterial,
  };
}

/**
 * The earliest slot on a printer at or after `from`: it starts in working hours (someone starts it),
 * ends in the same window unless the printer may run unattended, and overlaps nothing blocked.
 */
export function earliestSlot(
  problem: Pick<Problem, "windows" | "longestWindowMs" | "horizonEnd">,
  printer: PlannerPrinter,
  busy: readonly Interval[],
  from: number,
  durationMs: number,
): Interval | null {
  const { windows } = problem;
  if (!printer.unattended && durationMs > problem.longestWindowMs) return null;
  let t = from;
  for (let guard = 0; guard < 100_000; guard++) {
    if (t > problem.horizonEnd) return null;
    const i = windowAfter(windows, t);
    const window = windows[i];
    if (!window) return null;
    if (t < window.start) t = window.start;
    const end = t + durationMs;
    if (!printer.unattended && end > window.end) {
      const next = windows[i + 1];
      if (!next) return null;
      t = next.start;
      continue;
    }
    const clash = busy.find((b) => b.start < end && b.end > t);
    if (clash) {
      t = clash.end;
      continue;
    }
    return { start: t, end };
  }
  return null;
}

export type PrinterChoice = "earliest-finish" | "earliest-start";

/** Places the jobs in `order`, each on its best printer given everything placed before it. */
export function decode(problem: Problem, order: readonly Candidate[], choice: PrinterChoice): PlanResult {
  const busy = new Map([...problem.blocked].map(([id, list]) => [id, [...list]]));
  const stock = new Map(
    [...problem.stock].map(([id, s]) => [id, { availableG: s.availableG, arrivals: [...s.arrivals] }]),
  );
  const assignments: Assignment[] = [...problem.fixed];
  const unplanned: Unplanned[] = [...problem.unplanned];
  for (const candidate of order) {
    const { job } = candidate;
    let from = candidate.releaseAt;
    let waits: Assignment["waitsForMaterial"] = null;
    const material = job.materialId ? stock.get(job.materialId) : undefined;
    if (material && job.grams > 0) {
      if (material.availableG >= job.grams) material.availableG -= job.grams;
      else {
        let pool = material.availableG;
        let until: number | null = null;
        while (material.arrivals.length > 0) {
          const arrival = material.arrivals.shift()!;
          pool += arrival.grams;
          if (pool >= job.grams) {
            until = arrival.at;
            break;
          }
        }
        if (until === null) {
          material.availableG = pool;
          unplanned.push({
            jobId: job.id,
            reason: `not enough ${materialName(problem.input, job.materialId!)}: needs ${Math.round(job.grams)} g, ${Math.max(0, Math.round(pool))} g in stock or on order`,
          });
          continue;
        }
        material.availableG = pool - job.grams;
        from = Math.max(from, until);
        waits = { materialId: job.materialId!, until };
      }
    }
    let best: { printer: PlannerPrinter; slot: Interval } | null = null;
    for (const printer of candidate.printers) {
      const slot = earliestSlot(problem, printer, busy.get(printer.id)!, from, printMsOn(job, printer.id));
      if (!slot) continue;
      const key = choice === "earliest-finish" ? slot.end : slot.start;
      const bestKey = best ? (choice === "earliest-finish" ? best.slot.end : best.slot.start) : Infinity;
      if (key < bestKey) best = { printer, slot };
    }
    if (!best) {
      unplanned.push({
        jobId: job.id,
        reason: problem.input.printers.some((p) => !p.unattended)
          ? "no room within the planning horizon (a print longer than a working day needs a printer allowed to run unattended)"
          : "no room within the planning horizon",
      });
      continue;
    }
    insertSorted(busy.get(best.printer.id)!, best.slot);
    const moved = Boolean(
      job.scheduled &&
        (job.scheduled.printerId !== best.printer.id || job.scheduled.start !== best.slot.start),
    );
    assignments.push(assignment(job, best.printer.id, best.slot, moved, waits));
  }
  return { assignments, unplanned, score: scoreOf(assignments, problem.input.now) };
}

export function scoreOf(assignments: readonly Assignment[], now: number): PlanScore {
  let lateJobs = 0;
  let totalLatenessMinutes = 0;
  let makespan = now;
  for (const a of assignments) {
    if (a.lateMinutes > 0) lateJobs++;
    totalLatenessMinutes += a.lateMinutes;
    makespan = Math.max(makespan, a.end);
  }
  return { lateJobs, totalLatenessMinutes, makespan };
}

/** Fewer late jobs first, then less total lateness, then an earlier end of the last job. */
export function better(a: PlanScore, b: PlanScore, unplannedA: number, unplannedB: number): boolean {
  if (unplannedA !== unplannedB) return unplannedA < unplannedB;
  if (a.lateJobs !== b.lateJobs) return a.lateJobs < b.lateJobs;
  if (a.totalLatenessMinutes !== b.totalLatenessMinutes)
    return a.totalLatenessMinutes < b.totalLatenessMinutes;
  return a.makespan < b.makespan;
}

const due = (c: Candidate) => c.job.dueAt ?? Number.POSITIVE_INFINITY;

/** Dispatch rules the construction tries; each is a full order, the best decoding wins. */
const RULES: Array<(a: Candidate, b: Candidate) => number> = [
  // Earliest due date, rush first.
  (a, b) => PRIORITY_RANK[a.job.priority] - PRIORITY_RANK[b.job.priority] || due(a) - due(b),
  // Earliest due date alone.
  (a, b) => due(a) - due(b),
  // Least slack (time to due less print time): long jobs with close dates first.
  (a, b) => due(a) - a.durationMs - (due(b) - b.durationMs),
];

function ordered(
  candidates: readonly Candidate[],
  rule: (a: Candidate, b: Candidate) => number,
): Candidate[] {
  return [...candidates].sort(
    (a, b) =>
      a.firstRank - b.firstRank || rule(a, b) || a.releaseAt - b.releaseAt || (a.job.id < b.job.id ? -1 : 1),
  );
}

/**
 * The plan: the best of several dispatch orders, then a deterministic local search that moves late
 * jobs earlier in the order while that lowers (late jobs, total lateness, makespan). Jobs asked to go
 * first keep their place at the front.
 */
export function planSchedule(input: PlanInput): PlanResult {
  const problem = prepare(input);
  let order: Candidate[] = [];
  let best: PlanResult | null = null;
  let choice: PrinterChoice = "earliest-finish";
  for (const rule of RULES) {
    const candidateOrder = ordered(problem.candidates, rule);
    for (const printerChoice of ["earliest-finish", "earliest-start"] as const) {
      const result = decode(problem, candidateOrder, printerChoice);
      if (!best || better(result.score, best.score, result.unplanned.length, best.unplanned.length)) {
        best = result;
        order = candidateOrder;
        choice = printerChoice;
      }
    }
  }
  if (!best) best = decode(problem, [], choice);

  const pinnedFront = problem.candidates.filter((c) => Number.isFinite(c.firstRank)).length;
  let budget = input.effort ?? 400;
  let current: PlanResult = best;
  /** Moves the job at `from` to `to` (the end when null); keeps the order if that plans better. */
  const tryMove = (from: number, to: number | null): boolean => {
    const trial = [...order];
    const [moving] = trial.splice(from, 1);
    if (to === null) trial.push(moving!);
    else trial.splice(to, 0, moving!);
    budget--;
    const result = decode(problem, trial, choice);
    if (!better(result.score, current.score, result.unplanned.length, current.unplanned.length)) return false;
    current = result;
    order = trial;
    return true;
  };
  let improved = true;
  while (improved && budget > 0 && current.score.lateJobs > 0) {
    improved = false;
    const lateIds = new Set(current.assignments.filter((a) => a.lateMinutes > 0).map((a) => a.jobId));
    for (let pos = pinnedFront; pos < order.length && budget > 0 && !improved; pos++) {
      const moving = order[pos]!;
      if (!lateIds.has(moving.job.id)) continue;
      // Try it earlier: before the first job due after it, halfway, a quarter of the way, at the front.
      const firstLater = order.findIndex((c, i) => i >= pinnedFront && due(c) > due(moving));
      const targets = [
        firstLater,
        Math.floor((pinnedFront + pos) / 2),
        Math.floor((3 * pinnedFront + pos) / 4),
        pinnedFront,
      ].filter((t, i, all) => t >= pinnedFront && t < pos && all.indexOf(t) === i);
      improved = targets.some((target) => budget > 0 && tryMove(pos, target));
    }
    if (!improved && budget > 0) {
      // Moore–Hodgson's move: a long job ahead of the first late one goes to the end of the order.
      const firstLate = order.findIndex((c) => lateIds.has(c.job.id));
      const ahead = order
        .slice(pinnedFront, Math.max(pinnedFront, firstLate))
        .map((c, i) => ({ c, i: i + pinnedFront }))
        .sort((a, b) => b.c.durationMs - a.c.durationMs)
        .slice(0, 3);
      improved = ahead.some(({ i }) => budget > 0 && tryMove(i, null));
    }
  }
  best = current;
  return explainLateness(problem, best);
}

/**
 * The baseline the planner is measured against (`pnpm bench:plan`): jobs by due date, each on the
 * printer where it can start first, no look-ahead.
 */
export function earliestDueDateGreedy(input: PlanInput): PlanResult {
  const problem = prepare(input);
  return decode(
    problem,
    ordered(problem.candidates, (a, b) => due(a) - due(b)),
    "earliest-start",
  );
}

/** Each late job says why: a wait it cannot avoid, or printers busy with work due earlier. */
function explainLateness(problem: Problem, result: PlanResult): PlanResult {
  const byId = new Map(problem.candidates.map((c) => [c.job.id, c]));
  const assignments = result.assignments.map((a) => {
    if (a.lateMinutes === 0) return a;
    const candidate = byId.get(a.jobId);
    if (!candidate) return { ...a, lateBecause: "it was already scheduled there" };
    const alone = earliestAlone(problem, candidate, a.waitsForMaterial?.until ?? candidate.releaseAt);
    const hours = ((a.end - a.start) / 3_600_000).toFixed(1);
    let lateBecause: string;
    if (a.waitsForMaterial)
      lateBecause = `it waits for ${materialName(problem.input, a.waitsForMaterial.materialId)} to arrive`;
    else if (alone !== null && candidate.job.dueAt !== null && alone > candidate.job.dueAt)
      lateBecause = `its ${hours} h print cannot finish by the due date even on a free printer (working hours, maintenance)`;
    else lateBecause = "the printers that can make it are busy with work due earlier";
    return { ...a, lateBecause };
  });
  return { ...result, assignments };
}

/** When the job would finish on the best capable printer if nothing else were planned. */
export function earliestAlone(problem: Problem, candidate: Candidate, from: number): number | null {
  let best: number | null = null;
  for (const printer of candidate.printers) {
    const slot = earliestSlot(
      problem,
      printer,
      problem.blocked.get(printer.id) ?? [],
      from,
      printMsOn(candidate.job, printer.id),
    );
    if (slot && (best === null || slot.end < best)) best = slot.end;
  }
  return best;
}

/**
 * Bounds no plan can beat: a job late even alone on a free printer is late in every plan; the last
 * job cannot end before each technology's work spread over its printers.
 */
export function lowerBound(input: PlanInput): PlanScore {
  const problem = prepare(input);
  let lateJobs = 0;
  let totalLatenessMinutes = 0;
  let makespan = input.now;
  const work = new Map<string, number>();
  for (const candidate of problem.candidates) {
    const end = earliestAlone(problem, candidate, candidate.releaseAt);
    if (end === null) continue;
    makespan = Math.max(makespan, end);
    if (candidate.job.dueAt !== null && end > candidate.job.dueAt) {
      lateJobs++;
      totalLatenessMinutes += Math.ceil((end - candidate.job.dueAt) / MINUTE);
    }
    work.set(candidate.job.technology, (work.get(candidate.job.technology) ?? 0) + candidate.durationMs);
  }
  for (const [technology, ms] of work) {
    const printers = input.printers.filter((p) => p.online && p.technology === technology).length;
    if (printers > 0) makespan = Math.max(makespan, input.now + ms / printers);
  }
  return { lateJobs, totalLatenessMinutes, makespan };
}
