import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJob, createJobInput } from "../job/create-job.ts";
import { getMaterial } from "../shop/materials.ts";
import { type ShopFixture, shopFixture, sideEffectSnapshot, T0 } from "../testing/shop-fixtures.ts";
import { acceptPlan, proposePlan } from "./planning.ts";

// Issue 15: the planner on the shop's own data: approved jobs, printers, stock and working hours.
let handle: DbHandle;
let shop: ShopFixture;
let other: ShopFixture;
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const mail = () => createOutboxMail(handle.db);

beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Plan Works");
  other = await shopFixture(handle.db, "Elsewhere");
});
afterAll(() => handle.close());

function newJob(title: string, hoursLong: number, dueInHours: number, status = "approved", fixture = shop) {
  return createJob(
    handle.db,
    mail(),
    fixture.actor,
    createJobInput.parse({
      title,
      newCustomer: { name: "Planner Customer", email: "plan@example.test" },
      source: "phone",
      status,
      dueAt: at(dueInHours),
      items: [
        {
          description: title,
          quantity: 1,
          materialId: fixture.plaId,
          color: "Black",
          unitPriceMinor: 1000,
          gramsPerUnit: 100,
          minutesPerUnit: hoursLong * 60,
          sizeMm: { x: 40, y: 30, z: 20 },
        },
      ],
    }),
    at(-1),
  );
}

describe("planning the shop's schedule", () => {
  it("proposes a plan in working hours without changing anything, explains the late job, and applies what is accepted", async () => {
    const long = await newJob("Long brackets", 8, 48);
    const urgent = await newJob("Urgent clips", 2, 4);
    const tooLate = await newJob("Impossible gears", 6, 3);
    const quote = await newJob("Just a quote", 1, 100, "quote");
    const before = await sideEffectSnapshot(handle.db);

    const proposal = await proposePlan(handle.db, shop.organizationId, {}, T0);
    expect(await sideEffectSnapshot(handle.db)).toEqual(before);
    const byJob = new Map(proposal.assignments.map((a) => [a.jobId, a]));
    // Monday 08:00 UTC is the start of the working day; the urgent one goes first on the FDM printer.
    expect(byJob.get(urgent.id)).toMatchObject({
      printerId: shop.printerId,
      startAt: at(0),
      endAt: at(2),
      change: "new",
      lateMinutes: 0,
    });
    expect(byJob.get(tooLate.id)).toMatchObject({
      lateBecause:
        "its 6.0 h print cannot finish by the due date even on a free printer (working hours, maintenance)",
    });
    expect(byJob.get(long.id)?.lateMinutes).toBe(0);
    expect(byJob.has(quote.id)).toBe(false);
    for (const a of proposal.assignments) {
      // Started in working hours (08:00–18:00 UTC, Monday to Friday).
      const hour = a.startAt.getUTCHours();
      expect(hour >= 8 && hour < 18, `${a.title} at ${a.startAt.toISOString()}`).toBe(true);
    }
    expect(proposal.lateJobs).toBe(1);

    // Accept only the urgent job: it is scheduled with its material reserved; the rest stay approved.
    const pla = await getMaterial(handle.db, shop.organizationId, shop.plaId);
    const chosen = byJob.get(urgent.id)!;
    const result = await acceptPlan(
      handle.db,
      mail(),
      shop.actor,
      {
        assignments: [
          { jobId: chosen.jobId, printerId: chosen.printerId, startAt: chosen.startAt, endAt: chosen.endAt },
        ],
      },
      T0,
    );
    expect(result).toEqual({ scheduled: [urgent.id], refused: [] });
    const rows = await handle.db
      .selectFrom("job")
      .select(["id", "status", "printerId", "scheduledStartAt"])
      .where("id", "in", [urgent.id, long.id])
      .execute();
    expect(rows.find((r) => r.id === urgent.id)).toMatchObject({
      status: "scheduled",
      printerId: shop.printerId,
      scheduledStartAt: at(0),
    });
    expect(rows.find((r) => r.id === long.id)).toMatchObject({ status: "approved", printerId: null });
    expect((await getMaterial(handle.db, shop.organizationId, shop.plaId)).reservedG).toBe(
      pla.reservedG + 100,
    );

    // Planning again keeps the accepted job where it is and plans around it.
    const again = await proposePlan(handle.db, shop.organizationId, {}, T0);
    expect(again.assignments.find((a) => a.jobId === urgent.id)).toMatchObject({
      change: "kept",
      startAt: at(0),
    });
  });

  it("holds back a job whose printer is offline, or that no printer can make, and says why", async () => {
    const resinJob = await createJob(
      handle.db,
      mail(),
      shop.actor,
      createJobInput.parse({
        title: "Huge resin bust",
        newCustomer: { name: "Big", email: "big@example.test" },
        source: "phone",
        status: "approved",
        items: [
          {
            description: "Bust",
            quantity: 1,
            materialId: shop.resinId,
            unitPriceMinor: 1000,
            gramsPerUnit: 10,
            minutesPerUnit: 60,
            sizeMm: { x: 900, y: 900, z: 900 },
          },
        ],
      }),
      at(-1),
    );
    const proposal = await proposePlan(handle.db, shop.organizationId, {}, T0);
    expect(proposal.unplanned.find((u) => u.jobId === resinJob.id)?.reason).toBe(
      "no printer can make it: too large for every RESIN printer (900 × 900 × 900 mm)",
    );
  });

  it("another shop's jobs and printers are not found, in constraints and in an accepted plan", async () => {
    const theirs = await newJob("Their job", 1, 24, "approved", other);
    await expect(
      proposePlan(
        handle.db,
        shop.organizationId,
        { constraints: [{ kind: "first", jobIds: [theirs.id] }] },
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      proposePlan(
        handle.db,
        shop.organizationId,
        { constraints: [{ kind: "keep_free", printerId: other.printerId, from: at(0), to: at(5) }] },
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const before = await sideEffectSnapshot(handle.db);
    await expect(
      acceptPlan(
        handle.db,
        mail(),
        shop.actor,
        { assignments: [{ jobId: theirs.id, printerId: shop.printerId, startAt: at(1), endAt: at(2) }] },
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await sideEffectSnapshot(handle.db)).toEqual(before);
  });
});
