import { describe, expect, it } from "vitest";
import { numEnd, parseNumber, parseNumberFast } from "../src/numbers.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("number parsing", () => {
  const cases = [
    "0",
    "-0",
    "1",
    "+1E+2",
    "12.5",
    "-3.25e-3",
    "1.234567e+01",
    ".5",
    "5.",
    "123456789012345678",
    "1e-30",
    "2.5E300",
    // 17 significant digits, negative: the fallback once dropped the sign (both readers negated again)
    "-0.18375825881958008",
    "-94.288349151611328",
    "-1.8375825881958008E-1",
    "-1e-30",
  ];
  for (const c of cases) {
    it(`parses ${c} like Number()`, () => {
      for (const f of [
        (b: Uint8Array) => parseNumber(b, 0, b.length),
        (b: Uint8Array) => parseNumberFast(b, 0),
      ]) {
        // at the very end of the buffer (nothing after the digits) and followed by a blank
        for (const text of [c, `${c} `]) {
          expect(f(enc(text))).toBe(Number(c));
          expect(numEnd.pos).toBe(c.length);
        }
      }
    });
  }
  it("reports no number without consuming anything", () => {
    expect(parseNumberFast(enc("x"), 0)).toBeNaN();
    expect(parseNumber(enc("-"), 0, 1)).toBeNaN();
    expect(numEnd.pos).toBe(0);
  });
});
