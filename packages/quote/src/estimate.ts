import { fail } from "./errors.ts";
import type { ModelAnalysis, Technology } from "./types.ts";

/** Parameters a shop tunes per process and material. Omitted fields take the technology defaults. */
export interface EstimateParams {
  technology: Technology;
  /** Material density, g/cm³ (PLA 1.24, PETG 1.27, standard resin 1.15, PA12 powder 1.01). */
  densityGPerCm3?: number;
  /** FDM: perimeter/skin thickness that is printed solid, mm. Default 1.2. */
  wallThicknessMm?: number;
  /** Fraction of the interior that is filled, 0–1. Default FDM 0.2, resin and powder 1 (solid). */
  infill?: number;
  /** Layer height, mm. Defaults: fdm 0.2, resin 0.05, powder 0.1. */
  layerHeightMm?: number;
  /** FDM: volumetric extrusion rate, mm³/s. Default 8. */
  extrusionRateMm3PerS?: number;
  /** FDM: extra seconds per layer (travel, layer change). Default 2. */
  secondsPerLayerOverhead?: number;
  /** Resin and powder: seconds per layer. Defaults: resin 9, powder 12. */
  secondsPerLayer?: number;
  /** Fixed minutes per job (heating, levelling, recoating). Defaults: fdm 5, resin 10, powder 30. */
  setupMinutes?: number;
}

export interface PrintEstimate {
  technology: Technology;
  /** Effective fill of the part's volume (walls plus infill), 0–1. */
  fillFraction: number;
  materialVolumeMm3: number;
  materialVolumeCm3: number;
  weightG: number;
  layers: number;
  printSeconds: number;
  printHours: number;
}

const DEFAULTS: Record<Technology, Required<Omit<EstimateParams, "technology">>> = {
  fdm: {
    densityGPerCm3: 1.24,
    wallThicknessMm: 1.2,
    infill: 0.2,
    layerHeightMm: 0.2,
    extrusionRateMm3PerS: 8,
    secondsPerLayerOverhead: 2,
    secondsPerLayer: 0,
    setupMinutes: 5,
  },
  resin: {
    densityGPerCm3: 1.15,
    wallThicknessMm: 0,
    infill: 1,
    layerHeightMm: 0.05,
    extrusionRateMm3PerS: 0,
    secondsPerLayerOverhead: 0,
    secondsPerLayer: 9,
    setupMinutes: 10,
  },
  powder: {
    densityGPerCm3: 1.01,
    wallThicknessMm: 0,
    infill: 1,
    layerHeightMm: 0.1,
    extrusionRateMm3PerS: 0,
    secondsPerLayerOverhead: 0,
    secondsPerLayer: 12,
    setupMinutes: 30,
  },
};

// Module level: resolveEstimateParams runs several times for every printer and material a quote
// comparison prices, and a closure made on each call showed in its profile.
const bad = (msg: string): never => fail("INVALID_ESTIMATE_PARAMS", `Estimate parameters: ${msg}`);

export function resolveEstimateParams(p: EstimateParams): Required<EstimateParams> {
  if (typeof p !== "object" || p === null) bad("must be an object.");
  if (p.technology !== "fdm" && p.technology !== "resin" && p.technology !== "powder") {
    bad('technology must be "fdm", "resin" or "powder".');
  }
  const d = DEFAULTS[p.technology];
  const out = { ...d, technology: p.technology } as Required<EstimateParams>;
  for (const k of Object.keys(d) as (keyof typeof d)[]) {
    const v = p[k];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) bad(`${k} must be a non-negative number.`);
    if (k === "infill" && v > 1) bad("infill is a fraction between 0 and 1.");
    if ((k === "layerHeightMm" || k === "densityGPerCm3") && v === 0) bad(`${k} must be positive.`);
    if (k === "extrusionRateMm3PerS" && p.technology === "fdm" && v === 0) bad(`${k} must be positive.`);
    out[k] = v;
  }
  return out;
}

/**
 * Material and time. Weight = volume × effective fill × density, where the effective fill counts a solid
 * skin (area × wall thickness, capped at the volume) plus infill of the remaining interior.
 * FDM time = material volume / extrusion rate + layers × overhead + setup; resin and powder
 * time = layers × seconds per layer + setup (the whole layer is exposed or sintered at once).
 * Layers = ceil(height / layer height), height = bounding-box Z as uploaded (or `heightMm`).
 */
export function estimatePrint(
  analysis: ModelAnalysis,
  params: EstimateParams,
  heightMm?: number,
): PrintEstimate {
  const p = resolveEstimateParams(params);
  const volume = analysis.volumeMm3;
  const shell = Math.min(volume, analysis.areaMm2 * p.wallThicknessMm);
  const material = p.technology === "fdm" ? shell + (volume - shell) * p.infill : volume * p.infill;
  const fill = volume > 0 ? material / volume : 0;
  const h = heightMm ?? analysis.bbox.size.z;
  const layers = analysis.triangles > 0 ? Math.max(1, Math.ceil(h / p.layerHeightMm - 1e-9)) : 0;
  let seconds: number;
  if (p.technology === "fdm") {
    seconds = material / p.extrusionRateMm3PerS + layers * p.secondsPerLayerOverhead + p.setupMinutes * 60;
  } else {
    seconds = layers * p.secondsPerLayer + p.setupMinutes * 60;
  }
  const cm3 = material / 1000;
  return {
    technology: p.technology,
    fillFraction: fill,
    materialVolumeMm3: material,
    materialVolumeCm3: cm3,
    weightG: cm3 * p.densityGPerCm3,
    layers,
    printSeconds: seconds,
    printHours: seconds / 3600,
  };
}
