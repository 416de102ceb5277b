// The ASCII STL forms the hand-written byte reader (formats/stl.ts, kept for its benchmark figure: see
// the package README) must accept, each checked against the plain form of the same mesh, in one piece and
// streamed one byte at a time.
import { describe, expect, it } from "vitest";
import { analyzeModel, analyzeStream, type ModelAnalysis, type QuoteError } from "../src/index.ts";
import { binaryStl, TETRA } from "./fixtures.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const refused = (e: QuoteError) => ({ code: e.code, message: e.message });

/** A closed tetrahedron away from the origin, with one corner on the planes x = 0 and y = 0. */
const MESH = TETRA.map((t) => t.map((v, k) => (k % 3 === 2 ? v * 2.5 + 1 : v * 2.5)));

function stl(num: (x: number) => string, o: { eol?: string; sep?: string; name?: string } = {}) {
  const eol = o.eol ?? "\n";
  const sep = o.sep ?? " ";
  const name = o.name ?? "tetra";
  let s = `solid ${name}${eol}`;
  for (const t of MESH) {
    s += `${sep}facet${sep}normal${sep}0${sep}0${sep}0${eol}${sep}outer${sep}loop${eol}`;
    for (let v = 0; v < 3; v++) {
      s += `${sep}vertex${sep}${[0, 1, 2].map((k) => num(t[v * 3 + k]!)).join(sep)}${eol}`;
    }
    s += `${sep}endloop${eol}${sep}endfacet${eol}`;
  }
  return `${s}endsolid ${name}${eol}`;
}

const plain = analyzeModel(enc(stl(String)));

async function expectPlain(text: string, label: string) {
  const bytes = enc(text);
  const whole: ModelAnalysis = analyzeModel(bytes);
  expect(whole, label).toEqual(plain);
  const bytewise = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
  expect(await analyzeStream(bytewise), `${label}, streamed`).toEqual(plain);
}

describe("ASCII STL: the forms exporters write give the plain form's analysis", () => {
  it("the plain form is a closed tetrahedron", () => {
    expect(plain).toMatchObject({ format: "stl-ascii", triangles: 4, watertight: true, shells: 1 });
    expect(plain.topology?.vertices).toBe(4);
    expect(plain.volumeMm3).toBeCloseTo(2.5 ** 3 / 6, 12);
  });

  it("scientific notation: e, E, signed and two-digit exponents, no integer or fraction digits", async () => {
    await expectPlain(
      stl((x) => x.toExponential(6)),
      "%e",
    );
    await expectPlain(
      stl((x) =>
        x
          .toExponential(6)
          .toUpperCase()
          .replace(/E([+-])(\d)$/, "E$10$2"),
      ),
      "%E",
    );
    await expectPlain(
      stl((x) => `+${x * 10}e-1`),
      "+25e-1",
    );
    await expectPlain(
      stl((x) => (x === 0 ? "0e0" : `${x * 100}E-02`)),
      "E-02",
    );
    await expectPlain(
      stl((x) => (x === 0 ? ".0" : x === 2.5 ? ".25e1" : x === 1 ? "1." : String(x))),
      ".25e1 and 1.",
    );
  });

  it("negative zero is zero: the same vertices, volume and verdicts", async () => {
    for (const z of ["-0", "-0.0", "-0e0", "-0.000000e+00", "-.0"]) {
      await expectPlain(
        stl((x) => (x === 0 ? z : String(x))),
        z,
      );
    }
    // -0 and 0 mixed at the same corner still weld into one vertex
    let k = 0;
    await expectPlain(
      stl((x) => (x === 0 ? (k++ % 2 ? "-0" : "0") : String(x))),
      "mixed",
    );
  });

  it("CRLF and CR line ends, tabs and runs of blanks", async () => {
    await expectPlain(stl(String, { eol: "\r\n" }), "CRLF");
    await expectPlain(stl(String, { eol: "\r" }), "CR");
    await expectPlain(stl(String, { sep: "\t" }), "tabs");
    await expectPlain(stl(String, { sep: " \t  ", eol: "\r\n\r\n" }), "mixed blanks");
  });

  it('"facet normal" with its numbers missing, and "facet" with no normal', async () => {
    await expectPlain(stl(String).replaceAll("facet normal 0 0 0", "facet normal"), "facet normal");
    await expectPlain(stl(String, { eol: "\r\n" }).replaceAll("facet normal 0 0 0", "facet"), "facet");
  });

  it("solid names with spaces (and none), on both solid and endsolid", async () => {
    await expectPlain(stl(String, { name: "my part  v2 (final)" }), "spaces");
    await expectPlain(stl(String, { name: "" }), "no name");
    await expectPlain(stl(String).replace(/endsolid tetra\n$/, "endsolid\n"), "bare endsolid");
  });
});

describe("ASCII STL: what cannot be read is refused with a clear error", () => {
  const text = stl(String);
  const firstFacet = text.indexOf("facet");
  const lastEnd = text.lastIndexOf("endfacet") + "endfacet".length;

  it("a file cut anywhere inside a facet: STL_PARSE_ERROR, the same in one piece and streamed", async () => {
    // (from 84 bytes: shorter files are also too short for a binary STL, which is what they are told)
    for (let cut = Math.max(84, firstFacet + 1); cut < lastEnd; cut++) {
      // (a file may end after any complete facet)
      if (text.slice(0, cut).trimEnd().endsWith("endfacet")) continue;
      const head = enc(text.slice(0, cut));
      const one = await Promise.resolve()
        .then(() => analyzeModel(head))
        .then(() => null, refused);
      expect(one?.code, `cut at ${cut}`).toBe("STL_PARSE_ERROR");
      expect(one?.message, `cut at ${cut}`).toMatch(/^ASCII STL, near byte \d+: /);
      expect(await analyzeStream([head]).then(() => null, refused), `cut at ${cut}`).toEqual(one);
    }
    // cut between two tokens, the message says what happened
    const atBlank = text.lastIndexOf("endloop") - 1;
    expect(await analyzeStream([enc(text.slice(0, atBlank))]).then(() => null, refused)).toMatchObject({
      code: "STL_PARSE_ERROR",
      message: expect.stringMatching(/truncated/),
    });
  });

  it("a binary STL whose header starts with “solid” is read as binary", async () => {
    const b = binaryStl(MESH);
    b.set(enc("solid tetra exported by a CAD program"));
    const a = analyzeModel(b);
    expect(a.format).toBe("stl-binary");
    expect({ ...a, format: "stl-ascii" }).toEqual(plain);
    // with a stray byte after the triangles it is neither binary nor ASCII (as corpus.test.ts's
    // numpy-stl file), even when no line break in the binary data ends the "solid name"
    const longer = new Uint8Array(b.length + 1);
    longer.set(b);
    expect(longer.includes(10) || longer.includes(13)).toBe(false);
    const refusal = Promise.resolve().then(() => analyzeModel(longer));
    await expect(refusal).rejects.toMatchObject({ code: "STL_SIZE_MISMATCH" });
    await expect(analyzeStream([longer])).rejects.toMatchObject({ code: "STL_SIZE_MISMATCH" });
  });
});
