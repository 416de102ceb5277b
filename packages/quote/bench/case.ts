// One benchmark case in its own process, so peak RSS figures are not mixed.
// Usage: tsx bench/case.ts <case> <file> <runs>; prints one JSON line {times, maxRssKb, check}.
import { createReadStream, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { analyzeModel } from "../src/index.ts";
import { type AnalysisPool, analyzeFile, createAnalysisPool, zlibInflateRaw } from "../src/node/index.ts";

const [kind, file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);

async function floorRead(): Promise<number> {
  // read the file and make one pass over its bytes
  const b = readFileSync(file!);
  let s = 0;
  for (let i = 0; i < b.length; i++) s = (s + b[i]!) | 0;
  return s;
}

async function floorStream(): Promise<number> {
  let s = 0;
  for await (const chunk of createReadStream(file!, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) s = (s + chunk[i]!) | 0;
  }
  return s;
}

async function threeStl(): Promise<number> {
  const { STLLoader } = await import("three/examples/jsm/loaders/STLLoader.js");
  const b = readFileSync(file!);
  const geo = new STLLoader().parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const p = geo.getAttribute("position").array as Float32Array;
  let vol = 0;
  for (let i = 0; i < p.length; i += 9) {
    const ax = p[i]!;
    const ay = p[i + 1]!;
    const az = p[i + 2]!;
    const bx = p[i + 3]!;
    const by = p[i + 4]!;
    const bz = p[i + 5]!;
    const cx = p[i + 6]!;
    const cy = p[i + 7]!;
    const cz = p[i + 8]!;
    vol += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
  }
  return vol / 6;
}

// A warm pool as a server keeps one: one worker per core, started by the warm-up run.
const warm: { pool?: AnalysisPool } = {};
const warmPool = () => {
  warm.pool ??= createAnalysisPool({ size: availableParallelism() });
  return warm.pool;
};

const cases: Record<string, () => Promise<unknown>> = {
  floor: floorRead,
  "floor-stream": floorStream,
  measure: async () => analyzeModel(new Uint8Array(readFileSync(file!)), { topology: false }).volumeMm3,
  full: async () =>
    analyzeModel(new Uint8Array(readFileSync(file!)), { inflateRaw: zlibInflateRaw }).volumeMm3,
  "full-file": async () => (await analyzeFile(file!, { maxBytes: 1024 * 1024 * 1024 })).volumeMm3,
  "measure-file": async () =>
    (await analyzeFile(file!, { maxBytes: 1024 * 1024 * 1024, topology: false })).volumeMm3,
  "measure-pool": async () =>
    (await warmPool().analyzeFile(file!, { maxBytes: 1 << 30, topology: false })).volumeMm3,
  "full-pool": async () => (await warmPool().analyzeFile(file!, { maxBytes: 1 << 30 })).volumeMm3,
  "full-fflate": async () => analyzeModel(new Uint8Array(readFileSync(file!))).volumeMm3,
  three: threeStl,
};

const fn = cases[kind!];
if (!fn) throw new Error(`unknown case ${kind}`);
let check: unknown = await fn(); // warm-up
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  check = await fn();
  times.push(performance.now() - t);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
}
await warm.pool?.close();
process.stdout.write(`${JSON.stringify({ times, cpu, maxRssKb: process.resourceUsage().maxRSS, check })}\n`);
