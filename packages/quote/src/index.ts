export {
  analyzeModel,
  analyzeStream,
  DEFAULT_MAX_TRIANGLES,
  DEFAULT_ZIP_LIMITS,
  detectFormat,
  MAX_MODEL_BYTES,
} from "./analyze.ts";
export { isQuoteError, QUOTE_ERROR_CODES, QuoteError, type QuoteErrorCode } from "./errors.ts";
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
