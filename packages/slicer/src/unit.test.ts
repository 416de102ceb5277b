import { analyzeModel } from "@ktizo/quote";
import { describe, expect, it } from "vitest";
import { binaryStl, box, TEST_FFF } from "../test/models.ts";
import { classifyFailure } from "./classify.ts";
import { parseDuration } from "./gcode.ts";
import { parseMesh } from "./mesh.ts";
import { ProfileError, writeIni } from "./profile.ts";
import { checkBeforeSlicing, prepareSlice } from "./slice.ts";

const quiet = { timedOut: false, stdout: "", signal: null };

describe("slicer building blocks", () => {
  it("reads PrusaSlicer's durations", () => {
    expect(parseDuration("1h 16m 8s")).toBe(4568);
    expect(parseDuration("2d 0h 1m 0s")).toBe(172_860);
    expect(parseDuration("45s")).toBe(45);
    expect(parseDuration("soon")).toBeNull();
  });

  it("writes a binary STL of the parsed mesh, moved to the origin, that reads back the same", () => {
    const mesh = parseMesh(binaryStl(box(20, 10, 5, [100, -50, 7])));
    expect(mesh.min).toEqual([100, -50, 7]);
    const { stl, meshHash } = prepareSlice(mesh, TEST_FFF);
    const back = analyzeModel(stl);
    expect(back.bbox.min).toEqual({ x: 0, y: 0, z: 0 });
    expect(back.volumeMm3).toBeCloseTo(1000, 6);
    expect(back.watertight).toBe(true);
    // The cache key does not depend on where the customer placed the model.
    expect(prepareSlice(parseMesh(binaryStl(box(20, 10, 5))), TEST_FFF).meshHash).toBe(meshHash);
  });

  it("checks the fit and the height before slicing", () => {
    const check = (t: number[][]) => checkBeforeSlicing(parseMesh(binaryStl(t)), TEST_FFF);
    expect(check(box(20, 20, 20))).toBeNull();
    expect(check(box(250, 210, 210))).toBeNull();
    expect(check(box(251, 20, 20))).toBe("does_not_fit");
    expect(check(box(20, 20, 211))).toBe("does_not_fit");
    expect(check(box(20, 20, 0))).toBe("no_layers");
    expect(check(box(0.01, 0.01, 0.01))).toBe("no_layers");
    expect(checkBeforeSlicing(parseMesh(binaryStl([])), TEST_FFF)).toBe("unreadable");
  });

  it("writes a complete profile with post_process empty and refuses values that are not numbers", () => {
    const ini = writeIni(TEST_FFF);
    expect(ini).toMatch(/^post_process = $/m);
    expect(ini).toMatch(/^use_relative_e_distances = 1$/m);
    expect(ini).toMatch(/^bed_shape = 0x0,250x0,250x210,0x210$/m);
    expect(ini.split("\n").filter(Boolean).length).toBeGreaterThan(250);
    const injected = {
      ...TEST_FFF,
      nozzleMm: "0.4\npost_process = touch /tmp/x",
    } as unknown as typeof TEST_FFF;
    expect(() => writeIni(injected)).toThrow(ProfileError);
    expect(() => writeIni({ ...TEST_FFF, layerHeightMm: Number.NaN })).toThrow(/layerHeightMm/);
    expect(() => writeIni({ ...TEST_FFF, supports: "yes" as unknown as boolean })).toThrow(/supports/);
  });

  it("classifies PrusaSlicer's failures", () => {
    const c = (stderr: string, more: Partial<Parameters<typeof classifyFailure>[0]> = {}) =>
      classifyFailure({ ...quiet, stderr, ...more });
    expect(c("x.stl: Loading of a model file failed.")).toBe("unreadable");
    expect(c("No layers were detected. You might want to repair your STL file(s)")).toBe("no_layers");
    expect(c("The print is empty. The model is not printable with current print settings.")).toBe(
      "no_layers",
    );
    expect(c("There is an object with no extrusions in the first layer.")).toBe("nothing_on_bed");
    expect(c("what():  Objects could not fit on the bed", { signal: "SIGABRT" })).toBe("does_not_fit");
    expect(c("error while loading shared libraries: libx.so: failed to map segment")).toBe("out_of_memory");
    expect(c("std::bad_alloc", { signal: "SIGABRT" })).toBe("out_of_memory");
    expect(c("", { timedOut: true, signal: "SIGKILL" })).toBe("timeout");
    expect(c("", { signal: "SIGKILL" })).toBe("out_of_memory");
    expect(c("something else")).toBe("failed");
  });
});
