export {
  analyzeModel,
  analyzeStream,
  DEFAULT_MAX_TRIANGLES,
  DEFAULT_ZIP_LIMITS,
  detectFormat,
  MAX_MODEL_BYTES,
} from "./analyze.ts";
export { isQuoteError, QUOTE_ERROR_CODES, QuoteError, type QuoteErrorCode } from "./errors.ts";
export { type EstimateParams, estimatePrint, type PrintEstimate, resolveEstimateParams } from "./estimate.ts";
export {
  type PricingModel,
  parsePricingModel,
  priceQuote,
  type QuantityTier,
  type QuoteBreakdown,
  type QuoteItem,
  type QuoteLine,
  type QuoteRequest,
  roundMinor,
} from "./pricing.ts";
export {
  checkPrintability,
  type OrientationFit,
  type PrintabilityReport,
  validatePrinter,
} from "./printability.ts";
export {
  applyScale,
  formatPercent,
  isUnscaled,
  MODEL_UNITS,
  type ModelScale,
  type ModelUnit,
  NO_SCALE,
  percentForLongestSide,
  roundPercent,
  SCALE_LIMITS,
  type ScaleCheck,
  type ScaleSuggestion,
  scaleAnalysis,
  scaleFactor,
  scaleLabel,
  suggestScale,
  UNIT_FACTORS,
  UNIT_NAMES,
} from "./scale.ts";
export type {
  AnalyzeOptions,
  BoundingBox,
  Issue,
  ModelAnalysis,
  ModelFormat,
  PrinterSpec,
  Severity,
  SourceUnit,
  Technology,
  TopologyReport,
  Vec3,
} from "./types.ts";
