import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { asciiStlChunks, torusStl } from "./fixtures.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../../..");

/**
 * The range workers collect their heaps after each large task (worker.ts). That collection used to find
 * no parser, welder or text cache alive, so V8 dropped their hidden classes and with them the optimized
 * code of the parse loop ("marking dependent code … for deoptimization, reason: weak objects"), and
 * every analysis started over in the interpreter. Now each worker keeps its last range's objects.
 */
describe("the split ASCII parse stays optimized from one analysis to the next", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("no parse or classification code is thrown away by the collections between analyses", async () => {
    dir = await mkdtemp(join(tmpdir(), "quote-jit-"));
    const path = join(dir, "torus.stl");
    // 240,124 triangles (the torus rounds to whole rings): each range is over the 100,000 after which a worker collects its heap
    const out = createWriteStream(path);
    for (const chunk of asciiStlChunks(torusStl(240_000), "torus")) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    await new Promise<void>((r) => out.end(() => r()));
    const stdout = await new Promise<string>((res, rej) =>
      execFile(
        process.execPath,
        ["--trace-deopt", "--import", "tsx", join(HERE, "jit/pool-runs.ts"), path, "5"],
        { cwd: ROOT, maxBuffer: 64 << 20 },
        (err, so, se) => (err ? rej(new Error(`${err.message}\n${se}`)) : res(so)),
      ),
    );
    const runs = stdout.split(/^==== analysis \d+: .*$/m);
    expect(stdout).toContain("==== analysis 4: 240124 triangles, watertight true");
    // after two analyses to warm up, the code V8 throws away for lost hidden classes, per analysis
    const hot =
      /SharedFunctionInfo (scan|fastFacet|find|weldCorner|weldOne|classify|rangeEdges|weldLast|joinShells|crossingEdges|crossingsIn|useEdge)>.*weak objects/;
    const dropped = runs.slice(2, 5).map((r) => r.split("\n").filter((l) => hot.test(l)).length);
    expect(dropped).toEqual([0, 0, 0]);
  }, 180_000);
});
