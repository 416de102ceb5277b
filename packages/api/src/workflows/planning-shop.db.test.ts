import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJob, createJobInput } from "../job/create-job.ts";
import {
  previewSchedule,
  scheduleJob,
  scheduleSlotInput,
  scheduleTimeline,
  timelineInput,
} from "../job/schedule.ts";
import { updateCalibration } from "../shop/calibration.ts";
import { addMaintenance, listMaintenance, removeMaintenance } from "../shop/maintenance.ts";
import { updatePrinter } from "../shop/printers.ts";
import { printedJob, walkInCustomer } from "../testing/print-history.ts";
import { type ShopFixture, shopFixture, sideEffectSnapshot, T0 } from "../testing/shop-fixtures.ts";
import { proposePlan, replanOffers } from "./planning.ts";

// Issue 15: what the planner is fed from the shop: maintenance windows, offline printers, calibration.
let handle: DbHandle;
let shop: ShopFixture;
let other: ShopFixture;
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Maintained Prints");
  other = await shopFixture(handle.db, "Other Prints");
});
afterAll(() => handle.close());

function approvedJob(fixture: ShopFixture, title: string, minutes: number, extra: { rush?: boolean } = {}) {
  return createJob(
    handle.db,
    createOutboxMail(handle.db),
    fixture.actor,
    createJobInput.parse({
      title,
      newCustomer: { name: "Plan Customer", email: "plan-shop@example.test" },
      source: "phone",
      status: "approved",
      ...extra,
      items: [
        {
          description: title,
          quantity: 1,
          materialId: fixture.plaId,
          unitPriceMinor: 1000,
          gramsPerUnit: 10,
          minutesPerUnit: minutes,
          sizeMm: { x: 20, y: 20, z: 20 },
        },
      ],
    }),
    at(-1),
  );
}

