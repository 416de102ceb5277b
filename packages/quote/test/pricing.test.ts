import { describe, expect, it } from "vitest";
import {
  analyzeModel,
  checkPrintability,
  estimatePrint,
  type PricingModel,
  parsePricingModel,
  priceQuote,
  QuoteError,
  roundMinor,
} from "../src/index.ts";
import { corpusFile } from "./corpus.ts";

const PRICING: PricingModel = {
  currency: "EUR",
  material: { unit: "gram", priceMinor: 4.5 },
  machineHourlyMinor: 250,
  setupFeePerOrderMinor: 500,
  setupFeePerModelMinor: 150,
  minimumOrderMinor: 1000,
  quantityTiers: [
    { minQuantity: 10, discountPercent: 5 },
    { minQuantity: 50, discountPercent: 12.5 },
  ],
  rushMultiplier: 1.5,
  markupPercent: 15,
  taxRatePercent: 19,
};

const est = (weightG: number, printHours: number) => ({
  weightG,
  materialVolumeCm3: weightG / 1.24,
  printHours,
});
const sum = (q: { lines: { amountMinor: number }[] }) => q.lines.reduce((s, l) => s + l.amountMinor, 0);

describe("priceQuote", () => {
  it("produces lines that sum exactly to the total, with integer amounts", () => {
    const q = priceQuote({ pricing: PRICING, items: [{ estimate: est(37.3, 2.71), quantity: 12 }] });
    expect(q.currency).toBe("EUR");
    for (const l of q.lines) expect(Number.isInteger(l.amountMinor)).toBe(true);
    expect(sum(q)).toBe(q.totalMinor);
    expect(q.totalMinor).toBe(q.subtotalMinor + q.taxMinor);
    // material 37.3 g × 4.5 × 12 = 2014.2 -> 2014; machine 2.71 h × 250 × 12 = 8130
    expect(q.lines.find((l) => l.code === "material")?.amountMinor).toBe(2014);
    expect(q.lines.find((l) => l.code === "machine")?.amountMinor).toBe(8130);
    // tier for 12 pieces: 5 % of (2014.2 + 8130) = 507.21 -> −507
    expect(q.lines.find((l) => l.code === "quantity_discount")?.amountMinor).toBe(-507);
  });

  it("sums exactly for many random orders (property check)", () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 2000; i++) {
      const pricing = {
        ...PRICING,
        markupPercent: Math.round(rnd() * 4000) / 100,
        taxRatePercent: Math.round(rnd() * 2500) / 100,
      };
      const items = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
        estimate: est(rnd() * 500, rnd() * 40),
        quantity: 1 + Math.floor(rnd() * 120),
      }));
      const q = priceQuote({ pricing, items, rush: rnd() < 0.5 });
      expect(sum(q)).toBe(q.totalMinor);
      expect(q.lines.every((l) => Number.isInteger(l.amountMinor))).toBe(true);
    }
  });

  it("applies the minimum order as an explicit adjustment line", () => {
    const q = priceQuote({
      pricing: { ...PRICING, setupFeePerOrderMinor: 0, setupFeePerModelMinor: 0, markupPercent: 0 },
      items: [{ estimate: est(2, 0.1), quantity: 1 }],
    });
    const adj = q.lines.find((l) => l.code === "minimum_order_adjustment");
    expect(adj).toBeDefined();
    expect(q.subtotalMinor).toBe(1000);
    expect(q.taxMinor).toBe(190);
    expect(q.totalMinor).toBe(1190);
  });

  it("rush multiplies the production subtotal; tiers pick the highest reached", () => {
    const base = priceQuote({ pricing: PRICING, items: [{ estimate: est(100, 5), quantity: 60 }] });
    const rush = priceQuote({
      pricing: PRICING,
      items: [{ estimate: est(100, 5), quantity: 60 }],
      rush: true,
    });
    const rushLine = rush.lines.find((l) => l.code === "rush")!;
    const before = base.lines.filter((l) =>
      ["material", "machine", "setup_order", "setup_model", "quantity_discount"].includes(l.code),
    );
    expect(rushLine.amountMinor).toBe(roundMinor(sum({ lines: before }) * 0.5));
    // 60 pieces: 12.5 % tier
    const m = 100 * 4.5 * 60 + 5 * 250 * 60;
    expect(base.lines.find((l) => l.code === "quantity_discount")?.amountMinor).toBe(-roundMinor(m * 0.125));
  });

  it("rounds half away from zero", () => {
    expect(roundMinor(2.5)).toBe(3);
    expect(roundMinor(-2.5)).toBe(-3);
    expect(roundMinor(1.005 * 100)).toBe(101);
    expect(roundMinor(2.4999)).toBe(2);
  });

  it("is deterministic", () => {
    const a = priceQuote({
      pricing: PRICING,
      items: [{ estimate: est(12.345, 1.234), quantity: 7 }],
      rush: true,
    });
    const b = priceQuote({
      pricing: PRICING,
      items: [{ estimate: est(12.345, 1.234), quantity: 7 }],
      rush: true,
    });
    expect(a).toEqual(b);
  });
});

