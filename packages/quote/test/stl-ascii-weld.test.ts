// The split parse's weld (AsciiStlParser with weld: true) takes a vertex whose text it read recently from
// a cache of texts, and parses and welds by value only the others. Texts that differ but mean the same
// number must still be one vertex, within a range and across the pool's cut.
import { afterAll, describe, expect, it } from "vitest";
import { AsciiStlParser } from "../src/formats/stl.ts";
import { exactWeld } from "../src/geometry.ts";
import { analyzeModel, type ModelAnalysis } from "../src/index.ts";
import { planAsciiCuts } from "../src/node/ascii-ranges.ts";
import { createAnalysisPool } from "../src/node/index.ts";
import { asciiStl, torusStl } from "./fixtures.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** Texts of the same number as a `%e` token ("-1.234567e+01"): the same double, so the same float32. */
function forms(tok: string): string[] {
  const x = Number(tok);
  if (x === 0) return ["-0", tok, "0", "-0.0", "+0", "0.000e5", "-0.000000e+00", "0.000000E0", "-0e-3"];
  const [mant, exp] = tok.split("e") as [string, string];
  const e = Number(exp);
  const out = [
    tok,
    `${mant}0e${exp}`, // a trailing zero: "1.00" for "1.0"
    `${mant}E${e}`, // capital E, exponent without sign or leading zero
    String(x), // JavaScript's shortest form, often without an exponent
    `${mant}e${e}`,
  ];
  if (!tok.startsWith("-")) out.push(`+${tok}`, `+${String(x)}`);
  for (const f of out) expect(Number(f), f).toBe(x);
  return out;
}

const x0 = (t: string) => Number(t) === 0;
const SEPS = [" ", "  ", "\t", " \t "];

/**
 * The torus with each vertex line written differently from that vertex's previous line: every number in
 * another form and other blanks between them, so no vertex is ever the same text twice running.
 */
function variedTorus(triangles: number): string {
  const seen = new Map<string, number>();
  return asciiStl(torusStl(triangles), "torus").replace(/vertex ([^\n]+)/g, (_m, nums: string) => {
    const toks = nums.trim().split(/\s+/);
    const key = toks.map(Number).join(",");
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const written = toks.map((t, k) => {
      const f = forms(t);
      return f[(n + (x0(t) ? 0 : k)) % f.length]!;
    });
    const sep = SEPS[n % SEPS.length]!;
    return `vertex${sep}${written.join(sep)}`;
  });
}

/** The welded parse of `text` pushed in chunks of `chunk` bytes, against the exact weld of its soup. */
function expectWeldOfSoup(text: string, chunk: number, vertexTextSlots?: number) {
  const bytes = enc(text);
  const welding = new AsciiStlParser(1e7, { keepPositions: false, weld: true, vertexTextSlots });
  const soup = new AsciiStlParser(1e7);
  for (const p of [welding, soup]) {
    for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
    p.finish();
  }
  const got = welding.welded()!;
  const r = soup.result();
  const want = exactWeld(r.soup, r.triangles);
  expect(got.welder.count).toBe(want.count);
  expect(Array.from(got.ids)).toEqual(Array.from(want.ids));
  return { count: got.welder.count, hits: welding.vertexTextHits, corners: r.triangles * 3 };
}

