import { describe, expect, it } from "vitest";
import { contrastRatio, formatMm, textOn } from "./format";

describe("widget formatting", () => {
  it("formats lengths with the locale's decimal separator", () => {
    expect(formatMm(12.34, "en")).toBe("12.3 mm");
    expect(formatMm(12.34, "fr")).toBe("12,3 mm");
  });

  it("picks readable text on the shop's accent color (WCAG AA where possible)", () => {
    expect(textOn("#1f6feb")).toBe("#ffffff");
    expect(textOn("#ffd700")).toBe("#0f172a");
    expect(contrastRatio("#1f6feb", textOn("#1f6feb"))).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 0);
  });
});