describe("parsePricingModel", () => {
  it("accepts a valid model and fills defaults", () => {
    const m = parsePricingModel({
      currency: "USD",
      material: { unit: "cm3", priceMinor: 20 },
      machineHourlyMinor: 100,
    });
    expect(m.minimumOrderMinor).toBe(0);
    expect(m.rushMultiplier).toBe(1);
    expect(m.quantityTiers).toEqual([]);
  });
  const bad: [string, unknown, RegExp][] = [
    ["not an object", "x", /must be an object/],
    ["currency", { ...PRICING, currency: "euro" }, /currency/],
    ["negative price", { ...PRICING, machineHourlyMinor: -1 }, /machineHourlyMinor/],
    ["fractional cents on a fee", { ...PRICING, setupFeePerOrderMinor: 1.5 }, /setupFeePerOrderMinor.*whole/],
    ["material unit", { ...PRICING, material: { unit: "kg", priceMinor: 1 } }, /material\.unit/],
    ["tier", { ...PRICING, quantityTiers: [{ minQuantity: 0, discountPercent: 5 }] }, /minQuantity/],
    [
      "discount > 100",
      { ...PRICING, quantityTiers: [{ minQuantity: 2, discountPercent: 150 }] },
      /discountPercent/,
    ],
    ["rush < 1", { ...PRICING, rushMultiplier: 0.5 }, /rushMultiplier/],
    ["tax", { ...PRICING, taxRatePercent: Number.NaN }, /taxRatePercent/],
    ["process", { ...PRICING, process: { technology: "laser" } }, /process/],
  ];
  for (const [name, input, msg] of bad) {
    it(`refuses ${name} with INVALID_PRICING and a clear message`, () => {
      try {
        parsePricingModel(input);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(QuoteError);
        expect((e as QuoteError).code).toBe("INVALID_PRICING");
        expect((e as QuoteError).message).toMatch(msg);
      }
    });
  }
  it("round-trips through JSON", () => {
    expect(parsePricingModel(JSON.parse(JSON.stringify(PRICING)))).toEqual(PRICING);
  });
});

