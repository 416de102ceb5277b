import { describe, expect, it } from "vitest";
import { AsciiStlParser } from "../src/formats/stl.ts";
import { numEnd, parseNumber, parseNumberFast } from "../src/numbers.ts";
import { FORMS, prng } from "./number-forms.ts";

/**
 * Property: for every token, both readers give exactly Number(token) (Object.is: -0 counts) and stop
 * right after it, in every form exporters write; the float32 variant gives fround(Number(token)); then
 * the same tokens go through whole ASCII STL files (float32 positions).
 */
const PER_FORM = 1_000_000;
const BATCH = 1 << 17;
const FLT_MAX = 3.4028234663852886e38;
const ascii = new TextEncoder();

/** True when the token is within the proven fast path: integer mantissa < 2^53, |exponent| ≤ 22. */
function fastEligible(tok: string): boolean {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(tok)!;
  const digits = (m[1]! + (m[2] ?? "")).replace(/^0+/, "");
  const exp = Number(m[3] ?? 0) - (m[2]?.length ?? 0);
  return (digits.length < 16 || BigInt(digits) < 2n ** 53n) && Math.abs(exp) <= 22;
}

/** ASCII STL of the tokens, nine a facet (padded with 0). */
function stlOf(tokens: string[]): string {
  const out = ["solid numbers\n"];
  for (let t = 0; t < tokens.length; t += 9) {
    const v = (k: number) => tokens[t + k] ?? "0";
    out.push(
      `facet normal 0 0 1\n outer loop\n  vertex ${v(0)} ${v(1)} ${v(2)}\n  vertex ${v(3)} ${v(4)} ${v(5)}\n` +
        `  vertex ${v(6)} ${v(7)} ${v(8)}\n endloop\nendfacet\n`,
    );
  }
  out.push("endsolid numbers\n");
  return out.join("");
}

/** The soup an ASCII STL gives, pushed whole or in pieces of `piece` bytes (cut facets take the slow path). */
function soupOf(bytes: Uint8Array, piece: number): Float32Array {
  const p = new AsciiStlParser(Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < bytes.length; i += piece) p.push(bytes.subarray(i, i + piece));
  p.finish();
  return p.result().soup as Float32Array;
}

describe("number readers equal Number() on a million random tokens per form", () => {
  let seed = 11;
  for (const [form, write] of Object.entries(FORMS)) {
    const formSeed = seed++;
    it(form, () => {
      const r = prng(formSeed);
      const bad: string[] = [];
      let fast = 0;
      let inFiles = 0;
      for (let done = 0; done < PER_FORM; done += BATCH) {
        const tokens: string[] = [];
        for (let k = 0; k < Math.min(BATCH, PER_FORM - done); k++) tokens.push(write(r));
        const b = ascii.encode(`${tokens.join(" ")} `);
        const wants = new Float64Array(tokens.length);
        let pos = 0;
        for (let t = 0; t < tokens.length; t++) {
          const tok = tokens[t]!;
          const want = Number(tok);
          wants[t] = want;
          const end = pos + tok.length;
          const a = parseNumber(b, pos, end);
          const aEnd = numEnd.pos;
          const f = parseNumberFast(b, pos);
          if (!Object.is(a, want) || aEnd !== end || !Object.is(f, want) || numEnd.pos !== end) {
            if (bad.length < 10) bad.push(`${tok}: Number ${want}, parseNumber ${a}, parseNumberFast ${f}`);
          }
          // the float32 variant (ASCII STL positions) must round to the same float32 as Number()
          const f32 = parseNumberFast(b, pos, true);
          if (!Object.is(Math.fround(f32), Math.fround(want)) || numEnd.pos !== end) {
            if (bad.length < 10) bad.push(`${tok}: Number ${want}, parseNumberFast(float32) ${f32}`);
          }
          if (done === 0 && fastEligible(tok)) fast++;
          pos = end + 1;
        }
        // through whole files (the first quarter million): the whole-facet fast path, and (first batch)
        // facets cut at chunk edges, which the general state machine reads
        if (done >= 2 * BATCH) continue;
        const coords: string[] = [];
        const coordWants: number[] = [];
        for (let t = 0; t < tokens.length; t++) {
          if (!(Math.abs(wants[t]!) <= FLT_MAX)) continue;
          coords.push(tokens[t]!);
          coordWants.push(Math.fround(wants[t]!));
        }
        const file = ascii.encode(stlOf(coords));
        const soups = [soupOf(file, file.length)];
        if (done === 0) soups.push(soupOf(file, 97));
        for (const soup of soups) {
          for (let k = 0; k < coords.length; k++) {
            if (!Object.is(soup[k], coordWants[k]) && bad.length < 10)
              bad.push(`${coords[k]} in a file: ${soup[k]}`);
          }
        }
        inFiles += coords.length;
      }
      expect(bad).toEqual([]);
      expect(inFiles).toBeGreaterThan(BATCH);
      // the sample reaches the fast path as well as the fallback (except where a form never can)
      if (!/long|18e|digit strings/.test(form)) expect(fast).toBeGreaterThan(BATCH / 20);
    }, 120_000);
  }
});
