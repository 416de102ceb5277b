import { describe, expect, it } from "vitest";
import { workingWindows } from "./calendar.ts";
import { earliestDueDateGreedy, lowerBound, planSchedule } from "./plan.ts";
import type { PlanInput, PlannerJob, PlannerPrinter, WorkingHours } from "./types.ts";

const H = 3_600_000;
// Monday 2026-12-07 06:00 UTC (07:00 in Berlin).
const NOW = Date.UTC(2026, 11, 7, 6, 0);
const weekdays = (from: number, to: number) =>
  Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [[from * 60, to * 60]] as Array<[number, number]>]));
const BERLIN: WorkingHours = { timeZone: "Europe/Berlin", days: weekdays(8, 18) };
const ALWAYS: WorkingHours = {
  timeZone: "UTC",
  days: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [[0, 1440]] as Array<[number, number]>])),
};

const printer = (id: string, over: Partial<PlannerPrinter> = {}): PlannerPrinter => ({
  id,
  name: id,
  technology: "fdm",
  buildMm: [250, 210, 220],
  materialIds: ["pla", "petg"],
  online: true,
  maintenance: [],
  unattended: true,
  ...over,
});
const job = (id: string, over: Partial<PlannerJob> = {}): PlannerJob => ({
  id,
  label: id,
  technology: "fdm",
  sizeMm: [50, 50, 50],
  materialId: "pla",
  grams: 50,
  printMinutes: 120,
  dueAt: null,
  priority: "normal",
  approved: true,
  depositPaid: true,
  ...over,
});
const input = (over: Partial<PlanInput>): PlanInput => ({
  now: NOW,
  jobs: [],
  printers: [printer("p1")],
  hours: ALWAYS,
  stock: [
    { materialId: "pla", availableG: 10_000 },
    { materialId: "petg", availableG: 10_000 },
  ],
  ...over,
});
const placed = (result: ReturnType<typeof planSchedule>, id: string) =>
  result.assignments.find((a) => a.jobId === id);
const reason = (result: ReturnType<typeof planSchedule>, id: string) =>
  result.unplanned.find((u) => u.jobId === id)?.reason;

