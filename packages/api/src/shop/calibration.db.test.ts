import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteOptions } from "../marketplace/quotes.ts";
import { listedShop, marketplaceServices, T0, uploadTestBox } from "../testing/marketplace-fixtures.ts";
import { printedJob, walkInCustomer } from "../testing/print-history.ts";
import {
  calibrationCorrections,
  fitFactor,
  getCalibration,
  heldOutMape,
  MIN_CALIBRATION_JOBS,
  mape,
  updateCalibration,
} from "./calibration.ts";

// Issue 14, requirement 6: a fixed history of jobs whose prints ran ~30 % longer than estimated. The
// fitted correction brings the mean absolute percentage error down, and new quotes use it only once
// the shop switches it on and the printer has enough finished jobs.
let handle: DbHandle;
let shop: Awaited<ReturnType<typeof listedShop>>;
let customerId: string;
let jobNumber = 100;

/** Estimated minutes per job and how the actual print went (a fixed, slightly noisy 1.3× history). */
const HISTORY: [estimateMinutes: number, actualMinutes: number][] = [
  [60, 80],
  [120, 150],
  [30, 40],
  [90, 115],
  [45, 60],
  [200, 262],
  [75, 95],
];

async function finishedJob(estimateMinutes: number, actualMinutes: number | null) {
  jobNumber += 1;
  return printedJob(handle.db, {
    organizationId: shop.organizationId,
    customerId,
    number: jobNumber,
    printerId: shop.printerId,
    materialId: shop.plaId,
    estimateMinutes,
    printingAt: new Date(T0.getTime() + jobNumber * 86_400_000),
    actualMinutes,
  });
}

beforeAll(async () => {
  handle = await createTestDb();
  shop = await listedShop(handle.db, "Calibrated Prints", "calibrated-prints");
  customerId = await walkInCustomer(handle.db, shop.organizationId);
});
afterAll(() => handle.close());

describe("the fit", () => {
  it("minimises the relative error and reports MAPE before and after", () => {
    const points = HISTORY.map(([estimate, actual]) => ({ estimate, actual }));
    const k = fitFactor(points)!;
    expect(k).toBeGreaterThan(1.25);
    expect(k).toBeLessThan(1.35);
    expect(mape(points)).toBeGreaterThan(0.2);
    expect(mape(points, k)!).toBeLessThan(0.03);
    // Each job predicted from the others' fit: still far below the error before.
    expect(heldOutMape(points)!).toBeLessThan(0.04);
    expect(heldOutMape(points.slice(0, 1))).toBeNull();
    expect(fitFactor([])).toBeNull();
    // A job left "printing" for days is clamped, not trusted.
    expect(fitFactor([{ estimate: 10, actual: 10_000 }])).toBe(4);
  });
});

describe("calibration from the status history", () => {
  it("reads the actual print times and shows the error drop for the printer and material", async () => {
    for (const [estimate, actual] of HISTORY.slice(0, MIN_CALIBRATION_JOBS - 1)) {
      await finishedJob(estimate, actual);
    }
    // A job still printing has no actual time yet and is left out; later statuses do not count.
    await finishedJob(50, null);
    const first = await handle.db
      .selectFrom("job")
      .select("id")
      .where("number", "=", 101)
      .executeTakeFirstOrThrow();
    await handle.db
      .insertInto("jobStatusChange")
      .values({
        id: newId("jsc"),
        organizationId: shop.organizationId,
        jobId: first.id,
        fromStatus: "post_processing",
        toStatus: "ready",
        createdAt: new Date(T0.getTime() + 101 * 86_400_000 + 200 * 60_000),
      })
      .execute();
    let view = await getCalibration(handle.db, shop.organizationId);
    expect(view).toMatchObject({ enabled: false, minJobs: MIN_CALIBRATION_JOBS });
    expect(view.groups).toHaveLength(1);
    const [group] = view.groups;
    expect(group).toMatchObject({
      printerId: shop.printerId,
      materialId: shop.plaId,
      basis: "estimated",
      jobs: MIN_CALIBRATION_JOBS - 1,
      applied: false,
    });
    expect(group!.points[0]).toMatchObject({ estimateMinutes: 60, actualMinutes: 80 });
    expect(group!.mapeBefore!).toBeGreaterThan(0.2);
    expect(group!.mapeAfter!).toBeLessThan(group!.mapeBefore! / 4);

    // Switched on, but too few jobs: not applied yet.
    const actor = { organizationId: shop.organizationId, userId: shop.owner.userId };
    view = await updateCalibration(handle.db, actor, { enabled: true }, T0);
    expect(view.enabled).toBe(true);
    expect(view.groups[0]!.applied).toBe(false);
    expect((await calibrationCorrections(handle.db, shop.organizationId)).size).toBe(0);

    for (const [estimate, actual] of HISTORY.slice(MIN_CALIBRATION_JOBS - 1)) {
      await finishedJob(estimate, actual);
    }
    view = await getCalibration(handle.db, shop.organizationId);
    expect(view.groups[0]).toMatchObject({ jobs: HISTORY.length, applied: true });
    const audit = await handle.db
      .selectFrom("auditLog")
      .select("data")
      .where("action", "=", "calibration.updated")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("prices new quotes with the correction only while the shop has it on", async () => {
    const env = marketplaceServices(handle.db);
    const owner = { userId: null, uploadSessionId: "anon-session-calibrated-01" };
    const upload = await uploadTestBox(handle.db, env.services.storage, owner, "cube.stl", [40, 40, 40]);
    const pla = async () => {
      const shops = await quoteOptions(handle.db, owner, { uploadId: upload.id, quantity: 20 });
      return shops.find((s) => s.slug === shop.slug)!.options.find((o) => o.materialId === shop.plaId)!;
    };
    const corrected = await pla();
    const actor = { organizationId: shop.organizationId, userId: shop.owner.userId };
    await updateCalibration(handle.db, actor, { enabled: false }, T0);
    const plain = await pla();
    const factor = (await getCalibration(handle.db, shop.organizationId)).groups[0]!.factor!;
    const machine = (o: typeof plain) => o.breakdown.lines.find((l) => l.code === "machine")!.amountMinor;
    expect(machine(corrected) / machine(plain)).toBeCloseTo(factor, 1);
    expect(corrected.totalMinor).toBeGreaterThan(plain.totalMinor);
  });

  it("refuses a bad switch and changes nothing", async () => {
    const actor = { organizationId: shop.organizationId, userId: shop.owner.userId };
    await expect(
      updateCalibration(handle.db, actor, { enabled: "yes" as unknown as boolean }, T0),
    ).rejects.toThrow(/Say on or off/);
    expect((await getCalibration(handle.db, shop.organizationId)).enabled).toBe(false);
  });
});