describe("maintenance windows", () => {
  it("are validated, org-scoped and audited; the planner keeps them free; removing one frees the time", async () => {
    const before = await sideEffectSnapshot(handle.db);
    // End before start, absurd length, over already: refused with a reason, nothing stored.
    await expect(
      addMaintenance(
        handle.db,
        shop.actor,
        { printerId: shop.printerId, startsAt: at(3), endsAt: at(2) },
        T0,
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/end must be after the start/) });
    await expect(
      addMaintenance(
        handle.db,
        shop.actor,
        { printerId: shop.printerId, startsAt: at(0), endsAt: at(24 * 30) },
        T0,
      ),
    ).rejects.toMatchObject({ message: expect.stringMatching(/At most 14 days/) });
    await expect(
      addMaintenance(
        handle.db,
        shop.actor,
        { printerId: shop.printerId, startsAt: at(-5), endsAt: at(-1) },
        T0,
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Another shop's printer is not found.
    await expect(
      addMaintenance(
        handle.db,
        shop.actor,
        { printerId: other.printerId, startsAt: at(0), endsAt: at(2) },
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await sideEffectSnapshot(handle.db)).toEqual(before);

    const job = await approvedJob(shop, "Bracket after service", 60);
    const window = await addMaintenance(
      handle.db,
      shop.actor,
      { printerId: shop.printerId, startsAt: at(0), endsAt: at(3), reason: "Nozzle change" },
      T0,
    );
    expect(window).toMatchObject({ printerName: "Prusa MK4 #1", reason: "Nozzle change" });
    const audit = await handle.db
      .selectFrom("auditLog")
      .select(["action", "subjectId"])
      .where("organizationId", "=", shop.organizationId)
      .where("action", "like", "printer.maintenance%")
      .execute();
    expect(audit).toEqual([{ action: "printer.maintenance_planned", subjectId: shop.printerId }]);
    expect(await listMaintenance(handle.db, other.organizationId, {}, T0)).toEqual([]);
    expect((await listMaintenance(handle.db, shop.organizationId, {}, T0)).map((w) => w.id)).toEqual([
      window.id,
    ]);

    const planned = await proposePlan(handle.db, shop.organizationId, {}, T0);
    expect(planned.assignments.find((a) => a.jobId === job.id)).toMatchObject({
      printerId: shop.printerId,
      startAt: at(3),
    });

    // Scheduling by hand into the window is flagged, and the timeline shows the window on its lane.
    const check = await previewSchedule(
      handle.db,
      shop.organizationId,
      scheduleSlotInput.parse({
        jobId: job.id,
        printerId: shop.printerId,
        startAt: at(2),
      }),
    );
    expect(check.conflicts.map((c) => c.message)).toContainEqual(
      expect.stringMatching(/^Runs into planned maintenance on Prusa MK4 #1 \(Nozzle change\)/),
    );
    const timeline = await scheduleTimeline(
      handle.db,
      shop.organizationId,
      timelineInput.parse({ from: at(-1), to: at(24) }),
    );
    expect(timeline.lanes.find((l) => l.printer.id === shop.printerId)?.maintenance).toEqual([
      { id: window.id, startAt: at(0), endAt: at(3), reason: "Nozzle change" },
    ]);

    await expect(removeMaintenance(handle.db, other.actor, window.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await removeMaintenance(handle.db, shop.actor, window.id);
    const freed = await proposePlan(handle.db, shop.organizationId, {}, T0);
    expect(freed.assignments.find((a) => a.jobId === job.id)?.startAt).toEqual(at(0));
  });

  it("an offline printer takes no work: the job says so", async () => {
    const job = await approvedJob(other, "While the printer is down", 60);
    await updatePrinter(handle.db, other.actor, { id: other.printerId, status: "offline" }, T0);
    const plan = await proposePlan(handle.db, other.organizationId, {}, T0);
    expect(plan.unplanned.find((u) => u.jobId === job.id)?.reason).toBe(
      "no printer can make it: every printer that can make it is offline",
    );
    await updatePrinter(handle.db, other.actor, { id: other.printerId, status: "available" }, T0);
  });
});

describe("stock", () => {
  it("a job that needs more material than the shop has says which, by name", async () => {
    const fixture = await shopFixture(handle.db, "Short Prints");
    const job = await createJob(
      handle.db,
      createOutboxMail(handle.db),
      fixture.actor,
      createJobInput.parse({
        title: "Heavy vase",
        newCustomer: { name: "Heavy", email: "heavy@example.test" },
        source: "phone",
        status: "approved",
        items: [
          {
            description: "Vase",
            quantity: 1,
            materialId: fixture.plaId,
            unitPriceMinor: 1000,
            gramsPerUnit: 5000,
            minutesPerUnit: 60,
          },
        ],
      }),
      at(-1),
    );
    const plan = await proposePlan(handle.db, fixture.organizationId, {}, T0);
    expect(plan.unplanned.find((u) => u.jobId === job.id)?.reason).toBe(
      "not enough PLA Basic: needs 5000 g, 1000 g in stock or on order",
    );
  });
});

describe("print times with calibration", () => {
  it("a calibrated shop plans with its fitted factor for the printer and material; switched off, with the estimate", async () => {
    const fixture = await shopFixture(handle.db, "Calibrated Prints");
    const customerId = await walkInCustomer(handle.db, fixture.organizationId);
    // Five finished prints on the printer in PLA took 1.5 times their estimate.
    for (let i = 0; i < 5; i++) {
      await printedJob(handle.db, {
        organizationId: fixture.organizationId,
        customerId,
        number: 9001 + i,
        printerId: fixture.printerId,
        materialId: fixture.plaId,
        estimateMinutes: 60,
        printingAt: at(-200 + i * 5),
        actualMinutes: 90,
      });
    }
    const job = await approvedJob(fixture, "Calibrated part", 120);
    const length = async () => {
      const plan = await proposePlan(handle.db, fixture.organizationId, {}, T0);
      const a = plan.assignments.find((x) => x.jobId === job.id)!;
      return (a.endAt.getTime() - a.startAt.getTime()) / 60_000;
    };
    expect(await length()).toBe(120);
    await updateCalibration(handle.db, fixture.actor, { enabled: true }, T0);
    expect(await length()).toBe(180);
    await updateCalibration(handle.db, fixture.actor, { enabled: false }, T0);
    expect(await length()).toBe(120);
  });
});

describe("re-planning offers", () => {
  it("appear for a printer that went offline, a job running late (by the clock) and a rush job; only for the shop itself", async () => {
    const fixture = await shopFixture(handle.db, "Offer Prints");
    expect(await replanOffers(handle.db, fixture.organizationId, T0)).toEqual({ offers: [] });
    const job = await approvedJob(fixture, "Planned clips", 60);
    await scheduleJob(
      handle.db,
      createOutboxMail(handle.db),
      fixture.actor,
      { jobId: job.id, printerId: fixture.printerId, startAt: at(0), durationMinutes: 60 },
      T0,
    );
    // Before its planned end nothing is late; three hours after it, it is.
    expect((await replanOffers(handle.db, fixture.organizationId, at(0.5))).offers).toEqual([]);
    expect((await replanOffers(handle.db, fixture.organizationId, at(4))).offers).toEqual([
      {
        kind: "running_late",
        subjectId: job.id,
        reason: `Job #${job.number} Planned clips was planned to be off Prusa MK4 #1 3 hours ago and is still waiting to start`,
      },
    ]);
    await updatePrinter(handle.db, fixture.actor, { id: fixture.printerId, status: "offline" }, T0);
    const rush = await approvedJob(fixture, "Rush gears", 30, { rush: true });
    const offers = (await replanOffers(handle.db, fixture.organizationId, at(0.5))).offers;
    expect(offers).toEqual([
      {
        kind: "printer_offline",
        subjectId: fixture.printerId,
        reason: "Prusa MK4 #1 is offline with 1 job scheduled on it",
      },
      {
        kind: "rush_job",
        subjectId: rush.id,
        reason: `Rush job #${rush.number} Rush gears is approved and not on the schedule`,
      },
    ]);
    // Another shop sees none of it.
    expect((await replanOffers(handle.db, shop.organizationId, at(4))).offers).toEqual([]);
  });
});
