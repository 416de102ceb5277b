// Where the wall time of the server's ASCII path goes: one warm pool (a worker per core), the file
// analysed with topology (as `case.ts full-pool`), each run printed as a timeline of the main thread
// and both workers (dispatch, each range's reads, parse, own edges, the finish, collections) with
// every thread's CPU time and time runnable-but-waiting for a core (/proc, Linux), and the floor
// (`floor-stream`) timed in the same process between runs.
// Usage: node --import tsx packages/quote/bench/timeline.ts [file] [runs]
import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { BroadcastChannel } from "node:worker_threads";

process.env.KTIZO_QUOTE_TRACE = "1";
const { TRACE_CHANNEL, threadTimes } = await import("../src/node/trace.ts");
type TraceEvent = import("../src/node/trace.ts").TraceEvent;
const { createAnalysisPool } = await import("../src/node/index.ts");

const file = process.argv[2] ?? join(tmpdir(), "ktizo-quote-torus-1000000-v2-ascii.stl");
const runs = Number(process.argv[3] ?? 5);

/** Every thread of this process: OS id -> [CPU ms, runnable-waiting ms]. */
function threads(): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (const t of readdirSync("/proc/self/task")) {
    try {
      const [run, wait] = readFileSync(`/proc/self/task/${t}/schedstat`, "utf8").split(" ");
      m.set(Number(t), [Number(run) / 1e6, Number(wait) / 1e6]);
    } catch {}
  }
  return m;
}

// the threads V8 and Node start with (V8's platform workers run the GC's parallel and concurrent
// tasks), then libuv's pool (started by the first file operation: it reads the file for the ranges)
const mainTid = process.pid;
const atStart = new Set(threads().keys());
await stat(file);
const libuv = new Set([...threads().keys()].filter((t) => !atStart.has(t)));
const platform = new Set([...atStart].filter((t) => t !== mainTid));

const events: TraceEvent[] = [];
const channel = new BroadcastChannel(TRACE_CHANNEL);
channel.onmessage = (m) => events.push((m as { data: TraceEvent }).data);

const pool = createAnalysisPool({ size: 2 });
const analyze = () => pool.analyzeFile(file, { maxBytes: 1 << 30 });

async function floorStream(): Promise<number> {
  let s = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) s = (s + chunk[i]!) | 0;
  }
  return s;
}

const settle = () => new Promise((r) => setTimeout(r, 300));
await analyze(); // warm-up: starts the workers
await floorStream();
await settle();

// helpers: V8's platform threads (optimizing compiler, GC) and, when the loader had started it
// before the first file operation here, libuv's pool (the range reads)
const classOf = (tid: number, workers: Map<number, string>): string =>
  tid === mainTid
    ? "main"
    : (workers.get(tid) ?? (platform.has(tid) ? "helpers" : libuv.has(tid) ? "libuv (reads)" : "other"));