describe("estimatePrint and checkPrintability", () => {
  const cube = analyzeModel(corpusFile("stl/trimesh_20mm-xyz-cube.stl"));
  it("weight = volume × effective fill × density (walls plus infill)", () => {
    const solid = estimatePrint(cube, { technology: "fdm", infill: 1 });
    expect(solid.fillFraction).toBeCloseTo(1, 12);
    expect(solid.weightG).toBeCloseTo((cube.volumeMm3 / 1000) * 1.24, 9);
    const sparse = estimatePrint(cube, { technology: "fdm", infill: 0.2, wallThicknessMm: 1 });
    const shell = cube.areaMm2 * 1;
    expect(sparse.materialVolumeMm3).toBeCloseTo(shell + (cube.volumeMm3 - shell) * 0.2, 6);
  });
  it("time: FDM from extrusion rate and height, resin and powder from layer count", () => {
    const fdm = estimatePrint(cube, {
      technology: "fdm",
      extrusionRateMm3PerS: 10,
      secondsPerLayerOverhead: 0,
      setupMinutes: 0,
      layerHeightMm: 0.2,
    });
    expect(fdm.layers).toBe(100);
    expect(fdm.printSeconds).toBeCloseTo(fdm.materialVolumeMm3 / 10, 6);
    const resin = estimatePrint(cube, {
      technology: "resin",
      layerHeightMm: 0.05,
      secondsPerLayer: 8,
      setupMinutes: 0,
    });
    expect(resin.layers).toBe(400);
    expect(resin.printSeconds).toBe(3200);
    const powder = estimatePrint(cube, {
      technology: "powder",
      layerHeightMm: 0.1,
      secondsPerLayer: 10,
      setupMinutes: 1,
    });
    expect(powder.printSeconds).toBe(200 * 10 + 60);
    expect(() => estimatePrint(cube, { technology: "fdm", infill: 2 })).toThrow(/infill/);
  });
  it("fits a build volume in one of six orientations and says which", () => {
    const rod = analyzeModel(corpusFile("stl/trimesh_7_8ths_cube.stl"));
    expect(
      checkPrintability(rod, { technology: "fdm", buildVolumeMm: { x: 300, y: 300, z: 300 } }).orientation
        ?.axes,
    ).toBe("xyz");
    const bar = { ...rod, bbox: { ...rod.bbox, size: { x: 100, y: 20, z: 10 } } };
    const r = checkPrintability(bar, { technology: "fdm", buildVolumeMm: { x: 15, y: 25, z: 105 } });
    expect(r.fits).toBe(true);
    expect(r.orientation?.axes).toBe("zyx");
    expect(r.issues.find((i) => i.code === "NEEDS_ROTATION")?.message).toMatch(/rotated 90° about Y/);
    expect(r.orientations.filter((o) => o.fits).length).toBe(1);
    const tiny = checkPrintability(rod, { technology: "resin", buildVolumeMm: { x: 1, y: 1, z: 1 } });
    expect(tiny.fits).toBe(false);
    expect(tiny.printable).toBe(false);
    expect(tiny.issues.map((i) => i.code)).toContain("TOO_LARGE");
  });
  it("warns about too-small models and open or non-manifold meshes", () => {
    const metres = analyzeModel(corpusFile("stl/trimesh_ADIS16480.STL"));
    expect(
      checkPrintability(metres, { technology: "fdm", buildVolumeMm: { x: 200, y: 200, z: 200 } }).issues.map(
        (i) => i.code,
      ),
    ).toContain("TOO_SMALL");
    const teapot = analyzeModel(corpusFile("stl/trimesh_teapot.stl"));
    const r = checkPrintability(teapot, { technology: "fdm", buildVolumeMm: { x: 500, y: 500, z: 500 } });
    expect(r.issues.find((i) => i.code === "NOT_WATERTIGHT")?.message).toMatch(/holes/);
    const shared = analyzeModel(corpusFile("stl/trimesh_shared.STL"));
    expect(
      checkPrintability(shared, { technology: "fdm", buildVolumeMm: { x: 500, y: 500, z: 500 } }).issues.map(
        (i) => i.code,
      ),
    ).toContain("NON_MANIFOLD");
  });
  it("validates the printer", () => {
    expect(() => checkPrintability(cube, { technology: "fdm", buildVolumeMm: { x: 0, y: 1, z: 1 } })).toThrow(
      QuoteError,
    );
  });
});
