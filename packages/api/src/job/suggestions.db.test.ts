import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMaterial, createMaterialInput } from "../shop/materials.ts";
import { createPrinter, createPrinterInput } from "../shop/printers.ts";
import { printedJob, walkInCustomer } from "../testing/print-history.ts";
import { type ShopFixture, shopFixture, sideEffectSnapshot, T0 } from "../testing/shop-fixtures.ts";
import { createJob, createJobInput } from "./create-job.ts";
import { scheduleJob } from "./schedule.ts";
import { jobSuggestions, quantile, respondToSuggestion, stockForecasts } from "./suggestions.ts";

// Issue 15, requirement 5: suggestions from the shop's own history, recorded when answered.
let handle: DbHandle;
let shop: ShopFixture;
let other: ShopFixture;
let xlId: string;
let petgId: string;
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const mail = () => createOutboxMail(handle.db);

function approvedJob(fixture: ShopFixture, title: string, grams: number, priceMinor: number) {
  return createJob(
    handle.db,
    mail(),
    fixture.actor,
    createJobInput.parse({
      title,
      newCustomer: { name: "Suggest Customer", email: "suggest@example.test" },
      source: "phone",
      status: "approved",
      items: [
        {
          description: title,
          quantity: 1,
          materialId: fixture.plaId,
          unitPriceMinor: priceMinor,
          gramsPerUnit: grams,
          minutesPerUnit: 60,
        },
      ],
    }),
    at(-1),
  );
}

beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Suggesting Prints");
  other = await shopFixture(handle.db, "Quiet Prints");
  const petg = await createMaterial(
    handle.db,
    shop.actor,
    createMaterialInput.parse({
      name: "PETG Black",
      kind: "PETG",
      technology: "fdm",
      colors: ["Black"],
      finishes: [],
      densityGramsPerCm3: 1.27,
      costPerKgMinor: 2500,
      reorderThresholdG: 200,
      initialStockG: 2000,
    }),
    T0,
  );
  petgId = petg.id;
  const xl = await createPrinter(
    handle.db,
    shop.actor,
    createPrinterInput.parse({
      name: "Prusa XL",
      technology: "fdm",
      buildVolumeMm: { x: 360, y: 360, z: 360 },
      hourlyRateMinor: 500,
      materialIds: [shop.plaId, petg.id],
    }),
  );
  xlId = xl.id;
  // Five printed jobs of 10 g: four on the XL in PETG, one on the MK4 in PLA, priced 8–12.
  const customerId = await walkInCustomer(handle.db, shop.organizationId);
  const history: Array<[string, string, number]> = [
    [xlId, petgId, 800],
    [xlId, petgId, 900],
    [xlId, petgId, 1000],
    [xlId, petgId, 1100],
    [shop.printerId, shop.plaId, 1200],
  ];
  for (const [i, [printerId, materialId, total]] of history.entries()) {
    const id = await printedJob(handle.db, {
      organizationId: shop.organizationId,
      customerId,
      number: 7001 + i,
      printerId,
      materialId,
      estimateMinutes: 60,
      printingAt: at(-100 + i),
      actualMinutes: 60,
    });
    await handle.db.updateTable("job").set({ totalMinor: total }).where("id", "=", id).execute();
  }
});
afterAll(() => handle.close());

describe("quartiles", () => {
  it("interpolate between the sorted values", () => {
    expect(quantile([800, 900, 1000, 1100, 1200], 0.25)).toBe(900);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });
});

