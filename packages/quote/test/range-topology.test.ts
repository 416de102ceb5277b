// The split parse classifies each range's edges in the range's worker (`rangeEdges`) and the finish only
// corrects the edges shared between ranges (`joinRangeTopology`), or hands the joined mesh to
// `analyzeTopology` when that shortcut does not apply. Either way the result is the one-piece analysis.
import { describe, expect, it } from "vitest";
import { type AsciiPart, analyzeAsciiParts } from "../src/analyze.ts";
import { joinVertices, type RangeWeld } from "../src/geometry.ts";
import { analyzeModel, type ModelAnalysis } from "../src/index.ts";
import { parseAsciiRange, planAsciiCuts } from "../src/node/ascii-ranges.ts";
import { joinRangeTopology } from "../src/range-topology.ts";
import { asciiStl, torusStl } from "./fixtures.ts";

const enc = (s: string) => new TextEncoder().encode(s);

/** The facets of an ASCII STL (each "facet … endfacet" text) and the solid around them. */
function facetsOf(text: string): string[] {
  return text.match(/facet normal[\s\S]*?endfacet\n/g)!;
}
const solid = (facets: string[]) => `solid t\n${facets.join("")}endsolid t\n`;
const facet = (a: string, b: string, c: string) =>
  `facet normal 0 0 0\nouter loop\nvertex ${a}\nvertex ${b}\nvertex ${c}\nendloop\nendfacet\n`;
/** A facet's vertex texts. */
const verticesOf = (f: string) => [...f.matchAll(/vertex ([^\n]+)/g)].map((m) => m[1]!);
/** The same facet wound the other way. */
const flipped = (f: string) => {
  const [a, b, c] = verticesOf(f) as [string, string, string];
  return facet(a, c, b);
};

async function rangesOf(bytes: Uint8Array, parts: number): Promise<AsciiPart[]> {
  const cuts = (await planAsciiCuts(bytes, parts))!;
  const out: AsciiPart[] = [];
  for (let k = 0; k < parts; k++) {
    const buffer = bytes.slice(cuts[k], cuts[k + 1]).buffer;
    out.push(
      await parseAsciiRange({ buffer }, { continuation: k > 0, maxTriangles: 1e7, keepPositions: true }),
    );
  }
  return out;
}

const strip = (a: ModelAnalysis) => ({ ...a, volumeMm3: 0, areaMm2: 0 });

/**
 * The split analysis of `text` in `parts` ranges against the one-piece one, and whether the ranges'
 * own classification decided it (true) or the joined mesh was analysed in one piece (false).
 */
async function split(text: string, parts: number, options: { weldTolerance?: number } = {}) {
  const bytes = enc(text);
  const one = analyzeModel(bytes, options);
  const got = analyzeAsciiParts(await rangesOf(bytes, parts), options);
  expect(strip(got)).toEqual(strip(one));
  // the same ranges parsed again (the join takes over the first range's table, so not reused)
  const again = await rangesOf(bytes, parts);
  const welds = again.map((p) => p.weld as RangeWeld);
  const tol = one.topology!.weldToleranceMm;
  const counts = joinRangeTopology(
    again.map((p) => ({ weld: p.weld!, edges: p.edges! })),
    joinVertices(welds),
    tol,
  );
  return { one, shortcut: counts !== null };
}

describe("the split parse's topology: ranges classify their own edges, the finish joins them", () => {
  const torus = asciiStl(torusStl(4000), "torus");
  const facets = facetsOf(torus);

  it("a closed torus in two and three ranges: decided from the ranges' counts", async () => {
    for (const parts of [2, 3]) {
      const { one, shortcut } = await split(torus, parts);
      expect(one.watertight).toBe(true);
      expect(shortcut).toBe(true);
    }
  });

  it("edges used in both ranges: a facet repeated after the cut makes three edges non-manifold", async () => {
    const text = solid([...facets, facets[0]!]);
    for (const parts of [2, 3]) {
      const { one, shortcut } = await split(text, parts);
      expect(one.topology?.nonManifoldEdges).toBe(3);
      expect(one.topology?.openEdges).toBe(0);
      expect(shortcut).toBe(true);
    }
  });

  it("facets flipped on both sides of the cut: the inconsistent edges between them are counted once", async () => {
    const bytes = enc(torus);
    const cut = (await planAsciiCuts(bytes, 2))![1]!;
    // the facet index at the cut
    const at = facetsOf(torus.slice(0, cut)).length;
    const text = solid(facets.map((f, i) => (i === at - 1 || i === at || i === 0 ? flipped(f) : f)));
    const { one, shortcut } = await split(text, 2);
    expect(one.topology?.inconsistentEdges).toBeGreaterThan(0);
    expect(one.watertight).toBe(false);
    expect(shortcut).toBe(true);
  });

  it("degenerate triangles: collapsed ones, and a sliver that is degenerate only for a large tolerance", async () => {
    const [a, b] = verticesOf(facets[5]!) as [string, string, string];
    // a fin of two triangles on a new point beside a: closed, one shell, edge a–b non-manifold
    const near = a
      .split(" ")
      .map((t, k) => (k === 0 ? String(Math.fround(Number(t)) + 2 ** -17) : t))
      .join(" ");
    const extra = [facet(a, a, b), facet(b, b, b), facet(a, b, near), facet(a, near, b)];
    const text = solid([...facets, ...extra]);
    const plain = await split(text, 2);
    expect(plain.one.topology?.degenerateTriangles).toBe(2);
    expect(plain.shortcut).toBe(true);
    const wide = await split(text, 2, { weldTolerance: 10 });
    expect(wide.one.topology?.degenerateTriangles).toBe(4);
    expect(wide.shortcut).toBe(true);
  });

  it("more collapsed triangles than the ranges keep areas for: the joined mesh decides", async () => {
    const [a, b] = verticesOf(facets[7]!) as [string, string, string];
    const text = solid([...facets, ...Array.from({ length: 2100 }, () => facet(a, a, b))]);
    const { one, shortcut } = await split(text, 2);
    expect(one.topology?.degenerateTriangles).toBe(2100);
    expect(shortcut).toBe(false);
  });

  it("several shells, open edges, or ranges sharing most vertices: the joined mesh decides", async () => {
    const far = facets.map((f) =>
      f.replace(/vertex (\S+)/g, (_m, x: string) => `vertex ${String(Number(x) + 1000)}`),
    );
    const two = await split(solid([...facets, ...far]), 2);
    expect(two.one.shells).toBe(2);
    expect(two.shortcut).toBe(false);
    const open = await split(solid(facets.slice(0, -3)), 2);
    expect(open.one.topology?.openEdges).toBeGreaterThan(0);
    expect(open.shortcut).toBe(false);
    // every other facet first: both halves hold nearly every vertex
    const interleaved = solid([...facets.filter((_f, i) => i % 2 === 0), ...facets.filter((_f, i) => i % 2)]);
    const mixed = await split(interleaved, 2);
    expect(mixed.one.watertight).toBe(true);
    expect(mixed.shortcut).toBe(false);
  });
});
