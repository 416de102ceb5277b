import { readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeModel, type ModelAnalysis, type QuoteError } from "../src/index.ts";
import { analyzeFile, createAnalysisPool } from "../src/node/index.ts";
import { CORPUS, corpusFile } from "./corpus.ts";
import { asciiStl, asciiStlChunks, torusStl } from "./fixtures.ts";
import { pyRepr } from "./number-forms.ts";

describe("analysis pool (worker_threads)", () => {
  const pool = createAnalysisPool({ size: 1, maxQueue: 2 });
  afterAll(() => pool.close());

  it("answers a quick request while a large analysis runs in a worker", async () => {
    const large = torusStl(1_000_000); // ~50 MB binary STL
    const events: string[] = [];
    const server = createServer(async (req, res) => {
      if (req.url === "/analyze") {
        const a = await pool.analyze(large.slice());
        events.push("analysis resolved");
        res.end(JSON.stringify({ triangles: a.triangles }));
      } else {
        res.end("pong");
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const analysis = fetch(`${base}/analyze`).then((r) => r.json());
      // wait until the job is with the pool, then ask the quick route
      while (pool.pending === 0) await new Promise((r) => setTimeout(r, 5));
      const pong = await fetch(`${base}/ping`).then((r) => r.text());
      events.push("quick response");
      expect(pong).toBe("pong");
      expect(pool.pending).toBe(1); // the analysis is still running
      const result = (await analysis) as { triangles: number };
      expect(result.triangles).toBeGreaterThan(990_000);
      expect(events).toEqual(["quick response", "analysis resolved"]);
    } finally {
      server.close();
    }
  }, 120_000);

  it("gives the same result as the in-process analysis and propagates error codes", async () => {
    const bytes = corpusFile("3mf/models/3mf-samples_cube_gears.3mf");
    const here = analyzeModel(bytes);
    const there = await pool.analyze(bytes.slice());
    expect(there).toEqual(here);
    await expect(pool.analyze(new Uint8Array(0))).rejects.toMatchObject({ code: "EMPTY_FILE" });
  }, 60_000);

  it("bounds its queue", async () => {
    const small = corpusFile("stl/trimesh_unit_cube.STL");
    const jobs = [0, 1, 2, 3, 4].map(() =>
      pool.analyze(small.slice()).then(
        () => "ok",
        (e: QuoteError) => e.code,
      ),
    );
    const results = await Promise.all(jobs);
    expect(results).toContain("QUEUE_FULL");
    expect(results).toContain("ok");
  }, 60_000);
});

describe("analyzeFile", () => {
  let dir = "";
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));
  it("streams ASCII STL and matches the in-memory result; refuses oversize files before reading", async () => {
    dir = await mkdtemp(join(tmpdir(), "quote-"));
    const f = "stl/numpy-stl_stl_tests_bwb.stl";
    const a = await analyzeFile(await copy(f));
    expect(a).toEqual(analyzeModel(corpusFile(f)));
    await expect(analyzeFile(await copy(f), { maxBytes: 1000 })).rejects.toMatchObject({
      code: "FILE_TOO_LARGE",
    });
    const three = await analyzeFile(await copy("3mf/models/3DBenchy.3mf"));
    expect(three.triangles).toBe(225154);
  });
  async function copy(rel: string): Promise<string> {
    const p = join(dir, rel.replaceAll("/", "_"));
    await writeFile(p, corpusFile(rel));
    return p;
  }
});

