import { fail } from "./errors.ts";
import type { Issue, ModelAnalysis, PrinterSpec, Technology, Vec3 } from "./types.ts";

export interface OrientationFit {
  /** Which model axes lie along the printer's x, y and z, e.g. "xyz" (as uploaded) or "zxy". */
  axes: string;
  /** A human description of the rotation. */
  rotation: string;
  size: Vec3;
  fits: boolean;
}

export interface PrintabilityReport {
  printable: boolean;
  fits: boolean;
  /** The first orientation that fits (preferring the uploaded one, then the lowest height), or null. */
  orientation: OrientationFit | null;
  orientations: OrientationFit[];
  issues: Issue[];
}

const DEFAULT_MIN_FEATURE: Record<Technology, number> = { fdm: 1, resin: 0.3, powder: 0.6 };

const ROTATIONS: { axes: string; rotation: string; pick: (s: Vec3) => Vec3 }[] = [
  { axes: "xyz", rotation: "as uploaded", pick: (s) => ({ x: s.x, y: s.y, z: s.z }) },
  { axes: "yxz", rotation: "rotated 90° about Z", pick: (s) => ({ x: s.y, y: s.x, z: s.z }) },
  {
    axes: "xzy",
    rotation: "rotated 90° about X (laid on its side)",
    pick: (s) => ({ x: s.x, y: s.z, z: s.y }),
  },
  {
    axes: "zyx",
    rotation: "rotated 90° about Y (laid on its side)",
    pick: (s) => ({ x: s.z, y: s.y, z: s.x }),
  },
  {
    axes: "yzx",
    rotation: "rotated 90° about X, then 90° about Z",
    pick: (s) => ({ x: s.y, y: s.z, z: s.x }),
  },
  {
    axes: "zxy",
    rotation: "rotated 90° about Y, then 90° about Z",
    pick: (s) => ({ x: s.z, y: s.x, z: s.y }),
  },
];

export function validatePrinter(p: unknown): PrinterSpec {
  const bad = (msg: string): never => fail("INVALID_PRINTER", `Printer: ${msg}`);
  if (typeof p !== "object" || p === null) bad("must be an object.");
  const o = p as Record<string, unknown>;
  if (o.technology !== "fdm" && o.technology !== "resin" && o.technology !== "powder") {
    bad('technology must be "fdm", "resin" or "powder".');
  }
  const v = (o.buildVolumeMm ?? bad("buildVolumeMm {x, y, z} is required.")) as Record<string, unknown>;
  if (typeof v !== "object" || v === null) bad("buildVolumeMm {x, y, z} is required.");
  for (const k of ["x", "y", "z"]) {
    const n = v[k];
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0)
      bad(`buildVolumeMm.${k} must be a positive number.`);
  }
  if (o.minFeatureMm !== undefined && (typeof o.minFeatureMm !== "number" || !(o.minFeatureMm > 0))) {
    bad("minFeatureMm must be a positive number.");
  }
  return p as PrinterSpec;
}

/**
 * Checks a model against a printer: fits the build volume in one of the six axis-aligned orientations,
 * too small / too large, and what open or non-manifold meshes mean for the customer.
 */
export function checkPrintability(analysis: ModelAnalysis, printer: PrinterSpec): PrintabilityReport {
  validatePrinter(printer);
  const s = analysis.bbox.size;
  const bv = printer.buildVolumeMm;
  const orientations = ROTATIONS.map((r) => {
    const size = r.pick(s);
    return {
      axes: r.axes,
      rotation: r.rotation,
      size,
      fits: size.x <= bv.x && size.y <= bv.y && size.z <= bv.z,
    };
  });
  const fitting = orientations.filter((o) => o.fits);
  const orientation =
    fitting[0]?.axes === "xyz" ? fitting[0] : ([...fitting].sort((a, b) => a.size.z - b.size.z)[0] ?? null);
  const issues: Issue[] = [];
  const name = printer.name ?? "the printer";
  if (analysis.triangles === 0) {
    issues.push({
      code: "EMPTY_MODEL",
      severity: "error",
      message: "The file contains no geometry to print.",
    });
  }
  if (!orientation) {
    issues.push({
      code: "TOO_LARGE",
      severity: "error",
      message: `At ${fmt(s.x)} × ${fmt(s.y)} × ${fmt(s.z)} mm the model does not fit the ${fmt(bv.x)} × ${fmt(bv.y)} × ${fmt(bv.z)} mm build volume of ${name} in any orientation. It would have to be scaled down or split into parts.`,
    });
  } else if (orientation.axes !== "xyz") {
    issues.push({
      code: "NEEDS_ROTATION",
      severity: "info",
      message: `The model fits ${name} when ${orientation.rotation}.`,
    });
  }
  const minFeature = printer.minFeatureMm ?? DEFAULT_MIN_FEATURE[printer.technology];
  const smallest = Math.min(s.x, s.y, s.z);
  if (analysis.triangles > 0 && smallest < minFeature) {
    issues.push({
      code: "TOO_SMALL",
      severity: "warning",
      message: `The model is only ${fmt(smallest)} mm thick in one direction; ${name} reliably prints features from ${fmt(minFeature)} mm. Check the units (inches vs millimetres) or scale it up.`,
    });
  }
  const topo = analysis.topology;
  if (topo && topo.openEdges > 0) {
    issues.push({
      code: "NOT_WATERTIGHT",
      severity: "warning",
      message:
        "The mesh has holes, so it has no well-defined inside. The shop will try to repair it; the volume, weight and price shown are estimates until then, and thin or missing walls may not print.",
    });
  }
  if (topo && topo.nonManifoldEdges > 0) {
    issues.push({
      code: "NON_MANIFOLD",
      severity: "warning",
      message:
        "Some edges are shared by more than two faces. Slicers can misinterpret these spots (gaps or extra material); the shop may need to repair the model before printing.",
    });
  }
  if (topo && (topo.inconsistentEdges > 0 || topo.invertedShells > 0)) {
    issues.push({
      code: "BAD_ORIENTATION",
      severity: "warning",
      message:
        "Some faces point inwards. The shop will fix the normals; until then volume-based prices may be off.",
    });
  }
  const printable = orientation !== null && analysis.triangles > 0;
  return { printable, fits: orientation !== null, orientation, orientations, issues };
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toPrecision(2);
}
