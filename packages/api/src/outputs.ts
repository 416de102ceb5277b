import type {
  BoundingBox,
  Issue,
  ModelAnalysis,
  OrientationFit,
  PrintabilityReport,
  PrintEstimate,
  QuoteBreakdown,
  QuoteLine,
  TopologyReport,
  Vec3,
} from "@ktizo/quote";
import { z } from "zod";
import { TECHNOLOGIES } from "./browser-safe/job-status.ts";

/**
 * Output schemas more than one domain answers with: a page of a list, and what the quote engine
 * reports (analysis, printability, estimate, price breakdown). Strict, like every output schema.
 */
export function pageOf<T extends z.ZodType>(item: T) {
  return z
    .object({
      items: z.array(item),
      total: z.number(),
      page: z.number(),
      pageSize: z.number(),
      pageCount: z.number(),
    })
    .strict();
}

/**
 * An object read back from a JSON column: keys the type does not name are dropped (never passed on)
 * rather than refused, because rows written before a field was removed may still carry it. Tagged, so
 * root.test.ts accepts it where it asks for strict objects.
 */
export function storedJson<T extends z.ZodObject>(schema: T): T {
  // Same fields and output type; only what happens to an unknown key changes.
  return schema.strip().meta({ storedJson: true }) as unknown as T;
}

/** The fields of a postal address, as addresses are stored (a customer's, an order's, a saved one). */
export const postalAddressFields = {
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  postalCode: z.string(),
  region: z.string().nullable(),
  country: z.string(),
};

export const vec3Schema = z.object({ x: z.number(), y: z.number(), z: z.number() }).strict();

export const boundingBoxSchema = z.object({ min: vec3Schema, max: vec3Schema, size: vec3Schema }).strict();

export const issueSchema = z
  .object({
    code: z.string(),
    severity: z.enum(["error", "info", "warning"]),
    message: z.string(),
    count: z.number().optional(),
  })
  .strict();

export const topologyReportSchema = z
  .object({
    vertices: z.number(),
    weldToleranceMm: z.number(),
    openEdges: z.number(),
    nonManifoldEdges: z.number(),
    inconsistentEdges: z.number(),
    degenerateTriangles: z.number(),
    invertedShells: z.number(),
  })
  .strict();

export const modelAnalysisSchema = storedJson(
  z
    .object({
      format: z.enum(["stl-binary", "stl-ascii", "3mf", "obj"]),
      units: z.enum(["micron", "millimeter", "centimeter", "inch", "foot", "meter"]),
      triangles: z.number(),
      volumeMm3: z.number(),
      areaMm2: z.number(),
      bbox: boundingBoxSchema,
      shells: z.number(),
      watertight: z.boolean(),
      issues: z.array(issueSchema),
      topology: topologyReportSchema.optional(),
      materials: z.array(z.object({ name: z.string().optional(), color: z.string() }).strict()).optional(),
      buildItems: z.number().optional(),
    })
    .strict(),
);

export const quoteLineSchema = z
  .object({ code: z.string(), label: z.string(), amountMinor: z.number() })
  .strict();

export const quoteBreakdownSchema = storedJson(
  z
    .object({
      currency: z.string(),
      lines: z.array(quoteLineSchema),
      subtotalMinor: z.number(),
      taxMinor: z.number(),
      totalMinor: z.number(),
    })
    .strict(),
);

export const orientationFitSchema = z
  .object({ axes: z.string(), rotation: z.string(), size: vec3Schema, fits: z.boolean() })
  .strict();

export const printabilityReportSchema = z
  .object({
    printable: z.boolean(),
    fits: z.boolean(),
    orientation: orientationFitSchema.nullable(),
    orientations: z.array(orientationFitSchema),
    issues: z.array(issueSchema),
  })
  .strict();

export const printEstimateSchema = z
  .object({
    technology: z.enum(TECHNOLOGIES),
    fillFraction: z.number(),
    materialVolumeMm3: z.number(),
    materialVolumeCm3: z.number(),
    weightG: z.number(),
    layers: z.number(),
    printSeconds: z.number(),
    printHours: z.number(),
  })
  .strict();

/** Every property required, all the way down: an optional field one side lacks then shows. */
type DeepRequired<T> = T extends Date | Uint8Array | ReadableStream | ((...args: never[]) => unknown)
  ? T
  : T extends readonly (infer E)[]
    ? DeepRequired<E>[]
    : T extends object
      ? { [K in keyof T]-?: DeepRequired<T[K]> }
      : T;

/** True when two types have the same fields, all the way down (an added optional field makes it false). */
export type Same<A, B> = [DeepRequired<A>] extends [DeepRequired<B>]
  ? [DeepRequired<B>] extends [DeepRequired<A>]
    ? true
    : false
  : false;
/** Fails the type check unless given `true`: `Expect<Same<z.output<typeof schema>, DomainType>>`. */
export type Expect<T extends true> = T;

/** Compile-time: these schemas answer exactly the quote engine's types (a new field fails here). */
export type QuoteOutputChecks = [
  Expect<Same<z.output<typeof vec3Schema>, Vec3>>,
  Expect<Same<z.output<typeof boundingBoxSchema>, BoundingBox>>,
  Expect<Same<z.output<typeof issueSchema>, Issue>>,
  Expect<Same<z.output<typeof topologyReportSchema>, TopologyReport>>,
  Expect<Same<z.output<typeof modelAnalysisSchema>, ModelAnalysis>>,
  Expect<Same<z.output<typeof quoteLineSchema>, QuoteLine>>,
  Expect<Same<z.output<typeof quoteBreakdownSchema>, QuoteBreakdown>>,
  Expect<Same<z.output<typeof orientationFitSchema>, OrientationFit>>,
  Expect<Same<z.output<typeof printabilityReportSchema>, PrintabilityReport>>,
  Expect<Same<z.output<typeof printEstimateSchema>, PrintEstimate>>,
];
