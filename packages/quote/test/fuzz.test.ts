import { describe, expect, it } from "vitest";
import { analyzeModel, QuoteError } from "../src/index.ts";
import { corpusFile } from "./corpus.ts";

/** Truncations and byte flips of real files: each must give an analysis or a QuoteError, nothing else. */
const FILES = [
  "stl/numpy-stl_stl_binary_Star.stl",
  "stl/numpy-stl_stl_ascii_Star.stl",
  "obj/trimesh_negative_indices.obj",
  "3mf/models/3mf-samples_box.3mf",
  "3mf/conformance_3mf-samples/MUSTPASS_Chapter4.2_Components.3mf",
];

function outcome(bytes: Uint8Array): string {
  try {
    const a = analyzeModel(bytes);
    expect(Number.isFinite(a.volumeMm3) && Number.isFinite(a.areaMm2)).toBe(true);
    return "ok";
  } catch (e) {
    if (e instanceof QuoteError) return e.code;
    throw e;
  }
}

describe("fuzz: truncated and corrupted corpus files", () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (const f of FILES) {
    it(f, () => {
      const original = corpusFile(f);
      const seen = new Set<string>();
      for (let k = 1; k <= 40; k++) {
        seen.add(outcome(original.slice(0, Math.floor((original.length * k) / 41))));
      }
      for (let k = 0; k < 60; k++) {
        const b = original.slice();
        for (let m = 0; m < 1 + rnd(4); m++) b[rnd(b.length)] = rnd(256);
        seen.add(outcome(b));
      }
      expect(seen.size).toBeGreaterThan(0);
    });
  }
});
