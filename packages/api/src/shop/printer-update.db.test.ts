import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ShopFixture, shopFixture, T0 } from "../testing/shop-fixtures.ts";
import {
  createMaterial,
  createMaterialInput,
  getMaterial,
  updateMaterial,
  updateMaterialInput,
} from "./materials.ts";
import {
  createPrinter,
  createPrinterInput,
  getPrinter,
  updatePrinter,
  updatePrinterInput,
} from "./printers.ts";

// A partial update changes only the fields it names: the router parses input with updatePrinterInput,
// which must not fill in the create form's defaults (make, notes, status, materials, layers, nozzle).
let handle: DbHandle;
let shop: ShopFixture;
beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Partial Updates");
});
afterAll(() => handle.close());

describe("partial updates", () => {
  it("a printer renamed through the router's input schema keeps every other field", async () => {
    const created = await createPrinter(
      handle.db,
      shop.actor,
      createPrinterInput.parse({
        name: "MK4",
        make: "Prusa",
        model: "MK4",
        technology: "fdm",
        buildVolumeMm: { x: 250, y: 210, z: 220 },
        layerHeightsMm: [0.2, 0.1],
        nozzleMm: 0.6,
        hourlyRateMinor: 300,
        status: "maintenance",
        notes: "Bed re-levelled",
        materialIds: [shop.plaId],
      }),
    );
    const renamed = await updatePrinter(
      handle.db,
      shop.actor,
      updatePrinterInput.parse({ id: created.id, name: "MK4 left" }),
      T0,
    );
    const { name: _n, updatedAt: _u, ...rest } = created as typeof created & { updatedAt?: unknown };
    expect(renamed).toMatchObject({ ...rest, name: "MK4 left" });
    expect(await getPrinter(handle.db, shop.organizationId, created.id)).toMatchObject({
      make: "Prusa",
      status: "maintenance",
      notes: "Bed re-levelled",
      nozzleMm: 0.6,
      layerHeightsMm: [0.1, 0.2],
      materialIds: [shop.plaId],
      slicerProfileVersion: created.slicerProfileVersion,
    });
    // Fields still validate and normalise when given.
    expect(
      updatePrinterInput.parse({ id: created.id, layerHeightsMm: [0.3, 0.1, 0.3] }).layerHeightsMm,
    ).toEqual([0.1, 0.3]);
    expect(() => updatePrinterInput.parse({ id: created.id, status: "broken" })).toThrow(/Status is/);
  });

  it("a material repriced through the router's input schema keeps its colors, finishes and threshold", async () => {
    const created = await createMaterial(
      handle.db,
      shop.actor,
      createMaterialInput.parse({
        name: "PETG Blue",
        kind: "petg",
        technology: "fdm",
        colors: ["Blue"],
        finishes: ["Matte"],
        densityGramsPerCm3: 1.27,
        costPerKgMinor: 2500,
        reorderThresholdG: 500,
      }),
      T0,
    );
    await updateMaterial(
      handle.db,
      shop.actor,
      updateMaterialInput.parse({ id: created.id, costPerKgMinor: 2700 }),
      T0,
    );
    expect(await getMaterial(handle.db, shop.organizationId, created.id)).toMatchObject({
      colors: ["Blue"],
      finishes: ["Matte"],
      reorderThresholdG: 500,
      costPerKgMinor: 2700,
    });
  });
});
