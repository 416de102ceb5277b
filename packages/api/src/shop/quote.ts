import type { PrintTechnology } from "@ktizo/db";
import {
  checkPrintability,
  estimatePrint,
  isQuoteError,
  type ModelAnalysis,
  type PrintabilityReport,
  type PrintEstimate,
  priceQuote,
  type QuoteBreakdown,
  resolveEstimateParams,
} from "@ktizo/quote";
import { z } from "zod";
import { badRequest } from "../kernel/index.ts";
import {
  effectivePricingModel,
  type RulesMaterial,
  type RulesPrinter,
  type ShopPricingRules,
} from "./pricing-model.ts";

const vec = z.object({ x: z.number().finite(), y: z.number().finite(), z: z.number().finite() });

/** The parts of a ModelAnalysis that pricing needs (the browser runs analyzeModel and sends these). */
export const modelAnalysisInput = z.object({
  format: z.enum(["stl-binary", "stl-ascii", "3mf", "obj"]).default("stl-binary"),
  triangles: z.number().int().min(1, "The model has no triangles").max(50_000_000),
  volumeMm3: z.number().finite().min(0),
  areaMm2: z.number().finite().min(0),
  bbox: z.object({ min: vec, max: vec, size: vec }),
  watertight: z.boolean().default(true),
  shells: z.number().int().min(0).default(1),
});

export function toModelAnalysis(a: z.infer<typeof modelAnalysisInput>): ModelAnalysis {
  return { ...a, units: "millimeter", issues: [] };
}

/** What PrusaSlicer reported for the model with this printer's profile (model_slice, issue 14). */
export interface SlicedFigures {
  printSeconds: number;
  /** Material volume including walls, infill and supports; grams follow from the material's density. */
  filamentCm3: number;
  layers: number;
}

export interface ShopQuote {
  /** Where the time and material came from: the slicer, or the volume/area heuristic. */
  basis: "sliced" | "estimated";
  breakdown: QuoteBreakdown;
  estimate: PrintEstimate;
  printability: PrintabilityReport;
  /** Grams and minutes per piece, rounded up, as job line items store them. */
  gramsPerUnit: number;
  minutesPerUnit: number;
  unitPriceMinor: number;
  warnings: string[];
}

/**
 * Prices one model on one printer in one material with the shop's rules: the quote engine's estimate,
 * printability and breakdown, exactly as a customer would see them.
 */
export function quoteModel(
  analysis: ModelAnalysis,
  rules: ShopPricingRules,
  material: RulesMaterial & { name: string },
  printer: RulesPrinter & { name: string; buildVolumeMm: { x: number; y: number; z: number } },
  options: {
    quantity: number;
    rush: boolean;
    currency: string;
    sliced?: SlicedFigures | null;
    /** The shop's fitted corrections of print time and grams (calibration, issue 14); absent: none. */
    correction?: { time: number; grams: number | null };
  },
): ShopQuote {
  try {
    const pricing = effectivePricingModel(rules, material, printer, options.currency);
    const params = pricing.process ?? { technology: printer.technology };
    const heuristic = estimatePrint(analysis, params);
    const figures = options.sliced ? slicedEstimate(heuristic, params, options.sliced) : heuristic;
    const estimate = options.correction ? corrected(figures, options.correction) : figures;
    const breakdown = priceQuote({
      pricing,
      items: [{ estimate, quantity: options.quantity }],
      rush: options.rush,
    });
    const printability = checkPrintability(analysis, {
      name: printer.name,
      technology: printer.technology,
      buildVolumeMm: printer.buildVolumeMm,
    });
    const warnings: string[] = [];
    if (rules.materials[material.id]?.enabled === false)
      warnings.push(`${material.name} is not offered to customers`);
    if (rules.printers[printer.id]?.enabled === false)
      warnings.push(`${printer.name} is not offered to customers`);
    if (material.technology !== printer.technology) {
      warnings.push(
        `${material.name} (${techLabel(material.technology)}) does not run on ${printer.name} (${techLabel(printer.technology)})`,
      );
    }
    if (!printability.fits)
      warnings.push(`The part does not fit ${printer.name}'s build volume in any orientation`);
    return {
      basis: options.sliced ? "sliced" : "estimated",
      breakdown,
      estimate,
      printability,
      gramsPerUnit: Math.ceil(estimate.weightG),
      minutesPerUnit: Math.ceil(estimate.printSeconds / 60),
      unitPriceMinor: Math.round(breakdown.totalMinor / options.quantity),
      warnings,
    };
  } catch (e) {
    if (isQuoteError(e)) throw badRequest(e.message, { pricing: e.message });
    throw e;
  }
}

/**
 * The estimate with the slicer's figures: its print time (plus the shop's setup time, which the slicer
 * does not know) and its material volume, weighed with the material's density. Prices then follow from
 * the shop's own rules exactly as for an estimate.
 */
function slicedEstimate(
  heuristic: PrintEstimate,
  params: Parameters<typeof resolveEstimateParams>[0],
  sliced: SlicedFigures,
): PrintEstimate {
  const p = resolveEstimateParams(params);
  const printSeconds = sliced.printSeconds + p.setupMinutes * 60;
  return {
    ...heuristic,
    materialVolumeMm3: sliced.filamentCm3 * 1000,
    materialVolumeCm3: sliced.filamentCm3,
    weightG: sliced.filamentCm3 * p.densityGPerCm3,
    layers: sliced.layers,
    printSeconds,
    printHours: printSeconds / 3600,
  };
}

/** The estimate with its print time (and grams, when fitted) corrected by the shop's calibration. */
function corrected(estimate: PrintEstimate, c: { time: number; grams: number | null }): PrintEstimate {
  const printSeconds = estimate.printSeconds * c.time;
  const g = c.grams ?? 1;
  return {
    ...estimate,
    printSeconds,
    printHours: printSeconds / 3600,
    weightG: estimate.weightG * g,
    materialVolumeCm3: estimate.materialVolumeCm3 * g,
    materialVolumeMm3: estimate.materialVolumeMm3 * g,
  };
}

function techLabel(t: PrintTechnology): string {
  return t === "fdm" ? "FDM" : t;
}