const f = (x: number) => x.toFixed(1).padStart(7);
const summary: string[] = [];
for (let r = 0; r < runs; r++) {
  // the floor, in this process, right before
  const [fc0] = threadTimes();
  const ft0 = performance.now();
  await floorStream();
  const floorMs = performance.now() - ft0;
  const floorCpu = threadTimes()[0] - fc0;
  await settle();

  events.length = 0;
  const before = threads();
  const t0 = performance.timeOrigin + performance.now();
  const result = await analyze();
  const t1 = performance.timeOrigin + performance.now();
  await settle(); // the collections after the tasks, and the last trace messages
  const after = threads();
  const wall = t1 - t0;

  // the workers by their OS ids, in the order their first range was posted
  const workers = new Map<number, string>();
  const byThread = new Map<number, number>();
  for (const e of events) if (e.thread !== 0 && !byThread.has(e.thread)) byThread.set(e.thread, e.tid);
  const rangeOf = new Map<number, string>();
  for (const e of events)
    if (e.event === "task" && e.detail?.kind === "ascii-range" && !rangeOf.has(e.thread))
      rangeOf.set(e.thread, `worker ${rangeOf.size + 1}`);
  for (const [thread, tid] of byThread) workers.set(tid, rangeOf.get(thread) ?? `worker t${thread}`);

  console.log(
    `\nrun ${r + 1}: wall ${wall.toFixed(1)} ms, floor-stream ${floorMs.toFixed(1)} ms (CPU ${floorCpu.toFixed(1)}), ` +
      `ratio ${(wall / floorMs).toFixed(2)}; load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}; ${result.triangles} triangles, ${result.topology?.vertices} vertices`,
  );
  console.log("   t ms  thread       event            thread CPU ms  waiting ms  detail");
  const first = new Map<number, [number, number]>();
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    const who = e.thread === 0 ? "main" : (workers.get(e.tid) ?? `t${e.thread}`);
    if (e.event !== "gc" && !first.has(e.tid)) first.set(e.tid, [e.cpu, e.wait]);
    const [c0, w0] = first.get(e.tid) ?? [0, 0];
    const d = e.detail
      ? Object.entries(e.detail)
          .map(([k, v]) => `${k}=${typeof v === "number" ? Math.round(v * 10) / 10 : v}`)
          .join(" ")
      : "";
    const cpu = e.event === "gc" ? "" : f(e.cpu - c0);
    const wait = e.event === "gc" ? "" : f(e.wait - w0);
    console.log(
      `${f(e.t - t0)}  ${who.padEnd(11)}  ${e.event.padEnd(15)}  ${cpu.padStart(13)}  ${wait.padStart(10)}  ${d}`,
    );
  }
  // CPU and runnable-waiting time of every thread over the run (and the collections after it)
  const totals = new Map<string, [number, number]>();
  for (const [tid, [run, wait]] of after) {
    const [r0, w0] = before.get(tid) ?? [0, 0];
    const k = classOf(tid, workers);
    const acc = totals.get(k) ?? [0, 0];
    acc[0] += run - r0;
    acc[1] += wait - w0;
    totals.set(k, acc);
  }
  let all = 0;
  const parts: string[] = [];
  for (const [k, [run, wait]] of [...totals].sort()) {
    all += run;
    parts.push(`${k} ${run.toFixed(0)} (waiting ${wait.toFixed(0)})`);
  }
  console.log(`   CPU ms by thread: ${parts.join(", ")}; all ${all.toFixed(0)}`);
  // the critical path: each task from its arrival in a worker to its answer (wall, own CPU, waiting)
  const span = (id: unknown) => {
    const a = events.find((e) => e.event === "task" && e.detail?.id === id);
    const b = events.find((e) => e.event === "done" && e.detail?.id === id);
    return a && b ? { wall: b.t - a.t, cpu: b.cpu - a.cpu, wait: b.wait - a.wait, end: b.t - t0 } : null;
  };
  const posts = events.filter((e) => e.event === "post" && e.thread === 0);
  const tasks = posts.map((p) => ({ kind: p.detail?.kind, ...span(p.detail?.id) }));
  const ranges = tasks.filter((t) => t.kind === "ascii-range");
  const fin = tasks.find((t) => t.kind === "ascii-parts");
  const fmt = (t: { wall?: number; cpu?: number; wait?: number } | undefined) =>
    t?.wall === undefined
      ? "?"
      : `${t.wall.toFixed(0)} (CPU ${t.cpu!.toFixed(0)}, waiting ${t.wait!.toFixed(0)})`;
  const lastRange = Math.max(...ranges.map((t) => t.end ?? 0));
  console.log(
    `   ranges ${ranges.map(fmt).join(", ")} ms, the last ends at ${lastRange.toFixed(0)}; finish ${fmt(fin)} ms; ` +
      `from the last answer to the result ${(wall - (fin?.end ?? wall)).toFixed(1)} ms`,
  );
  summary.push(
    `${(wall / floorMs).toFixed(2)}× (${wall.toFixed(0)} / ${floorMs.toFixed(0)} ms), CPU all threads ${all.toFixed(0)}; ` +
      `ranges ${ranges.map((t) => t.cpu?.toFixed(0)).join(" / ")} CPU ms, finish ${fin?.wall?.toFixed(0)} ms (CPU ${fin?.cpu?.toFixed(0)})`,
  );
}
console.log(`\n${summary.join("\n")}`);
await pool.close();
channel.close();
