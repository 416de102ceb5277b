import { describe, expect, it } from "vitest";
import {
  applyScale,
  checkPrintability,
  percentForLongestSide,
  scaleAnalysis,
  scaleFactor,
  scaleLabel,
  suggestScale,
} from "../src/index.ts";
import type { ModelAnalysis } from "../src/types.ts";

/** The analysis of a closed x × y × z box read as millimetres (what analyzeModel reports for one). */
function box(x: number, y: number, z: number): ModelAnalysis {
  return {
    format: "stl-binary",
    units: "millimeter",
    triangles: 12,
    volumeMm3: x * y * z,
    areaMm2: 2 * (x * y + y * z + x * z),
    bbox: { min: { x: 0, y: 0, z: 0 }, max: { x, y, z }, size: { x, y, z } },
    shells: 1,
    watertight: true,
    issues: [],
  };
}

describe("model scale", () => {
  const inches = box(2, 3, 1);

  it("scales volume by s³, area by s² and the box by s", () => {
    const s = scaleAnalysis(inches, 25.4);
    expect(s.volumeMm3).toBeCloseTo(6 * 25.4 ** 3, 6);
    expect(s.areaMm2).toBeCloseTo(22 * 25.4 ** 2, 6);
    expect(s.bbox.size).toEqual({ x: 50.8, y: 76.19999999999999, z: 25.4 });
    expect(s.bbox.max.x).toBeCloseTo(50.8, 9);
    expect(inches.volumeMm3).toBeCloseTo(6, 9); // the stored analysis is not changed
    expect(scaleAnalysis(inches, 1)).toBe(inches);
    expect(() => scaleAnalysis(inches, 0)).toThrow(RangeError);
  });

  it("combines the unit and the percent into one factor", () => {
    expect(scaleFactor({ unit: "in", percent: 100 })).toBeCloseTo(25.4, 12);
    expect(scaleFactor({ unit: "cm", percent: 50 })).toBe(5);
    expect(scaleFactor({ unit: "m", percent: 10 })).toBe(100);
    expect(scaleFactor({ unit: "mm", percent: 250 })).toBe(2.5);
  });

  it("suggests inches for a 2 × 3 × 1 box, metres for a sub-millimetre one, nothing for a real part", () => {
    expect(suggestScale(inches)).toEqual({
      unit: "in",
      factor: 25.4,
      message: "Looks like inches? Quote at 25.4×",
    });
    expect(suggestScale(box(0.1, 0.2, 0.05))?.unit).toBe("m");
    expect(suggestScale(box(20, 30, 10))).toBeNull();
    // 3MF files state their unit: nothing to guess.
    expect(suggestScale({ ...box(2, 3, 1), format: "3mf" })).toBeNull();
    // Metres that would exceed 2 m are not suggested.
    expect(suggestScale(box(0.5, 0.9, 5))?.unit).toBe("in");
  });

  it("refuses percents out of bounds and models out of limits, with the reason", () => {
    const tooBig = applyScale(inches, { unit: "in", percent: 5000 });
    expect(tooBig).toMatchObject({ ok: false, field: "scalePercent" });
    expect(!tooBig.ok && tooBig.message).toMatch(/at most 2,000 mm/);
    expect(applyScale(inches, { unit: "mm", percent: 0.5 })).toMatchObject({
      ok: false,
      message: "Scale must be between 1% and 10,000%",
    });
    expect(applyScale(inches, { unit: "mm", percent: 10_001 }).ok).toBe(false);
    expect(applyScale(inches, { unit: "mm", percent: Number.NaN }).ok).toBe(false);
    const speck = applyScale(box(0.1, 0.2, 0.05), { unit: "mm", percent: 100 });
    expect(!speck.ok && speck.message).toBe(
      "At this scale the model is only 0.2 mm across; it must be at least 0.5 mm",
    );
    const fine = applyScale(inches, { unit: "in", percent: 100 });
    expect(fine.ok && fine.analysis.bbox.size.z).toBeCloseTo(25.4, 9);
  });

  it("checks the build volume and the minimum size on the scaled model", () => {
    const printer = { technology: "fdm" as const, buildVolumeMm: { x: 60, y: 60, z: 60 }, minFeatureMm: 2 };
    const raw = checkPrintability(inches, printer);
    expect(raw.issues.map((i) => i.code)).toContain("TOO_SMALL");
    const asInches = checkPrintability(scaleAnalysis(inches, 25.4), printer);
    expect(asInches.issues.map((i) => i.code)).not.toContain("TOO_SMALL");
    expect(asInches.fits).toBe(false); // 76.2 mm does not fit a 60 mm cube in any orientation
  });

  it("finds the percent for a wanted longest side", () => {
    expect(percentForLongestSide(inches, "mm", 120)).toBe(4000); // 3 mm → 120 mm
    expect(percentForLongestSide(inches, "in", 152.4)).toBe(200); // 3 in = 76.2 mm → 152.4 mm
    expect(percentForLongestSide(inches, "in", 100)).toBe(131.23); // 100 / 76.2, two decimals
    expect(percentForLongestSide(inches, "mm", 0)).toBeNull();
    expect(percentForLongestSide(inches, "mm", Number.NaN)).toBeNull();
  });

  it("labels the scale the way the shop reads it", () => {
    expect(scaleLabel({ unit: "in", percent: 100 })).toBe("Scaled 2540% from inches");
    expect(scaleLabel({ unit: "in", percent: 50 })).toBe("Scaled 1270% from inches, then 50%");
    expect(scaleLabel({ unit: "mm", percent: 150 })).toBe("Scaled 150%");
    expect(scaleLabel({ unit: "cm", percent: 10 })).toBeNull();
    expect(scaleLabel({ unit: "mm", percent: 100 })).toBeNull();
  });
});
