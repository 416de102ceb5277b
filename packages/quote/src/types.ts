export type ModelFormat = "stl-binary" | "stl-ascii" | "3mf" | "obj";

/** Length unit the source file was written in. All measures in an analysis are in millimetres. */
export type SourceUnit = "micron" | "millimeter" | "centimeter" | "inch" | "foot" | "meter";

export type Severity = "info" | "warning" | "error";

export interface Issue {
  /** Stable machine-readable code, e.g. "OPEN_EDGES". */
  code: string;
  severity: Severity;
  /** A sentence for the customer or the shop. */
  message: string;
  /** How many elements (edges, triangles, shells) are affected, when that makes sense. */
  count?: number;
}

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface BoundingBox {
  min: Vec3;
  max: Vec3;
  size: Vec3;
}

export interface TopologyReport {
  /** Distinct vertices after welding within `weldToleranceMm`. */
  vertices: number;
  weldToleranceMm: number;
  /** Edges used by exactly one triangle (holes). */
  openEdges: number;
  /** Edges used by more than two triangles. */
  nonManifoldEdges: number;
  /** Edges shared by two triangles that traverse it in the same direction (flipped neighbour). */
  inconsistentEdges: number;
  /** Triangles with (near) zero area or repeated vertices after welding. */
  degenerateTriangles: number;
  /** Shells whose enclosed signed volume is negative (turned inside out), not counting cavities. */
  invertedShells: number;
}

export interface ModelAnalysis {
  format: ModelFormat;
  units: SourceUnit;
  triangles: number;
  volumeMm3: number;
  areaMm2: number;
  bbox: BoundingBox;
  /** Connected parts (after welding). 0 when topology was skipped or the model is empty. */
  shells: number;
  /** Every edge shared by exactly two triangles, consistently oriented, and the volume is positive. */
  watertight: boolean;
  issues: Issue[];
  /** Edge topology figures; absent when `topology: false`. */
  topology?: TopologyReport;
  /** 3MF only: base materials and colors found in the file (informational). */
  materials?: { name?: string; color: string }[];
  /** 3MF only: number of build items. */
  buildItems?: number;
}

export interface AnalyzeOptions {
  /** Refuse inputs larger than this many bytes. Default MAX_MODEL_BYTES (100 MB). */
  maxBytes?: number;
  /** Unit of STL and OBJ files (3MF files say their own). Default "millimeter". */
  units?: "millimeter" | "inch";
  /** Skip welding and edge topology (volume, area and bounding box only). Default true. */
  topology?: boolean;
  /** Absolute weld tolerance in file units. Default: 1e-6 × the bounding-box diagonal. */
  weldTolerance?: number;
  /** Refuse meshes with more triangles than this (bounds memory). Default 5,000,000. */
  maxTriangles?: number;
  /** Zip limits for 3MF. */
  maxZipEntries?: number;
  maxUncompressedBytes?: number;
  maxCompressionRatio?: number;
  /**
   * Native raw-DEFLATE decoder used for 3MF entries instead of the built-in one (fflate). It must stop at
   * maxOutputBytes and return null when the entry would exceed it. `@ktizo/quote/node` passes zlib.
   */
  inflateRaw?: (data: Uint8Array, maxOutputBytes: number) => Uint8Array | null;
}

export type Technology = "fdm" | "resin" | "powder";

export interface PrinterSpec {
  name?: string;
  technology: Technology;
  buildVolumeMm: Vec3;
  /** Smallest dimension the printer can reliably produce. Defaults: fdm 1, resin 0.3, powder 0.6 mm. */
  minFeatureMm?: number;
}
