import { createHash } from "node:crypto";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classifyFailure, SLICE_ERROR_WORDING, type SliceErrorClass } from "./classify.ts";
import type { SlicerInfo } from "./detect.ts";
import { readGcodeFigures } from "./gcode.ts";
import type { Mesh } from "./mesh.ts";
import { profileHash, type SlicerProfile, writeIni } from "./profile.ts";
import { DEFAULT_LIMITS, runSandboxed, type SandboxLimits } from "./sandbox.ts";
import { readSlaFigures } from "./sla.ts";
import { writeBinaryStl } from "./stl.ts";

export type AvailableSlicer = Extract<SlicerInfo, { available: true }>;

export interface SliceFigures {
  printSeconds: number;
  /** FFF only (null for resin). */
  filamentMm: number | null;
  filamentCm3: number;
  filamentG: number;
  layers: number;
  /** FFF: filament per extrusion role; resin: empty. */
  perRole: Record<string, { mm: number; cm3: number; g: number }>;
}

export interface SliceOutcome {
  slicerName: string;
  slicerVersion: string;
  profileVersion: number;
  profileHash: string;
  meshHash: string;
  /** null when the slicer never ran (the model failed the checks before slicing) or was killed. */
  exitCode: number | null;
  errorClass: SliceErrorClass | null;
  /** The customer's words for errorClass. */
  message: string | null;
  figures: SliceFigures | null;
  wallMs: number;
  peakMemoryBytes: number;
  networkIsolated: boolean;
}

/** The binary STL and configuration the slicer would get, and their hashes (the cache key). */
export function prepareSlice(mesh: Mesh, profile: SlicerProfile) {
  const stl = writeBinaryStl(mesh);
  const ini = writeIni(profile);
  return {
    stl,
    ini,
    meshHash: createHash("sha256").update(stl).digest("hex"),
    profileHash: profileHash(ini),
  };
}

/**
 * Checks before slicing what PrusaSlicer handles badly: it aborts (SIGABRT) on a model wider than the bed,
 * slices a model taller than the printer without complaint, and cannot load a flat one.
 */
export function checkBeforeSlicing(mesh: Mesh, profile: SlicerProfile): SliceErrorClass | null {
  if (mesh.triangles === 0) return "unreadable";
  const [x, y, z] = mesh.size;
  const eps = 1e-6;
  if (x > profile.bed.xMm + eps || y > profile.bed.yMm + eps || z > profile.bed.zMm + eps) {
    return "does_not_fit";
  }
  if (z < profile.layerHeightMm / 2 || x <= eps || y <= eps) return "no_layers";
  return null;
}

/**
 * Slices Ktizo's own mesh with Ktizo's own complete profile in a scratch directory that is deleted
 * afterwards. Never throws for a model that cannot be sliced: the outcome says why (errorClass).
 */
export async function sliceMesh(
  mesh: Mesh,
  profile: SlicerProfile,
  slicer: AvailableSlicer,
  limits: Partial<SandboxLimits> = {},
): Promise<SliceOutcome> {
  const prepared = prepareSlice(mesh, profile);
  const base = {
    slicerName: slicer.name,
    slicerVersion: slicer.version,
    profileVersion: profile.version,
    profileHash: prepared.profileHash,
    meshHash: prepared.meshHash,
  };
  const refuse = (errorClass: SliceErrorClass): SliceOutcome => ({
    ...base,
    exitCode: null,
    errorClass,
    message: SLICE_ERROR_WORDING[errorClass],
    figures: null,
    wallMs: 0,
    peakMemoryBytes: 0,
    networkIsolated: slicer.networkIsolated,
  });
  const early = checkBeforeSlicing(mesh, profile);
  if (early) return refuse(early);

  const scratch = await mkdtemp(join(tmpdir(), "ktizo-slice-"));
  try {
    const sla = profile.technology === "sla";
    const output = join(scratch, sla ? "out.sl1" : "out.gcode");
    await writeFile(join(scratch, "model.stl"), prepared.stl);
    await writeFile(join(scratch, "profile.ini"), prepared.ini);
    const run = await runSandboxed(
      [
        slicer.path,
        sla ? "--export-sla" : "--export-gcode",
        "--datadir",
        join(scratch, "datadir"),
        "--load",
        join(scratch, "profile.ini"),
        "--output",
        output,
        join(scratch, "model.stl"),
      ],
      { cwd: scratch, limits: { ...DEFAULT_LIMITS, ...limits }, isolateNetwork: slicer.networkIsolated },
    );
    const measured = {
      ...base,
      exitCode: run.exitCode,
      wallMs: Math.round(run.wallMs),
      peakMemoryBytes: run.peakMemoryBytes,
      networkIsolated: run.networkIsolated,
    };
    const produced = await stat(output).then(
      (s) => s.size > 0,
      () => false,
    );
    if (run.exitCode !== 0 || run.timedOut || !produced) {
      const errorClass = classifyFailure(run);
      return { ...measured, errorClass, message: SLICE_ERROR_WORDING[errorClass], figures: null };
    }
    try {
      const figures = sla
        ? await slaFigures(output, profile.resin.densityGPerCm3)
        : await fffFigures(output, profile);
      return { ...measured, errorClass: null, message: null, figures };
    } catch {
      return { ...measured, errorClass: "failed", message: SLICE_ERROR_WORDING.failed, figures: null };
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function fffFigures(path: string, profile: Extract<SlicerProfile, { technology: "fff" }>) {
  const g = await readGcodeFigures(path);
  const mm2 = Math.PI * (profile.filament.diameterMm / 2) ** 2;
  const perRole: SliceFigures["perRole"] = {};
  for (const [role, mm] of Object.entries(g.perRoleMm)) {
    const cm3 = (mm * mm2) / 1000;
    perRole[role] = { mm, cm3: round(cm3, 5), g: round(cm3 * profile.filament.densityGPerCm3, 5) };
  }
  return {
    printSeconds: g.printSeconds,
    filamentMm: g.filamentMm,
    filamentCm3: g.filamentCm3,
    filamentG: g.filamentG,
    layers: g.layers,
    perRole,
  };
}

async function slaFigures(path: string, density: number): Promise<SliceFigures> {
  const s = await readSlaFigures(path);
  return {
    printSeconds: Math.round(s.printSeconds),
    filamentMm: null,
    filamentCm3: round(s.resinMl, 3),
    filamentG: round(s.resinMl * density, 2),
    layers: s.layers,
    perRole: {},
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
