/**
 * `pnpm bench:plan`: generated shop workloads (100 jobs on 8 printers with mixed technologies,
 * materials, due dates and maintenance; then 500 jobs), the planner against earliest-due-date greedy
 * and a lower bound. Prints late jobs, total lateness, makespan and planning time (one core).
 * The planner must beat the greedy on late jobs across the generated set.
 */
import { loadavg } from "node:os";
import { earliestDueDateGreedy, lowerBound, planSchedule } from "../src/index.ts";
import type { PlanInput, PlannerJob, PlannerPrinter, PlanScore } from "../src/types.ts";

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 7, 7, 0);

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function workload(seed: number, jobs: number, printers: number): PlanInput {
  const r = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(r() * items.length)]!;
  const fdmMaterials = ["pla-black", "pla-white", "petg-black", "asa-grey", "tpu-black"];
  const fleet: PlannerPrinter[] = Array.from({ length: printers }, (_, i) => {
    const resin = i % 4 === 3;
    const big = i % 5 === 0;
    return {
      id: `printer-${i}`,
      name: `Printer ${i}`,
      technology: resin ? "resin" : "fdm",
      buildMm: resin ? [200, 125, 160] : big ? [360, 360, 360] : [250, 210, 220],
      materialIds: resin
        ? ["resin-grey", "resin-clear"]
        : fdmMaterials.filter(() => r() < 0.7).concat("pla-black"),
      online: r() > 0.05,
      maintenance:
        r() < 0.4
          ? [{ start: NOW + Math.floor(r() * 72) * H, end: 0 }].map((m) => ({ ...m, end: m.start + 4 * H }))
          : [],
      unattended: r() < 0.7,
    };
  });
  const list: PlannerJob[] = Array.from({ length: jobs }, (_, i) => {
    const resin = r() < 0.2;
    const minutes = resin ? 60 + Math.floor(r() * 300) : 30 + Math.floor(r() ** 2 * 1200);
    return {
      id: `job-${i}`,
      label: `JOB-${1000 + i}`,
      technology: resin ? "resin" : "fdm",
      sizeMm: [20 + r() * (resin ? 150 : 300), 20 + r() * 150, 10 + r() * 150],
      materialId: resin ? pick(["resin-grey", "resin-clear"]) : pick(fdmMaterials),
      grams: 10 + Math.floor(r() * 400),
      printMinutes: minutes,
      dueAt: r() < 0.9 ? NOW + Math.floor((6 + r() * 160) * H) : null,
      priority: r() < 0.08 ? "urgent" : r() < 0.2 ? "high" : "normal",
      approved: r() > 0.05,
      depositPaid: r() > 0.03,
    };
  });
  const weekdays = Object.fromEntries(
    [1, 2, 3, 4, 5].map((d) => [d, [[8 * 60, 20 * 60]] as Array<[number, number]>]),
  );
  return {
    now: NOW,
    jobs: list,
    printers: fleet,
    hours: { timeZone: "America/Chicago", days: { ...weekdays, 6: [[9 * 60, 14 * 60]] } },
    stock: [
      ...fdmMaterials.map((materialId) => ({
        materialId,
        availableG: Math.floor(((2000 + r() * 6000) * jobs) / 100),
        arrivals: [{ at: NOW + 48 * H, grams: 50 * jobs }],
      })),
      { materialId: "resin-grey", availableG: 50 * jobs },
      { materialId: "resin-clear", availableG: 30 * jobs },
    ],
  };
}

const hours = (score: PlanScore) => ((score.makespan - NOW) / H).toFixed(1);
const time = <T>(fn: () => T): [T, number] => {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
};

if (process.argv[1]?.endsWith("run.ts")) main();
function main() {
  console.log(`# pnpm bench:plan (load average ${loadavg()[0]!.toFixed(2)}, one core)\n`);
  console.log(
    "| workload | unplanned (planner/greedy) | planner late | greedy late | bound late | planner lateness h | greedy lateness h | planner makespan h | greedy makespan h | bound makespan h | plan ms |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  let plannerLate = 0;
  let greedyLate = 0;
  let worse = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const input = workload(seed, 100, 8);
    const [planned, ms] = time(() => planSchedule(input));
    const greedy = earliestDueDateGreedy(input);
    const bound = lowerBound(input);
    plannerLate += planned.score.lateJobs;
    greedyLate += greedy.score.lateJobs;
    if (planned.score.lateJobs > greedy.score.lateJobs) worse++;
    console.log(
      `| 100 jobs / 8 printers #${seed} | ${planned.unplanned.length}/${greedy.unplanned.length} | ${planned.score.lateJobs} | ${greedy.score.lateJobs} | ${bound.lateJobs} | ${(planned.score.totalLatenessMinutes / 60).toFixed(0)} | ${(greedy.score.totalLatenessMinutes / 60).toFixed(0)} | ${hours(planned.score)} | ${hours(greedy.score)} | ${hours(bound)} | ${ms.toFixed(0)} |`,
    );
  }
  const big = workload(99, 500, 20);
  const [bigPlan, bigMs] = time(() => planSchedule(big));
  const bigGreedy = earliestDueDateGreedy(big);
  console.log(
    `| 500 jobs / 20 printers | ${bigPlan.unplanned.length}/${bigGreedy.unplanned.length} | ${bigPlan.score.lateJobs} | ${bigGreedy.score.lateJobs} | ${lowerBound(big).lateJobs} | ${(bigPlan.score.totalLatenessMinutes / 60).toFixed(0)} | ${(bigGreedy.score.totalLatenessMinutes / 60).toFixed(0)} | ${hours(bigPlan.score)} | ${hours(bigGreedy.score)} | ${hours(lowerBound(big))} | ${bigMs.toFixed(0)} |`,
  );
  const beats = plannerLate < greedyLate;
  console.log(
    `\nlate jobs over the 12 workloads: planner ${plannerLate}, greedy ${greedyLate} (planner worse on ${worse}) → ${beats ? "beats the greedy" : "DOES NOT beat the greedy"}; 500 jobs planned in ${(bigMs / 1000).toFixed(2)} s (goal: under a few seconds)`,
  );
  process.exitCode = beats ? 0 : 1;
}
