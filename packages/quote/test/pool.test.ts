import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeModel, type QuoteError } from "../src/index.ts";
import { analyzeFile, createAnalysisPool } from "../src/node/index.ts";
import { corpusFile } from "./corpus.ts";
import { torusStl } from "./fixtures.ts";

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

describe("analyzeFile errors", () => {
  it("a missing file is FILE_UNREADABLE", async () => {
    await expect(analyzeFile("/nonexistent/model.stl")).rejects.toMatchObject({ code: "FILE_UNREADABLE" });
  });
});