describe("the planner respects each constraint", () => {
  it("technology, build volume and material: a job goes only where it can be made, or says why not", () => {
    const result = planSchedule(
      input({
        printers: [
          printer("fdm-small", { buildMm: [180, 180, 180] }),
          printer("resin", { technology: "resin", buildMm: [200, 120, 150], materialIds: ["resin-grey"] }),
        ],
        jobs: [
          job("turned", { sizeMm: [170, 60, 175] }),
          job("resin-part", { technology: "resin", materialId: "resin-grey" }),
          job("huge", { sizeMm: [300, 50, 50] }),
          job("nylon", { materialId: "nylon" }),
          job("powder", { technology: "powder" }),
        ],
        stock: [
          { materialId: "pla", availableG: 1000 },
          { materialId: "resin-grey", availableG: 1000 },
          { materialId: "nylon", availableG: 1000 },
        ],
      }),
    );
    expect(placed(result, "turned")?.printerId).toBe("fdm-small");
    expect(placed(result, "resin-part")?.printerId).toBe("resin");
    expect(reason(result, "huge")).toBe(
      "no printer can make it: too large for every FDM printer (300 × 50 × 50 mm)",
    );
    expect(reason(result, "nylon")).toBe("no printer can make it: no printer that fits it runs its material");
    expect(reason(result, "powder")).toBe("no printer can make it: no POWDER printer");
  });

  it("maintenance windows and offline printers are kept free", () => {
    const result = planSchedule(
      input({
        printers: [
          printer("down", { online: false }),
          printer("serviced", { maintenance: [{ start: NOW, end: NOW + 5 * H }] }),
        ],
        jobs: [job("a", { printMinutes: 60 })],
      }),
    );
    expect(placed(result, "a")).toMatchObject({ printerId: "serviced", start: NOW + 5 * H });
    const allDown = planSchedule(input({ printers: [printer("down", { online: false })], jobs: [job("a")] }));
    expect(reason(allDown, "a")).toBe("no printer can make it: every printer that can make it is offline");
  });

  it("working hours in the shop's time zone: started in hours; attended prints end in the same window", () => {
    const attended = printer("attended", { unattended: false });
    const result = planSchedule(
      input({
        hours: BERLIN,
        printers: [attended],
        jobs: [job("morning", { printMinutes: 9 * 60 }), job("second", { printMinutes: 120 })],
      }),
    );
    // 08:00 Berlin is 07:00 UTC in December.
    expect(placed(result, "morning")).toMatchObject({ start: Date.UTC(2026, 11, 7, 7, 0) });
    // Only one hour is left on Monday: the 2-hour print waits for Tuesday 08:00.
    expect(placed(result, "second")).toMatchObject({ start: Date.UTC(2026, 11, 8, 7, 0) });
    const tooLong = planSchedule(
      input({ hours: BERLIN, printers: [attended], jobs: [job("long", { printMinutes: 11 * 60 })] }),
    );
    expect(reason(tooLong, "long")).toMatch(
      /longer than a working day needs a printer allowed to run unattended/,
    );
    // An unattended printer starts it in hours and lets it run into the night.
    const overnight = planSchedule(
      input({
        hours: BERLIN,
        printers: [printer("farm", { unattended: true })],
        jobs: [job("long", { printMinutes: 11 * 60 })],
      }),
    );
    expect(placed(overnight, "long")).toMatchObject({
      start: Date.UTC(2026, 11, 7, 7, 0),
      end: Date.UTC(2026, 11, 7, 18, 0),
    });
  });

  it("working windows follow daylight saving time", () => {
    const [march] = workingWindows(BERLIN, Date.UTC(2027, 2, 29, 0, 0), Date.UTC(2027, 2, 29, 23, 0));
    // Monday after the switch: 08:00 Berlin is 06:00 UTC.
    expect(march).toEqual({ start: Date.UTC(2027, 2, 29, 6, 0), end: Date.UTC(2027, 2, 29, 16, 0) });
  });

  it("material stock: a shortage waits for the delivery on order, and says so; none on order is not planned", () => {
    const result = planSchedule(
      input({
        jobs: [
          job("first", { grams: 800, dueAt: NOW + 10 * H }),
          job("second", { grams: 800, dueAt: NOW + 20 * H }),
        ],
        stock: [
          {
            materialId: "pla",
            name: "PLA Black",
            availableG: 1000,
            arrivals: [{ at: NOW + 30 * H, grams: 1000 }],
          },
        ],
      }),
    );
    expect(placed(result, "first")?.start).toBe(NOW);
    expect(placed(result, "second")).toMatchObject({
      start: NOW + 30 * H,
      waitsForMaterial: { materialId: "pla", until: NOW + 30 * H },
      lateBecause: "it waits for PLA Black to arrive",
    });
    const none = planSchedule(
      input({
        jobs: [job("big", { grams: 5000 })],
        stock: [{ materialId: "pla", name: "PLA Black", availableG: 1000 }],
      }),
    );
    expect(reason(none, "big")).toBe("not enough PLA Black: needs 5000 g, 1000 g in stock or on order");
  });

  it("approvals and deposits: a job is not planned before both", () => {
    const result = planSchedule(
      input({
        jobs: [
          job("unapproved", { approved: false }),
          job("no-deposit", { depositPaid: false }),
          job("ready"),
        ],
      }),
    );
    expect(reason(result, "unapproved")).toBe("waiting for the customer's approval");
    expect(reason(result, "no-deposit")).toBe("waiting for the deposit");
    expect(placed(result, "ready")?.start).toBe(NOW);
  });

  it("due dates and priority: the rush job and the earliest due go first; a late job says why", () => {
    const result = planSchedule(
      input({
        jobs: [
          job("later", { dueAt: NOW + 10 * H, printMinutes: 240 }),
          job("sooner", { dueAt: NOW + 3 * H, printMinutes: 120 }),
          job("rush", { priority: "urgent", dueAt: NOW + 30 * H, printMinutes: 60 }),
          job("impossible", { dueAt: NOW + 1 * H, printMinutes: 180 }),
        ],
      }),
    );
    expect(placed(result, "sooner")!.end).toBeLessThanOrEqual(NOW + 3 * H);
    expect(placed(result, "later")!.lateMinutes).toBe(0);
    expect(placed(result, "impossible")).toMatchObject({
      lateBecause:
        "its 3.0 h print cannot finish by the due date even on a free printer (working hours, maintenance)",
    });
    expect(result.score.lateJobs).toBe(1);
  });

  it("scheduled jobs: a started one stays; others move only when allowed", () => {
    const jobs = [
      job("running", { scheduled: { printerId: "p1", start: NOW - H, started: true }, printMinutes: 180 }),
      job("booked", {
        scheduled: { printerId: "p1", start: NOW + 10 * H, started: false },
        dueAt: NOW + 12 * H,
      }),
      job("urgent", { dueAt: NOW + 5 * H, printMinutes: 60 }),
    ];
    const kept = planSchedule(input({ jobs }));
    expect(placed(kept, "running")).toMatchObject({ start: NOW - H, moved: false });
    expect(placed(kept, "booked")).toMatchObject({ start: NOW + 10 * H, moved: false });
    expect(placed(kept, "urgent")!.start).toBe(NOW + 2 * H);
    const moved = planSchedule(input({ jobs, allowMoves: true }));
    expect(placed(moved, "running")!.moved).toBe(false);
    expect(placed(moved, "booked")!.moved).toBe(true);
  });

  it("steering constraints: first, keep a printer free, not before, on a printer", () => {
    const result = planSchedule(
      input({
        printers: [printer("p1"), printer("xl", { buildMm: [360, 360, 360] })],
        jobs: [
          job("acme", { dueAt: NOW + 100 * H, printMinutes: 60 }),
          job("other", { dueAt: NOW + 2 * H, printMinutes: 60 }),
          job("later", { printMinutes: 60 }),
          job("pinned", { printMinutes: 60 }),
        ],
        constraints: [
          { kind: "first", jobIds: ["acme"] },
          { kind: "keep_free", printerId: "xl", interval: { start: NOW, end: NOW + 24 * H } },
          { kind: "not_before", jobId: "later", at: NOW + 50 * H },
          { kind: "on_printer", jobId: "pinned", printerId: "xl" },
        ],
      }),
    );
    expect(placed(result, "acme")!.start).toBe(NOW);
    expect(placed(result, "other")!.start).toBe(NOW + H);
    expect(placed(result, "later")!.start).toBe(NOW + 50 * H);
    expect(placed(result, "pinned")).toMatchObject({ printerId: "xl", start: NOW + 24 * H });
  });

  it("calibrated print times per printer: the job goes where it finishes first, for as long as it takes there", () => {
    const result = planSchedule(
      input({
        printers: [printer("slow"), printer("fast")],
        jobs: [job("cal", { printMinutes: 120, printMinutesOn: { slow: 300, fast: 90 } })],
      }),
    );
    expect(placed(result, "cal")).toMatchObject({ printerId: "fast", start: NOW, end: NOW + 90 * 60_000 });
    // A kept job holds its printer for its time there.
    const kept = planSchedule(
      input({
        printers: [printer("slow")],
        jobs: [
          job("booked", {
            printMinutes: 60,
            printMinutesOn: { slow: 240 },
            scheduled: { printerId: "slow", start: NOW, started: false },
          }),
          job("next", { printMinutes: 60 }),
        ],
      }),
    );
    expect(placed(kept, "booked")!.end).toBe(NOW + 4 * H);
    expect(placed(kept, "next")!.start).toBe(NOW + 4 * H);
  });

  it("maintenance in the middle of the only printer's free time: the long job waits until after it", () => {
    const result = planSchedule(
      input({
        printers: [printer("p1", { maintenance: [{ start: NOW + 2 * H, end: NOW + 3 * H }] })],
        jobs: [job("short", { printMinutes: 60, dueAt: NOW + H }), job("long", { printMinutes: 180 })],
      }),
    );
    expect(placed(result, "short")).toMatchObject({ start: NOW, end: NOW + H });
    expect(placed(result, "long")!.start).toBe(NOW + 3 * H);
  });

  it("is deterministic: the same input gives the same plan", () => {
    const make = () =>
      planSchedule(
        input({
          printers: [printer("a"), printer("b")],
          jobs: Array.from({ length: 40 }, (_, i) =>
            job(`j${i}`, { dueAt: NOW + ((i * 7) % 30) * H, printMinutes: 60 + ((i * 37) % 300) }),
          ),
        }),
      );
    expect(make()).toEqual(make());
  });
});

describe("measured against the greedy baseline and the lower bound", () => {
  it("beats earliest-due-date greedy where due-date order makes two jobs late instead of one", () => {
    const jobs = [
      job("long", { dueAt: NOW + 3 * H, printMinutes: 180 }),
      job("b", { dueAt: NOW + 4 * H, printMinutes: 120 }),
      job("c", { dueAt: NOW + 4 * H, printMinutes: 120 }),
    ];
    const greedy = earliestDueDateGreedy(input({ jobs }));
    const planned = planSchedule(input({ jobs }));
    expect(greedy.score.lateJobs).toBe(2);
    expect(planned.score.lateJobs).toBe(1);
    expect(placed(planned, "long")).toMatchObject({
      start: NOW + 4 * H,
      lateBecause: "the printers that can make it are busy with work due earlier",
    });
    const bound = lowerBound(input({ jobs }));
    expect(planned.score.lateJobs).toBeGreaterThanOrEqual(bound.lateJobs);
    expect(planned.score.makespan).toBeGreaterThanOrEqual(bound.makespan);
  });
});
