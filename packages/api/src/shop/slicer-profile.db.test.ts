import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ShopFixture, shopFixture, T0 } from "../testing/shop-fixtures.ts";
import { getMaterial, updateMaterial, updateMaterialInput } from "./materials.ts";
import { materialOutput } from "./outputs.ts";
import { getPrinter, updatePrinter, updatePrinterInput } from "./printers.ts";

// Issue 14, requirement 4: printers keep an editable, versioned slicer profile; materials add the
// filament diameter and temperatures.
let handle: DbHandle;
let shop: ShopFixture;
beforeAll(async () => {
  handle = await createTestDb();
  shop = await shopFixture(handle.db, "Slicer Profiles");
});
afterAll(() => handle.close());

describe("printer slicer profiles", () => {
  it("starts at version 1 with Ktizo's defaults", async () => {
    const printer = await getPrinter(handle.db, shop.organizationId, shop.printerId);
    expect(printer).toMatchObject({ slicerSettings: {}, slicerProfileVersion: 1 });
  });

  it("bumps the version on every change the slicer sees, and only then", async () => {
    const edit = (input: Omit<Parameters<typeof updatePrinter>[2], "id">) =>
      updatePrinter(handle.db, shop.actor, { id: shop.printerId, ...input }, T0);
    const settings = { perimeters: 4, infillPercent: 30, speeds: { perimeter: 120 } };
    expect(await edit({ slicerSettings: settings })).toMatchObject({
      slicerSettings: settings,
      slicerProfileVersion: 2,
    });
    // The same settings again, a new name, a new rate: nothing the slicer reads changed.
    expect(
      (await edit({ slicerSettings: settings, name: "Renamed", hourlyRateMinor: 450 })).slicerProfileVersion,
    ).toBe(2);
    expect((await edit({ nozzleMm: 0.6 })).slicerProfileVersion).toBe(3);
    expect((await edit({ buildVolumeMm: { x: 250, y: 210, z: 250 } })).slicerProfileVersion).toBe(4);
    expect((await edit({ layerHeightsMm: [0.15, 0.3] })).slicerProfileVersion).toBe(5);
  });

  it("refuses settings that are not the profile's numbers and booleans, and changes nothing", async () => {
    for (const slicerSettings of [
      { post_process: "touch /tmp/x" },
      { perimeters: "3\npost_process = x" },
      { infillPercent: 140 },
    ]) {
      expect(() => updatePrinterInput.parse({ id: shop.printerId, slicerSettings })).toThrow();
    }
    expect((await getPrinter(handle.db, shop.organizationId, shop.printerId)).slicerProfileVersion).toBe(5);
  });
});

describe("material slicing fields", () => {
  it("defaults to 1.75 mm filament and keeps diameter and temperatures the shop sets", async () => {
    const before = await getMaterial(handle.db, shop.organizationId, shop.plaId);
    expect(before).toMatchObject({
      filamentDiameterMm: 1.75,
      printTemperatureC: null,
      bedTemperatureC: null,
    });
    const after = await updateMaterial(
      handle.db,
      shop.actor,
      updateMaterialInput.parse({
        id: shop.plaId,
        filamentDiameterMm: 2.85,
        printTemperatureC: 210,
        bedTemperatureC: 60,
      }),
      T0,
    );
    expect(after).toMatchObject({ filamentDiameterMm: 2.85, printTemperatureC: 210, bedTemperatureC: 60 });
    expect(materialOutput.parse(after).filamentDiameterMm).toBe(2.85);
    expect(() => updateMaterialInput.parse({ id: shop.plaId, filamentDiameterMm: 17.5 })).toThrow(
      /at most 5/,
    );
  });
});
