import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corpusModelPath, requireOrSkip } from "@ktizo/testing";
import { afterAll, describe, expect, it } from "vitest";
import { binaryStl, box, hostile3mf, octahedronOnTip, TEST_FFF, TEST_SLA } from "../test/models.ts";
import { detectSlicer } from "./detect.ts";
import { parseMesh } from "./mesh.ts";
import { printerFromPreset, profileForPrinter } from "./printer-profile.ts";
import { writeIni } from "./profile.ts";
import { DEFAULT_LIMITS, runSandboxed } from "./sandbox.ts";
import { PRINTER_PRESETS } from "./settings.ts";
import { type AvailableSlicer, sliceMesh } from "./slice.ts";

// The real PrusaSlicer, on small models so the file stays fast. Without it: skipped loudly (CI: fails).
const info = await detectSlicer();
const slicer = info.available ? info : (null as unknown as AvailableSlicer);
const work = mkdtempSync(join(tmpdir(), "ktizo-slicer-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const scratchDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("ktizo-slice-"));
const sumRoles = (perRole: Record<string, { mm: number }>) =>
  Object.values(perRole).reduce((sum, role) => sum + role.mm, 0);

describe.runIf(requireOrSkip("slicer tests", info.available ? null : `prusa-slicer ${info.reason}`))(
  "slicing with PrusaSlicer in the sandbox",
  () => {
    it("slices a corpus model: time, filament, layers and per-role filament that sums to the total", async () => {
      const before = new Set(scratchDirs());
      const mesh = parseMesh(readFileSync(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl")));
      const outcome = await sliceMesh(mesh, TEST_FFF, slicer);
      expect(outcome).toMatchObject({
        errorClass: null,
        exitCode: 0,
        slicerName: "PrusaSlicer",
        profileVersion: 1,
      });
      const f = outcome.figures!;
      expect(f.printSeconds).toBeGreaterThan(60);
      // 20 mm at 0.3 mm layers (first layer 0.3): 67 layers.
      expect(f.layers).toBe(Math.round(20 / 0.3));
      expect(f.filamentG).toBeCloseTo(f.filamentCm3 * 1.24, 1);
      expect(f.filamentCm3).toBeCloseTo((f.filamentMm! * Math.PI * 0.875 ** 2) / 1000, 1);
      expect(Math.abs(sumRoles(f.perRole) - f.filamentMm!)).toBeLessThanOrEqual(0.01);
      expect(Object.keys(f.perRole)).toEqual(
        expect.arrayContaining(["External perimeter", "Internal infill"]),
      );
      expect(outcome.wallMs).toBeGreaterThan(0);
      expect(outcome.peakMemoryBytes).toBeGreaterThan(20 * 1024 * 1024);
      expect(outcome.meshHash).toMatch(/^[0-9a-f]{64}$/);
      // The scratch directory is gone.
      expect(scratchDirs().filter((d) => !before.has(d))).toEqual([]);
    });

    it("a 3MF's post_process command and per-object settings never reach the slicer", async () => {
      const geometry = box(20, 20, 10);
      const marker = join(work, "pwned");
      const hostile = hostile3mf(geometry, `touch ${marker}`);
      // Control: handed to PrusaSlicer directly with a profile that lacks post_process, the file runs
      // its command and its per-object settings change the filament used, so the file is live.
      const control = join(work, "control");
      rmSync(control, { recursive: true, force: true });
      writeFileSync(join(work, "hostile.3mf"), hostile);
      const partial = writeIni(TEST_FFF).replace(/^post_process = .*\n/m, "");
      writeFileSync(join(work, "partial.ini"), partial);
      const direct = await runSandboxed(
        [
          slicer.path,
          "--export-gcode",
          "--load",
          join(work, "partial.ini"),
          "-o",
          join(work, "direct.gcode"),
          join(work, "hostile.3mf"),
        ],
        { cwd: work, limits: DEFAULT_LIMITS, isolateNetwork: slicer.networkIsolated },
      );
      expect(direct.exitCode).toBe(0);
      expect(existsSync(marker)).toBe(true);
      const directGrams = Number(
        /; filament used \[g\] = ([\d.]+)/.exec(readFileSync(join(work, "direct.gcode"), "utf8"))![1],
      );
      rmSync(marker);

      // Ktizo's path: the 3MF is parsed for its triangles only; the slicer gets Ktizo's STL and profile.
      const fromHostile = await sliceMesh(parseMesh(hostile), TEST_FFF, slicer);
      const plain = await sliceMesh(parseMesh(binaryStl(geometry)), TEST_FFF, slicer);
      expect(existsSync(marker)).toBe(false);
      expect(fromHostile.errorClass).toBeNull();
      expect(fromHostile.meshHash).toBe(plain.meshHash);
      expect(fromHostile.figures).toEqual(plain.figures);
      expect(Math.abs(plain.figures!.filamentG - directGrams)).toBeGreaterThan(0.5);
    });

    it("the printer's own speeds change the sliced time (profiles from the shop's data)", async () => {
      const preset = (id: string) =>
        profileForPrinter({
          ...printerFromPreset(PRINTER_PRESETS.find((p) => p.id === id)!),
          layerHeightsMm: [0.2],
        })!;
      const mesh = parseMesh(readFileSync(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl")));
      const fast = await sliceMesh(mesh, preset("bambu-x1c"), slicer);
      const slow = await sliceMesh(mesh, preset("creality-ender3-v2"), slicer);
      expect(fast.figures!.printSeconds).toBeLessThan(slow.figures!.printSeconds);
      // Same shape and layers: the same filament, within the footer's rounding.
      expect(fast.figures!.filamentG).toBeCloseTo(slow.figures!.filamentG, 0);
    });

    it("refuses a model larger than the bed before slicing (PrusaSlicer would abort)", async () => {
      const outcome = await sliceMesh(parseMesh(binaryStl(box(300, 20, 20))), TEST_FFF, slicer);
      expect(outcome).toMatchObject({ errorClass: "does_not_fit", exitCode: null, figures: null });
      expect(outcome.message).toMatch(/larger than this printer/);
    });

    it("classifies flat, too-thin and point-down models", async () => {
      const flat = await sliceMesh(parseMesh(binaryStl(box(20, 20, 0))), TEST_FFF, slicer);
      expect(flat).toMatchObject({ errorClass: "no_layers", exitCode: null });
      // A 0.1 mm pin (an inch-scale or micro model): the slicer itself finds nothing to print.
      const micro = await sliceMesh(parseMesh(binaryStl(box(0.1, 0.1, 2))), TEST_FFF, slicer);
      expect(micro).toMatchObject({ errorClass: "no_layers", exitCode: 1 });
      const tip = await sliceMesh(parseMesh(binaryStl(octahedronOnTip(8))), TEST_FFF, slicer);
      expect(tip).toMatchObject({ errorClass: "nothing_on_bed", exitCode: 1 });
      expect(tip.message).toMatch(/sits flat on the print bed/);
    });

    it("kills the slicer's process group at the timeout and cleans up", async () => {
      const before = new Set(scratchDirs());
      const mesh = parseMesh(readFileSync(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl")));
      const outcome = await sliceMesh(mesh, TEST_FFF, slicer, { timeoutMs: 30 });
      expect(outcome).toMatchObject({ errorClass: "timeout", exitCode: null, figures: null });
      expect(scratchDirs().filter((d) => !before.has(d))).toEqual([]);
      const leftovers = readdirSync("/proc").filter((pid) => {
        if (!/^\d+$/.test(pid)) return false;
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("ktizo-slice-");
        } catch {
          return false;
        }
      });
      expect(leftovers).toEqual([]);
    });

    it("stops at the memory limit", async () => {
      const mesh = parseMesh(readFileSync(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl")));
      const outcome = await sliceMesh(mesh, TEST_FFF, slicer, { memoryBytes: 100 * 1024 * 1024 });
      expect(outcome).toMatchObject({ errorClass: "out_of_memory", figures: null });
      expect(outcome.exitCode).not.toBe(0);
    });

    it("slices resin through the SLA mode", async () => {
      const outcome = await sliceMesh(parseMesh(binaryStl(box(10, 10, 5))), TEST_SLA, slicer);
      expect(outcome.errorClass).toBeNull();
      const f = outcome.figures!;
      expect(f.filamentCm3).toBeCloseTo(0.5, 1);
      expect(f.filamentG).toBeCloseTo(f.filamentCm3 * 1.1, 2);
      // 5 mm at 0.1 mm: PrusaSlicer counts 48 exposed layers (the first ones merge into the initial exposure).
      expect(f.layers).toBeGreaterThanOrEqual(45);
      expect(f.layers).toBeLessThanOrEqual(50);
      expect(f.printSeconds).toBeGreaterThan(50);
      expect(f.filamentMm).toBeNull();
    });

    it("Ktizo's profile leaves nothing for the slicer to fill in", async () => {
      for (const profile of [TEST_FFF, TEST_SLA]) {
        const ours = writeIni(profile);
        writeFileSync(join(work, "ours.ini"), ours);
        const saved = await runSandboxed(
          [
            slicer.path,
            "--datadir",
            join(work, "d"),
            "--load",
            join(work, "ours.ini"),
            "--save",
            join(work, "saved.ini"),
          ],
          { cwd: work, limits: DEFAULT_LIMITS, isolateNetwork: slicer.networkIsolated },
        );
        expect(saved.exitCode).toBe(0);
        const keys = (text: string) =>
          new Set(
            text
              .split("\n")
              .filter((l) => /^\w+ =/.test(l))
              .map((l) => l.split(" =")[0]!),
          );
        const savedKeys = keys(readFileSync(join(work, "saved.ini"), "utf8"));
        const ourKeys = keys(ours);
        expect([...savedKeys].filter((k) => !ourKeys.has(k))).toEqual([]);
        if (profile.technology === "fff")
          expect(readFileSync(join(work, "saved.ini"), "utf8")).toMatch(/^post_process = $/m);
      }
    });
  },
);

describe.runIf(requireOrSkip("slicer tests", info.available ? null : `prusa-slicer ${info.reason}`))(
  "the sandbox",
  () => {
    const sandbox = (argv: string[], isolateNetwork = slicer.networkIsolated) =>
      runSandboxed(argv, { cwd: work, limits: { ...DEFAULT_LIMITS, maxOutputBytes: 4096 }, isolateNetwork });

    it("sets HOME to the scratch directory, forbids core dumps and caps the output it keeps", async () => {
      const run = await sandbox([
        "sh",
        "-c",
        'echo "$HOME"; ulimit -c; head -c 1000000 /dev/zero | tr "\\0" x',
      ]);
      expect(run.exitCode).toBe(0);
      expect(run.stdout.length).toBeLessThanOrEqual(4096);
      expect(run.outputBytes).toBeGreaterThan(1_000_000);
      const head = await sandbox(["sh", "-c", 'echo "$HOME"; ulimit -c']);
      expect(head.stdout.split("\n").slice(0, 2)).toEqual([work, "0"]);
    });

    it.runIf(
      requireOrSkip(
        "slicer network isolation",
        slicer?.networkIsolated ? null : "unshare --net needs root; the slicer runs with the network",
      ),
    )("gives the slicer no network", async () => {
      const server = createServer((socket) => socket.on("error", () => undefined).end("hello"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      const connect = `require("net").connect(${port},"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(7))`;
      try {
        // Control: the same program outside the namespace reaches the loopback server.
        expect((await sandbox([process.execPath, "-e", connect], false)).exitCode).toBe(0);
        expect((await sandbox([process.execPath, "-e", connect], true)).exitCode).toBe(7);
      } finally {
        server.close();
      }
    });
  },
);