describe("the welded ASCII parse: texts that differ but mean the same number are one vertex", () => {
  const plainTorus = asciiStl(torusStl(6000), "torus");
  const varied = variedTorus(6000);
  const plain = analyzeModel(enc(plainTorus));

  it("the varied torus is written differently and reads as the same mesh in one piece", () => {
    expect(varied).not.toBe(plainTorus);
    expect(varied).toContain("\t");
    expect(varied).toMatch(/ \+\d/);
    expect(varied).toMatch(/\s-0\s/);
    expect(varied).toMatch(/\dE\d/);
    const one = analyzeModel(enc(varied));
    expect(one).toEqual(plain);
    expect(one.watertight).toBe(true);
  });

  it("numbers each corner as the one-pass exact weld does, in one piece and in chunks of any size", () => {
    const plainRun = expectWeldOfSoup(plainTorus, 1 << 20);
    expect(plainRun.count).toBe(plain.topology?.vertices);
    // most corners of the plain file come from the cache of texts (each vertex is written ~6 times)
    expect(plainRun.hits).toBeGreaterThan(plainRun.corners * 0.6);
    const variedRun = expectWeldOfSoup(varied, 1 << 20);
    expect(variedRun.count).toBe(plain.topology?.vertices);
    for (const text of [plainTorus, varied]) {
      for (const chunk of [7, 64, 97, 4093]) expectWeldOfSoup(text, chunk);
      // one or two slots: every text collides with the others, so each hit is checked byte for byte
      for (const slots of [1, 2]) expectWeldOfSoup(text, 4093, slots);
    }
  });

  it("a vertex text followed by other bytes on its line, or cut short by the next chunk, is not mistaken", () => {
    // one facet a line: the same vertex text is followed by different bytes each time
    const oneLine = varied.replace(/\n\s*(outer|vertex|endloop|endfacet)/g, " $1");
    expect(oneLine.split("\n").length).toBeLessThan(varied.split("\n").length / 5);
    for (const slots of [undefined, 1]) {
      expectWeldOfSoup(oneLine, 1 << 20, slots);
      expectWeldOfSoup(oneLine, 61, slots);
    }
    // texts that share all but their first or last bytes: "1 2 3" then "1 2 30", "1 2 3.5", "4 2 3" (a
    // cache hit must check the whole text and the blank after it)
    const facet = (a: string, b: string, c: string) =>
      `facet normal 0 0 0\nouter loop\nvertex ${a}\nvertex ${b}\nvertex ${c}\nendloop\nendfacet\n`;
    const prefixes =
      "solid p\n" +
      facet("1 2 3", "1 2 30", "1 2 3.5") +
      facet("1 2 3.5", "1 2 3", "1 2 30") +
      facet("1 2 30", "1 2 3.0", "1 2 3e0") +
      facet("1 2 3", "4 2 3", "1.0 2 3") +
      "endsolid p\n";
    for (const chunk of [1, 5, 16, 1 << 20]) {
      for (const slots of [undefined, 1, 2]) expect(expectWeldOfSoup(prefixes, chunk, slots).count).toBe(4);
    }
    // in one slot, each text meets the one before it: "1 2 3.5" twice running is found there
    expect(expectWeldOfSoup(prefixes, 1 << 20, 1).hits).toBe(2);
  });

  describe("across the pool's cut", () => {
    const pool = createAnalysisPool({ size: 2, splitMinBytes: 1 });
    afterAll(() => pool.close());

    async function expectSplitSame(text: string): Promise<ModelAnalysis> {
      const bytes = enc(text);
      const one = analyzeModel(bytes);
      const before = { ...pool.stats };
      const got = await pool.analyze(bytes.slice());
      expect(pool.stats.splitFiles).toBe(before.splitFiles + 1);
      expect(pool.stats.splitFallbacks).toBe(before.splitFallbacks);
      expect({ ...got, volumeMm3: 0, areaMm2: 0 }).toEqual({ ...one, volumeMm3: 0, areaMm2: 0 });
      expect(Math.abs(got.volumeMm3 / one.volumeMm3 - 1)).toBeLessThan(1e-12);
      return got;
    }

    it("the varied torus split in two is the plain torus's mesh", async () => {
      const got = await expectSplitSame(varied);
      expect(got.topology?.vertices).toBe(plain.topology?.vertices);
      expect(got.watertight).toBe(true);
      expect(got.shells).toBe(1);
    });

    it("in three ranges too (the middle range's vertices are welded into the table, the last only looked up)", async () => {
      const three = createAnalysisPool({ size: 3, splitMinBytes: 1 });
      try {
        for (const text of [varied, plainTorus]) {
          const bytes = enc(text);
          const got = await three.analyze(bytes.slice());
          expect(three.stats.splitFallbacks).toBe(0);
          const one = analyzeModel(bytes);
          expect({ ...got, volumeMm3: 0, areaMm2: 0 }).toEqual({ ...one, volumeMm3: 0, areaMm2: 0 });
          expect(got.topology?.vertices).toBe(plain.topology?.vertices);
        }
        expect(three.stats.splitFiles).toBe(2);
      } finally {
        await three.close();
      }
    });

    it("the vertices the facets at the cut share with the first range are written differently there", async () => {
      // where the pool cuts the varied torus: the first facets after the cut use vertices of the range
      // before it, in other texts (so the join, not the text cache, makes them one vertex)
      const bytes = enc(varied);
      const cut = (await planAsciiCuts(bytes, 2))![1]!;
      const textsOf = (s: string) => [...s.matchAll(/vertex\s+(\S+)\s+(\S+)\s+(\S+)/g)];
      const before = new Map<string, Set<string>>();
      for (const m of textsOf(varied.slice(0, cut))) {
        const key = m.slice(1, 4).map(Number).join(",");
        before.set(key, (before.get(key) ?? new Set()).add(m.slice(1, 4).join(" ")));
      }
      const after = textsOf(varied.slice(cut, cut + 2000));
      const sharedDistinct = after.filter((m) => {
        const texts = before.get(m.slice(1, 4).map(Number).join(","));
        return texts !== undefined && !texts.has(m.slice(1, 4).join(" "));
      });
      expect(sharedDistinct.length).toBeGreaterThan(3);
      const got = await expectSplitSame(varied);
      expect(got.topology?.vertices).toBe(plain.topology?.vertices);
    });
  });
});
