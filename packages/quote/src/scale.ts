import type { ModelAnalysis } from "./types.ts";

/**
 * Units and scale (issue 20): STL and OBJ files carry no unit, so a model exported in inches or metres
 * reads as a tiny millimetre model. The customer says what the file's numbers mean and may scale on top;
 * the analysis is then scaled (volume by s³, area by s², the bounding box by s) and priced as usual.
 * Browser-safe: the quote page shows the scaled size with the same functions.
 */

export const MODEL_UNITS = ["mm", "cm", "m", "in"] as const;
export type ModelUnit = (typeof MODEL_UNITS)[number];

/** Millimetres per unit of the file. */
export const UNIT_FACTORS: Record<ModelUnit, number> = { mm: 1, cm: 10, m: 1000, in: 25.4 };

export const UNIT_NAMES: Record<ModelUnit, string> = {
  mm: "millimetres",
  cm: "centimetres",
  m: "metres",
  in: "inches",
};

/** The customer's choice: what the file's numbers mean, and a scale in percent on top. */
export interface ModelScale {
  unit: ModelUnit;
  percent: number;
}

export const NO_SCALE: ModelScale = { unit: "mm", percent: 100 };

/** The bounds of the customer's percent, and of the scaled model's largest and smallest side. */
export const SCALE_LIMITS = {
  minPercent: 1,
  maxPercent: 10_000,
  /** No printer builds anything larger in one piece. */
  maxSideMm: 2_000,
  /** Below this the model is a speck, not a part. */
  minLargestSideMm: 0.5,
} as const;

/** The one factor applied to the file's numbers: unit × percent. */
export function scaleFactor(scale: ModelScale): number {
  return (UNIT_FACTORS[scale.unit] * scale.percent) / 100;
}

export function isUnscaled(scale: ModelScale): boolean {
  return scaleFactor(scale) === 1;
}

/** The analysis of the model enlarged (or shrunk) by `factor`: volume × s³, area × s², box × s. */
export function scaleAnalysis(analysis: ModelAnalysis, factor: number): ModelAnalysis {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`Not a scale factor: ${factor}`);
  if (factor === 1) return analysis;
  const v = (p: { x: number; y: number; z: number }) => ({
    x: p.x * factor,
    y: p.y * factor,
    z: p.z * factor,
  });
  return {
    ...analysis,
    volumeMm3: analysis.volumeMm3 * factor ** 3,
    areaMm2: analysis.areaMm2 * factor ** 2,
    bbox: { min: v(analysis.bbox.min), max: v(analysis.bbox.max), size: v(analysis.bbox.size) },
    ...(analysis.topology
      ? { topology: { ...analysis.topology, weldToleranceMm: analysis.topology.weldToleranceMm * factor } }
      : {}),
  };
}

export type ScaleCheck =
  | { ok: true; analysis: ModelAnalysis; factor: number }
  | { ok: false; field: "scalePercent"; message: string };

/** A percent with at most two decimals (what is stored and shown). */
export function roundPercent(percent: number): number {
  return Math.round(percent * 100) / 100;
}

/** Percent as people write it: 2540, 12.5, 0.25 (no trailing zeros). */
export function formatPercent(percent: number): string {
  return String(roundPercent(percent));
}

/** Millimetres as people read them: 1 decimal, 2 below a millimetre (0.03, not 0). */
const mm = (n: number) => String(n < 1 ? Math.round(n * 100) / 100 : Math.round(n * 10) / 10);

/**
 * The model at the customer's unit and scale, or why that scale cannot be quoted: the percent must be
 * within 1–10,000 and the scaled model between 0.5 mm and 2 m on its sides.
 */
export function applyScale(analysis: ModelAnalysis, scale: ModelScale): ScaleCheck {
  const { minPercent, maxPercent, maxSideMm, minLargestSideMm } = SCALE_LIMITS;
  if (!Number.isFinite(scale.percent) || scale.percent < minPercent || scale.percent > maxPercent) {
    return {
      ok: false,
      field: "scalePercent",
      message: `Scale must be between ${minPercent}% and ${maxPercent.toLocaleString("en")}%`,
    };
  }
  const factor = scaleFactor(scale);
  const scaled = scaleAnalysis(analysis, factor);
  const s = scaled.bbox.size;
  const largest = Math.max(s.x, s.y, s.z);
  if (largest > maxSideMm) {
    return {
      ok: false,
      field: "scalePercent",
      message: `At this scale the model is ${mm(s.x)} × ${mm(s.y)} × ${mm(s.z)} mm; the largest side can be at most ${maxSideMm.toLocaleString("en")} mm`,
    };
  }
  if (largest < minLargestSideMm) {
    return {
      ok: false,
      field: "scalePercent",
      message: `At this scale the model is only ${mm(largest)} mm across; it must be at least ${minLargestSideMm} mm`,
    };
  }
  return { ok: true, analysis: scaled, factor };
}

/**
 * The percent that makes the model's longest side `targetMm` long in `unit` (what "longest side: 120 mm"
 * means), rounded to two decimals; null for a size that is not a positive number or an empty model.
 */
export function percentForLongestSide(
  analysis: ModelAnalysis,
  unit: ModelUnit,
  targetMm: number,
): number | null {
  const s = analysis.bbox.size;
  const longest = Math.max(s.x, s.y, s.z) * UNIT_FACTORS[unit];
  if (!(targetMm > 0) || !Number.isFinite(targetMm) || !(longest > 0)) return null;
  return roundPercent((targetMm / longest) * 100);
}

export interface ScaleSuggestion {
  unit: ModelUnit;
  factor: number;
  /** "Looks like inches? Quote at 25.4×" */
  message: string;
}

/**
 * When a unitless file (STL, OBJ) is implausibly small in millimetres, the unit it was most likely
 * exported in: under 1 mm across it was metres, under 12 mm inches (a 2 × 3 × 1 "mm" part is a 2 × 3 × 1
 * inch part). 3MF files state their unit, so they get no suggestion.
 */
export function suggestScale(analysis: ModelAnalysis): ScaleSuggestion | null {
  if (analysis.format === "3mf") return null;
  const s = analysis.bbox.size;
  const largest = Math.max(s.x, s.y, s.z);
  if (!(largest > 0)) return null;
  const unit: ModelUnit | null = largest < 1 ? "m" : largest < 12 ? "in" : null;
  if (!unit) return null;
  const factor = UNIT_FACTORS[unit];
  if (largest * factor > SCALE_LIMITS.maxSideMm) return null;
  return { unit, factor, message: `Looks like ${UNIT_NAMES[unit]}? Quote at ${factor}×` };
}

/** What the shop and the customer read about a scaled model: "Scaled 2540% from inches"; null at 1:1. */
export function scaleLabel(scale: ModelScale): string | null {
  if (isUnscaled(scale)) return null;
  const total = formatPercent(scaleFactor(scale) * 100);
  if (scale.unit === "mm") return `Scaled ${total}%`;
  const extra = scale.percent === 100 ? "" : `, then ${formatPercent(scale.percent)}%`;
  return `Scaled ${total}% from ${UNIT_NAMES[scale.unit]}${extra}`;
}
