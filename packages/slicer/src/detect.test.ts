import { requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";
import { describeSlicer, detectSlicer, SLICER_INSTALL_HINT } from "./detect.ts";

describe("detectSlicer", () => {
  it("reports a missing slicer with how to install it, without throwing", async () => {
    const info = await detectSlicer("/nonexistent/prusa-slicer");
    expect(info).toEqual({ available: false, path: "/nonexistent/prusa-slicer", reason: "not installed" });
    const line = describeSlicer(info);
    expect(line).toMatch(/^slicer: /);
    expect(line).toContain(SLICER_INSTALL_HINT);
    expect(line).toContain('stay "estimated"');
  });

  it("reports a program that is not PrusaSlicer as not running", async () => {
    const info = await detectSlicer("/bin/false");
    expect(info.available).toBe(false);
    expect(describeSlicer(info)).toContain(SLICER_INSTALL_HINT);
  });
});

const installed = await detectSlicer();
describe.runIf(
  requireOrSkip("PrusaSlicer detection", installed.available ? null : `prusa-slicer ${installed.reason}`),
)("detectSlicer on this machine", () => {
  it("names PrusaSlicer and its version", () => {
    expect(installed).toMatchObject({ available: true, name: "PrusaSlicer" });
    expect(installed.available && installed.version).toMatch(/^2\.\d+\.\d+$/);
    expect(describeSlicer(installed)).toMatch(/^slicer: PrusaSlicer 2\.\d+\.\d+ /);
  });
});
