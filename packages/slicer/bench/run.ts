// pnpm bench:slice — slicing throughput and latency with the real PrusaSlicer on corpus models.
//  1. one worker, one model at a time: median and p95 wall time per slice and slices per minute, against
//     the floor of PrusaSlicer slicing the same STL with the same profile directly (no sandbox, no parse);
//  2. 10 uploads at once through the worker loop (claim → slice → store, on an embedded database) with
//     SLICE_BENCH_WORKERS workers (default: the number of cores): share sliced within 30 s of upload.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createLocalDiskStorage, systemClock } from "@ktizo/services";
import { corpusModelPath } from "@ktizo/testing";
import { detectSlicer } from "../src/detect.ts";
import { parseMesh } from "../src/mesh.ts";
import { printerFromPreset, profileForPrinter } from "../src/printer-profile.ts";
import { PRINTER_PRESETS } from "../src/settings.ts";
import { prepareSlice, sliceMesh } from "../src/slice.ts";
import { sliceWaitingUploads } from "../src/worker.ts";

const MODELS = [
  "stl/trimesh_20mm-xyz-cube.stl",
  "stl/3DBenchy_part_Cargo_box.stl",
  "stl/3DBenchy_part_Chimney_body.stl",
  "stl/3DBenchy_part_Wheel.stl",
  "stl/admesh_conveyor_basic.stl",
  "3mf/models/3mf-samples_cube_gears.3mf",
  "3mf/models/3mf-samples_torus.3mf",
  "3mf/models/3DBenchy.3mf",
];
const CONCURRENT = 10;
const WORKERS = Number(process.env.SLICE_BENCH_WORKERS ?? availableParallelism());

const slicer = await detectSlicer();
if (!slicer.available) {
  console.error(`bench:slice needs PrusaSlicer (${slicer.reason}): apt-get install prusa-slicer`);
  process.exit(1);
}
const mk4 = PRINTER_PRESETS.find((p) => p.id === "prusa-mk4")!;
const profile = profileForPrinter(printerFromPreset(mk4))!;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (n: number) => n.toFixed(0).padStart(7);

// 1. One worker, one slice at a time, each model twice (the first run warms the page cache).
const work = mkdtempSync(join(tmpdir(), "ktizo-slice-bench-"));
const ours: number[] = [];
const floor: number[] = [];
console.log(`model                                       ktizo ms   floor ms   peak MB   time       grams`);
for (const rel of MODELS) {
  const mesh = parseMesh(readFileSync(corpusModelPath(rel)));
  const prepared = prepareSlice(mesh, profile);
  writeFileSync(join(work, "model.stl"), prepared.stl);
  writeFileSync(join(work, "profile.ini"), prepared.ini);
  for (let run = 0; run < 2; run++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) =>
      execFile(
        slicer.path,
        [
          "--export-gcode",
          "--load",
          join(work, "profile.ini"),
          "-o",
          join(work, "out.gcode"),
          join(work, "model.stl"),
        ],
        { maxBuffer: 64 << 20 },
        // a model the slicer refuses still costs its time: measured either way
        () => resolve(),
      ),
    );
    const direct = performance.now() - t0;
    const t1 = performance.now();
    // What the worker does: parse the upload, write STL and profile, sandboxed slice, read the G-code.
    const outcome = await sliceMesh(parseMesh(readFileSync(corpusModelPath(rel))), profile, slicer);
    const total = performance.now() - t1;
    if (run === 0) continue;
    ours.push(total);
    floor.push(direct);
    const f = outcome.figures;
    const time = f
      ? `${Math.floor(f.printSeconds / 3600)}h ${Math.round((f.printSeconds % 3600) / 60)}m`
      : "-";
    console.log(
      `${rel.padEnd(42)} ${fmt(total)}    ${fmt(direct)}   ${fmt(outcome.peakMemoryBytes / 2 ** 20)}   ${time.padEnd(9)} ${f ? f.filamentG.toFixed(2) : outcome.errorClass}`,
    );
  }
}
rmSync(work, { recursive: true, force: true });
const mean = ours.reduce((a, b) => a + b, 0) / ours.length;
console.log(
  `\none worker: median ${percentile(ours, 50).toFixed(0)} ms, p95 ${percentile(ours, 95).toFixed(0)} ms per slice, ${(60_000 / mean).toFixed(1)} slices/min; ` +
    `floor (PrusaSlicer alone) median ${percentile(floor, 50).toFixed(0)} ms, p95 ${percentile(floor, 95).toFixed(0)} ms; ` +
    `× floor (median) ${(percentile(ours, 50) / percentile(floor, 50)).toFixed(2)}`,
);

