import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../src/node/trace.ts";
import { asciiStl, torusStl } from "./fixtures.ts";

// the switch is read when the modules load (here and in each worker), so they are imported after it
process.env.KTIZO_QUOTE_TRACE = "1";
const { TRACE_CHANNEL } = await import("../src/node/trace.ts");
const { analyzeFile, createAnalysisPool } = await import("../src/node/index.ts");

describe("the pool's timeline (KTIZO_QUOTE_TRACE, bench/timeline.ts)", () => {
  const pool = createAnalysisPool({ size: 2, splitMinBytes: 64 * 1024 });
  const channel = new BroadcastChannel(TRACE_CHANNEL);
  let dir = "";
  afterAll(async () => {
    channel.close();
    await pool.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("posts dispatch, each range's read, parse and edges, and the finish, with thread CPU times", async () => {
    const events: TraceEvent[] = [];
    channel.onmessage = (m) => events.push((m as { data: TraceEvent }).data);
    dir = await mkdtemp(join(tmpdir(), "quote-trace-"));
    const path = join(dir, "torus.stl");
    await writeFile(path, asciiStl(torusStl(6000), "torus"));
    const split = await pool.analyzeFile(path);
    expect(split).toEqual({
      ...(await analyzeFile(path)),
      volumeMm3: split.volumeMm3,
      areaMm2: split.areaMm2,
    });
    // the last messages (the collections after the tasks are not waited for) arrive after the answer
    const want = ["analyze-file", "planned", "range-read", "range-parsed", "range-edges", "reply"];
    for (let i = 0; i < 200 && !want.every((w) => events.some((e) => e.event === w)); i++)
      await new Promise((r) => setTimeout(r, 10));
    const of = (event: string) => events.filter((e) => e.event === event);
    // the main thread plans and posts two ranges and the finish, and hears three replies
    expect(of("post").map((e) => [e.thread, e.detail?.kind])).toEqual([
      [0, "ascii-range"],
      [0, "ascii-range"],
      [0, "ascii-parts"],
    ]);
    expect(of("reply")).toHaveLength(3);
    // each range is read, parsed and classified in a worker of its own, in that order
    const workers = new Set(of("range-edges").map((e) => e.thread));
    expect(workers.size).toBe(2);
    expect([...workers].every((t) => t !== 0)).toBe(true);
    for (const thread of workers) {
      const mine = events.filter((e) => e.thread === thread && e.event.startsWith("range-"));
      expect(mine.map((e) => e.event)).toEqual(["range-read", "range-parsed", "range-edges"]);
      expect(mine[0]!.detail?.readWaitMs).toBeGreaterThanOrEqual(0);
      expect(mine[1]!.detail?.triangles).toBeGreaterThan(2000);
      // wall clock and this thread's CPU time only move forward
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i]!.t).toBeGreaterThanOrEqual(mine[i - 1]!.t);
        expect(mine[i]!.cpu).toBeGreaterThanOrEqual(mine[i - 1]!.cpu);
      }
    }
    const finish = of("task").find((e) => e.detail?.kind === "ascii-parts")!;
    expect(workers.has(finish.thread)).toBe(true);
  });
});