describe("pool.analyzeFile: a large ASCII STL split across workers", () => {
  let dir = "";
  const pool = createAnalysisPool({ size: 3, splitMinBytes: 64 * 1024 });
  afterAll(async () => {
    await pool.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  async function write(name: string, text: string): Promise<string> {
    dir ||= await mkdtemp(join(tmpdir(), "quote-split-"));
    const p = join(dir, name);
    await writeFile(p, text);
    return p;
  }
  const torus = asciiStl(torusStl(6000), "torus");
  /** Equal but for the last bits of the volume and area sums, which add up in a different order. */
  function expectSameAnalysis(split: ModelAnalysis, one: ModelAnalysis) {
    expect({ ...split, volumeMm3: 0, areaMm2: 0 }).toEqual({ ...one, volumeMm3: 0, areaMm2: 0 });
    expect(Math.abs(split.volumeMm3 / one.volumeMm3 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(split.areaMm2 / one.areaMm2 - 1)).toBeLessThan(1e-12);
  }

  it("gives the single-threaded result: counts, topology, bbox exact; sums to float64 rounding", async () => {
    const path = await write("torus.stl", torus);
    const one = await analyzeFile(path);
    const split = await pool.analyzeFile(path);
    expect(pool.stats).toEqual({ splitFiles: 1, splitFallbacks: 0, streamed: 0, streamBuffers: 0 });
    expect(split.triangles).toBeGreaterThan(5000);
    expectSameAnalysis(split, one);
    expect(split.watertight).toBe(true);
    // measuring only: no positions kept, same figures (in inches here)
    const measured = await pool.analyzeFile(path, { topology: false, units: "inch" });
    expect(measured.bbox.size.x).toBeCloseTo(one.bbox.size.x * 25.4, 6);
    expect(measured.volumeMm3 / (one.volumeMm3 * 25.4 ** 3)).toBeCloseTo(1, 12);
    const inMemory = analyzeModel(new TextEncoder().encode(torus), { topology: false });
    expect(inMemory.volumeMm3 / one.volumeMm3).toBeCloseTo(1, 12);
    expect(inMemory.areaMm2 / one.areaMm2).toBeCloseTo(1, 12);
    expect(inMemory.bbox).toEqual(one.bbox);
  });

  it("splits bytes in memory the same way (the upload path)", async () => {
    const bytes = new TextEncoder().encode(torus);
    const one = analyzeModel(bytes);
    const before = { ...pool.stats };
    expectSameAnalysis(await pool.analyze(bytes.slice()), one);
    expect(pool.stats).toEqual({ ...before, splitFiles: before.splitFiles + 1 });
    const broken = bytes.slice();
    broken.set(new TextEncoder().encode("vertex x"), torus.indexOf("vertex", (torus.length * 2) / 3));
    const refused = (e: QuoteError) => e;
    const single = await Promise.resolve()
      .then(() => analyzeModel(broken))
      .then(() => null, refused);
    expect(single).toMatchObject({ code: "STL_PARSE_ERROR" });
    await expect(pool.analyze(broken)).rejects.toMatchObject({
      code: single?.code,
      message: single?.message,
    });
  });

  it("keeps several solids and keywords in any case", async () => {
    const half = torus.length >> 1;
    const cut = torus.indexOf(" facet normal", half);
    const text = `${torus.slice(0, cut)}endsolid torus\nSOLID second\n${torus.slice(cut).toUpperCase()}`;
    const path = await write("two-solids.stl", text);
    const split = await pool.analyzeFile(path);
    expect(split.triangles).toBe(torus.split("endfacet").length - 1);
    expectSameAnalysis(split, await analyzeFile(path));
  });

  it("is not fooled by a solid named like a facet: the result is the one-piece parse", async () => {
    // a solid whose name reads "facet normal …", placed so that the first cut lands on that name
    let pad = 0;
    let text = "";
    for (;;) {
      const line = `endsolid x\nsolid ${"n".repeat(pad)} facet normal 1 2 3\n`;
      const cut = Math.floor((torus.length + line.length) / 3) + 1; // where the split starts looking
      const at = torus.lastIndexOf(" facet normal", cut);
      const fakeFacet = at + line.indexOf("facet normal");
      if (fakeFacet >= cut) {
        text = `${torus.slice(0, at)}${line}${torus.slice(at)}`;
        break;
      }
      pad += cut - fakeFacet;
    }
    const path = await write("tricky.stl", text);
    const before = { ...pool.stats };
    const split = await pool.analyzeFile(path);
    expect(pool.stats).toEqual({
      ...before,
      splitFiles: before.splitFiles + 1,
      splitFallbacks: before.splitFallbacks + 1,
    });
    expectSameAnalysis(split, await analyzeFile(path));
    expect(split.triangles).toBe(torus.split("endfacet").length - 1);
  });

  it("reports a broken facet deep in the file exactly as the one-piece parse does", async () => {
    const at = torus.indexOf("vertex", (torus.length * 3) / 4);
    const path = await write("broken.stl", `${torus.slice(0, at)}vertex 1 2 oops${torus.slice(at + 20)}`);
    const refused = (e: QuoteError) => e;
    const single = await analyzeFile(path).then(() => null, refused);
    const split = await pool.analyzeFile(path).then(() => null, refused);
    expect(single).toMatchObject({ code: "STL_PARSE_ERROR" });
    expect(split).toMatchObject({ code: single?.code, message: single?.message });
  });

  it("applies the triangle limit to the whole file, not to each range", async () => {
    const path = await write("limit.stl", torus);
    const one = await analyzeFile(path);
    await expect(pool.analyzeFile(path, { maxTriangles: one.triangles - 1 })).rejects.toMatchObject({
      code: "TOO_MANY_TRIANGLES",
    });
    await expect(pool.analyzeFile(path, { maxBytes: 1000 })).rejects.toMatchObject({
      code: "FILE_TOO_LARGE",
    });
  });
});

describe("analyzeFile errors", () => {
  it("a missing file is FILE_UNREADABLE", async () => {
    await expect(analyzeFile("/nonexistent/model.stl")).rejects.toMatchObject({ code: "FILE_UNREADABLE" });
  });
});

describe("the split parse welds each range and joins the welds: the one-piece topology on every model", () => {
  // two workers, and every ASCII STL is split however small, so each range is welded on its own
  const pool = createAnalysisPool({ size: 2, splitMinBytes: 1 });
  afterAll(() => pool.close());
  function expectSame(split: ModelAnalysis, one: ModelAnalysis, label: string) {
    expect({ ...split, volumeMm3: 0, areaMm2: 0 }, label).toEqual({ ...one, volumeMm3: 0, areaMm2: 0 });
    expect(Math.abs(split.volumeMm3 - one.volumeMm3), label).toBeLessThanOrEqual(
      1e-12 * Math.max(1, one.volumeMm3),
    );
    expect(Math.abs(split.areaMm2 / one.areaMm2 - 1), label).toBeLessThan(1e-12);
  }
  const files = readdirSync(join(CORPUS, "stl")).filter((f) => f.endsWith(".stl"));

  it("corpus STL files (open, non-manifold, flipped, several shells, near-duplicate vertices)", async () => {
    let split = 0;
    let notWatertight = 0;
    for (const f of files) {
      const raw = corpusFile(`stl/${f}`);
      let one: ModelAnalysis;
      try {
        one = analyzeModel(raw);
      } catch {
        continue; // refused files are covered by corpus.test.ts
      }
      // binary files as full-precision ASCII, so the text holds the same float32 values
      const text =
        one.format === "stl-ascii"
          ? raw
          : new TextEncoder().encode([...asciiStlChunks(raw, "m", 1 << 20, pyRepr)].join(""));
      const whole = analyzeModel(text);
      if (whole.triangles < 2) continue;
      const before = pool.stats.splitFiles;
      const fallbacks = pool.stats.splitFallbacks;
      const got = await pool.analyze(text.slice());
      if (pool.stats.splitFiles === before || pool.stats.splitFallbacks !== fallbacks) continue;
      split++;
      if (!whole.watertight) notWatertight++;
      expectSame(got, whole, f);
    }
    // the corpus has both kinds, and most of its files were really split
    expect(split).toBeGreaterThan(files.length / 2);
    expect(notWatertight).toBeGreaterThan(3);
  });

  it("-0 in one range and 0 in the other are one vertex; near-duplicates are welded within tolerance", async () => {
    const torus = asciiStl(torusStl(6000), "torus");
    const half = torus.length >> 1;
    // exact zeros written as -0 in the second half only
    const signed = torus.slice(0, half) + torus.slice(half).replaceAll(" 0.000000e+00", " -0.000000e+00");
    expect(signed).not.toBe(torus);
    // and one vertex nudged by a hair in the second half: the tolerance weld must still close the mesh
    const at = signed.indexOf("vertex", half + 1000);
    const line = signed.slice(at, signed.indexOf("\n", at));
    const [x, y, z] = line.split(/\s+/).slice(1).map(Number);
    const nudged = `vertex ${(x! * (1 + 1e-9)).toExponential(12)} ${y} ${z}`;
    const text = signed.slice(0, at) + nudged + signed.slice(at + line.length);
    for (const model of [signed, text]) {
      const bytes = new TextEncoder().encode(model);
      const one = analyzeModel(bytes);
      const before = { ...pool.stats };
      const got = await pool.analyze(bytes.slice());
      expect(pool.stats.splitFiles).toBe(before.splitFiles + 1);
      expect(pool.stats.splitFallbacks).toBe(before.splitFallbacks);
      expectSame(got, one, model === text ? "nudged" : "signed zeros");
      expect(got.topology?.vertices).toBe(analyzeModel(new TextEncoder().encode(torus)).topology?.vertices);
      expect(got.watertight).toBe(true);
    }
  });
});