describe("suggestions on a job", () => {
  it("says which printer and material similar past jobs used, and accepting sets the material", async () => {
    const job = await approvedJob(shop, "Similar clip", 12, 5000);
    const s = await jobSuggestions(handle.db, shop.organizationId, job.id);
    expect(s.printerMaterial).toEqual({
      printerId: xlId,
      printerName: "Prusa XL",
      printerJobs: 4,
      materialId: petgId,
      materialName: "PETG Black",
      materialJobs: 4,
      similarJobs: 5,
      basis: "Similar printed jobs (FDM, 6–24 g): Prusa XL on 4 of 5, PETG Black on 4 of 5",
    });
    // 50.00 against a middle half of 9.00–11.00 from five jobs.
    expect(s.priceCheck).toMatchObject({
      direction: "above",
      totalMinor: 5000,
      lowMinor: 900,
      highMinor: 1100,
      medianMinor: 1000,
      similarJobs: 5,
    });
    // A job of another size has no history to go by.
    const big = await approvedJob(shop, "Big vase", 400, 1000);
    expect(await jobSuggestions(handle.db, shop.organizationId, big.id)).toEqual({
      printerMaterial: null,
      priceCheck: null,
    });

    const accepted = await respondToSuggestion(
      handle.db,
      shop.actor,
      { kind: "printer_material", subjectId: job.id, outcome: "accepted" },
      T0,
    );
    expect(accepted).toEqual({
      outcome: "accepted",
      applied: "PETG Black on 1 item; schedule on Prusa XL",
      printerId: xlId,
    });
    const item = await handle.db
      .selectFrom("jobItem")
      .select("materialId")
      .where("jobId", "=", job.id)
      .executeTakeFirstOrThrow();
    expect(item.materialId).toBe(petgId);
    const dismissed = await respondToSuggestion(
      handle.db,
      shop.actor,
      { kind: "price_check", subjectId: job.id, outcome: "dismissed" },
      T0,
    );
    expect(dismissed).toEqual({ outcome: "dismissed", applied: null, printerId: null });
    const outcomes = await handle.db
      .selectFrom("suggestionOutcome")
      .select(["kind", "subjectId", "outcome", "userId", "at"])
      .where("organizationId", "=", shop.organizationId)
      .orderBy("kind")
      .execute();
    expect(outcomes).toEqual([
      { kind: "price_check", subjectId: job.id, outcome: "dismissed", userId: shop.actor.userId, at: T0 },
      { kind: "printer_material", subjectId: job.id, outcome: "accepted", userId: shop.actor.userId, at: T0 },
    ]);
    // Answered suggestions stay away, and cannot be answered twice.
    expect(await jobSuggestions(handle.db, shop.organizationId, job.id)).toEqual({
      printerMaterial: null,
      priceCheck: null,
    });
    await expect(
      respondToSuggestion(
        handle.db,
        shop.actor,
        { kind: "price_check", subjectId: job.id, outcome: "accepted" },
        T0,
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("another shop's job or material is not found and nothing is recorded", async () => {
    const job = await approvedJob(shop, "Private clip", 10, 1000);
    const before = await sideEffectSnapshot(handle.db);
    await expect(jobSuggestions(handle.db, other.organizationId, job.id)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    for (const input of [
      { kind: "printer_material" as const, subjectId: job.id, outcome: "dismissed" as const },
      { kind: "reorder" as const, subjectId: shop.plaId, outcome: "dismissed" as const },
    ]) {
      await expect(respondToSuggestion(handle.db, other.actor, input, T0)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    expect(await sideEffectSnapshot(handle.db)).toEqual(before);
  });
});

describe("low-stock forecasts", () => {
  it("walk the scheduled jobs' grams in order of start: when a material runs low and out, and how much to reorder", async () => {
    const fixture = await shopFixture(handle.db, "Forecast Prints");
    expect(await stockForecasts(handle.db, fixture.organizationId, T0)).toEqual([]);
    // 1000 g of PLA on hand, reorder at 200 g.
    for (const [grams, startHours] of [
      [500, 1],
      [400, 24],
      [300, 48],
    ] as const) {
      const job = await approvedJob(fixture, `Uses ${grams} g`, grams, 1000);
      await scheduleJob(
        handle.db,
        mail(),
        fixture.actor,
        { jobId: job.id, printerId: fixture.printerId, startAt: at(startHours), durationMinutes: 60 },
        T0,
      );
    }
    const [pla, ...rest] = await stockForecasts(handle.db, fixture.organizationId, T0);
    expect(rest).toEqual([]);
    expect(pla).toMatchObject({
      materialId: fixture.plaId,
      onHandG: 1000,
      reservedG: 1200,
      scheduledJobs: 3,
      scheduledG: 1200,
      runsLowAt: at(24),
      runsOutAt: at(48),
      // 1200 g of work in the next 14 days + 200 g threshold − 1000 g on hand.
      reorderG: 400,
      coverDays: 14,
    });
    const answer = await respondToSuggestion(
      handle.db,
      fixture.actor,
      { kind: "reorder", subjectId: fixture.plaId, outcome: "accepted" },
      T0,
    );
    expect(answer.applied).toBe("Reorder 400 g of PLA Basic");
    // Answered: quiet for a week, then back while the shortage lasts.
    expect(await stockForecasts(handle.db, fixture.organizationId, at(1))).toEqual([]);
    expect((await stockForecasts(handle.db, fixture.organizationId, at(8 * 24))).length).toBe(1);
  });
});