// 2. Ten uploads at once, sliced by the worker loop for one listed printer.
const handle = await createTestDb();
const dataDir = mkdtempSync(join(tmpdir(), "ktizo-slice-bench-db-"));
const storage = createLocalDiskStorage({ dataDir, maxBytes: 100 * 2 ** 20 });
await handle.db
  .insertInto("organization")
  .values({ id: "org_bench", name: "Bench", slug: "bench" })
  .execute();
await handle.db.insertInto("shopSettings").values({ organizationId: "org_bench", listed: true }).execute();
await handle.db
  .insertInto("printer")
  .values({
    id: "prn_bench",
    organizationId: "org_bench",
    name: "MK4",
    technology: "fdm",
    buildWidthMm: mk4.buildVolumeMm.x,
    buildDepthMm: mk4.buildVolumeMm.y,
    buildHeightMm: mk4.buildVolumeMm.z,
    layerHeightsMm: JSON.stringify(mk4.layerHeightsMm),
    nozzleMm: mk4.nozzleMm,
    hourlyRateMinor: 300,
    slicerSettings: JSON.stringify(mk4.settings),
  })
  .execute();
const uploadedAt = new Date();
for (let i = 0; i < CONCURRENT; i++) {
  const rel = MODELS[i % MODELS.length]!;
  // Each upload is a different mesh (scaled), so nothing comes from the cache.
  const mesh = parseMesh(readFileSync(corpusModelPath(rel)));
  for (let k = 0; k < mesh.positions.length; k++) mesh.positions[k]! *= 1 + i / 100;
  const stored = await storage.put({
    bytes: prepareSlice(mesh, profile).stl,
    contentType: "model/stl",
    fileName: `${i}.stl`,
  });
  await handle.db
    .insertInto("modelUpload")
    .values({
      id: newId("upl"),
      uploadSessionId: "bench",
      storageKey: stored.key,
      fileName: `${i}.stl`,
      contentType: "model/stl",
      sizeBytes: stored.size,
      analysis: JSON.stringify({ units: "millimeter" }),
      createdAt: uploadedAt,
    })
    .execute();
}
const stopping = new AbortController();
const deps = { db: handle.db, storage, clock: systemClock, slicer };
const workers = Array.from({ length: WORKERS }, () =>
  sliceWaitingUploads(deps, { budgetMs: 600_000, pollMs: 200, signal: stopping.signal }),
);
for (;;) {
  const finished = await handle.db
    .selectFrom("modelSlice")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("finishedAt", "is not", null)
    .executeTakeFirstOrThrow();
  if (Number(finished.n) >= CONCURRENT) break;
  await new Promise((r) => setTimeout(r, 200));
}
stopping.abort();
await Promise.all(workers);
const rows = await handle.db.selectFrom("modelSlice").select(["status", "finishedAt", "wallMs"]).execute();
const latencies = rows.map((r) => (r.finishedAt!.getTime() - uploadedAt.getTime()) / 1000);
const within = latencies.filter((s) => s <= 30).length;
console.log(
  `${CONCURRENT} uploads at once, ${WORKERS} worker(s): ${within}/${CONCURRENT} (${((100 * within) / CONCURRENT).toFixed(0)} %) sliced within 30 s of upload; ` +
    `last after ${Math.max(...latencies).toFixed(1)} s; ${rows.filter((r) => r.status === "sliced").length} sliced, ` +
    `${rows.filter((r) => r.status === "failed").length} failed`,
);
console.log(
  `PrusaSlicer ${slicer.version}; Node ${process.version}; ${availableParallelism()} cores; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
await handle.close();
rmSync(dataDir, { recursive: true, force: true });
