import { describe, expect, it } from "vitest";
import { analyzeModel, analyzeStream, type QuoteError } from "../src/index.ts";
import { corpusFile } from "./corpus.ts";
import { asciiStl, torusStl } from "./fixtures.ts";

/** The bytes cut into pieces of the given sizes (cycled), as a stream would deliver them. */
function* pieces(bytes: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  let k = 0;
  for (let i = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

const CUTS = [[1], [7], [64], [4096], [3, 250, 1, 9000, 17], [1 << 20]];
const refused = (e: QuoteError) => ({ code: e.code, message: e.message });

describe("ASCII STL streamed in pieces of any size", () => {
  const files = {
    admesh: corpusFile("stl/admesh_block_basic.stl"),
    torus: new TextEncoder().encode(asciiStl(torusStl(600), "torus")),
  };

  for (const [name, bytes] of Object.entries(files)) {
    it(`${name}: the same analysis whatever the cuts`, async () => {
      const whole = analyzeModel(bytes);
      expect(whole.triangles).toBeGreaterThan(0);
      for (const sizes of CUTS) {
        const streamed = await analyzeStream(pieces(bytes, sizes));
        expect(streamed, `cuts ${sizes.join(",")}`).toEqual(whole);
      }
    });
  }

  it("reports a broken facet at the same byte whatever the cuts", async () => {
    const text = asciiStl(torusStl(600), "torus");
    const at = text.indexOf("vertex", text.length / 2);
    const broken = new TextEncoder().encode(`${text.slice(0, at)}vertex 1 2 nope${text.slice(at + 30)}`);
    const expected = await analyzeStream(pieces(broken, [1 << 20])).then(() => null, refused);
    expect(expected?.code).toBe("STL_PARSE_ERROR");
    expect(expected?.message).toMatch(/near byte \d+/);
    for (const sizes of CUTS) {
      expect(await analyzeStream(pieces(broken, sizes)).then(() => null, refused)).toEqual(expected);
    }
  });

  it("refuses a token longer than 4 KB however it arrives", async () => {
    const bytes = new TextEncoder().encode(`solid x\n facet normal 0 0 0 ${"9".repeat(5000)}\n`);
    for (const sizes of [[1 << 20], [100], [4097], [1, 5000]]) {
      const got = await analyzeStream(pieces(bytes, sizes)).then(() => null, refused);
      expect(got, `cuts ${sizes.join(",")}`).toMatchObject({ code: "STL_PARSE_ERROR" });
    }
  });
});
