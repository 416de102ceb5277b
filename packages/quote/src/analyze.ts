import { fail, QuoteError } from "./errors.ts";
import { looksLikeObj, parseObj } from "./formats/obj.ts";
import { AsciiStlParser, binaryStlExpectedSize, type SoupResult, startsWithSolid } from "./formats/stl.ts";
import { BinaryStlFeed } from "./formats/stl-binary.ts";
import { parse3mf } from "./formats/threemf.ts";
import { isZip, type ZipLimits } from "./formats/zip.ts";
import {
  analyzeTopology,
  joinVertices,
  joinWelds,
  type Measures,
  mergeMeasures,
  type RangeWeld,
  topologyOutcome,
} from "./geometry.ts";
import { joinRangeTopology, type RangeEdges } from "./range-topology.ts";
import type { AnalyzeOptions, Issue, ModelAnalysis, ModelFormat, SourceUnit } from "./types.ts";

/** Default upload limit: 100 MB. */
export const MAX_MODEL_BYTES = 100 * 1024 * 1024;
/** 5 M triangles: enough for any binary STL under 100 MB (2 M), and at most ~360 MB of float64 positions. */
export const DEFAULT_MAX_TRIANGLES = 5_000_000;
export const DEFAULT_ZIP_LIMITS = {
  maxZipEntries: 10_000,
  maxUncompressedBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 250,
};

interface Resolved {
  maxBytes: number;
  units: "millimeter" | "inch";
  topology: boolean;
  weldTolerance: number | undefined;
  maxTriangles: number;
  zip: ZipLimits;
}

function positive(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    fail("INVALID_OPTIONS", `Option ${name} must be a positive number.`);
  }
  return v;
}

export function resolveOptions(o: AnalyzeOptions = {}): Resolved {
  if (o.units !== undefined && o.units !== "millimeter" && o.units !== "inch") {
    fail("INVALID_OPTIONS", 'Option units must be "millimeter" or "inch".');
  }
  if (o.weldTolerance !== undefined && (typeof o.weldTolerance !== "number" || !(o.weldTolerance >= 0))) {
    fail("INVALID_OPTIONS", "Option weldTolerance must be a non-negative number.");
  }
  return {
    maxBytes: positive(o.maxBytes, "maxBytes", MAX_MODEL_BYTES),
    units: o.units ?? "millimeter",
    topology: o.topology !== false,
    weldTolerance: o.weldTolerance,
    maxTriangles: positive(o.maxTriangles, "maxTriangles", DEFAULT_MAX_TRIANGLES),
    zip: {
      maxEntries: positive(o.maxZipEntries, "maxZipEntries", DEFAULT_ZIP_LIMITS.maxZipEntries),
      maxUncompressedBytes: positive(
        o.maxUncompressedBytes,
        "maxUncompressedBytes",
        DEFAULT_ZIP_LIMITS.maxUncompressedBytes,
      ),
      maxCompressionRatio: positive(
        o.maxCompressionRatio,
        "maxCompressionRatio",
        DEFAULT_ZIP_LIMITS.maxCompressionRatio,
      ),
      inflateRaw: o.inflateRaw,
    },
  };
}

/** Detects the format from the content (never the file name). */
export function detectFormat(b: Uint8Array): ModelFormat {
  if (isZip(b)) return "3mf";
  if (b.length >= 84) {
    const expected = binaryStlExpectedSize(b);
    if (expected === b.length) return "stl-binary";
  }
  if (startsWithSolid(b)) return "stl-ascii";
  if (looksLikeObj(b)) return "obj";
  if (b.length >= 84) return "stl-binary";
  return "stl-binary";
}

function finish(
  format: ModelFormat,
  units: SourceUnit,
  scale: number,
  r: SoupResult,
  opts: Resolved,
  extra: Partial<ModelAnalysis> = {},
): ModelAnalysis {
  const m = r.measures;
  const issues: Issue[] = r.warnings.map((w) => ({ code: w.code, severity: "warning", message: w.message }));
  let shells = 0;
  let watertight = false;
  let topology: ModelAnalysis["topology"];
  const s3 = scale * scale * scale;
  if (r.triangles === 0) {
    issues.push({
      code: "EMPTY_MODEL",
      severity: "error",
      message: "The file contains no triangles: there is nothing to print.",
    });
  } else if (opts.topology) {
    const dx = m.maxX - m.minX;
    const dy = m.maxY - m.minY;
    const dz = m.maxZ - m.minZ;
    const diag = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const tol = opts.weldTolerance ?? diag * 1e-6;
    const t = r.topology
      ? r.topology(tol, m.volume)
      : analyzeTopology(r.soup, r.triangles, tol, m.volume, r.indexed);
    shells = t.shells;
    watertight = t.watertight;
    topology = { ...t.report, weldToleranceMm: t.report.weldToleranceMm * scale };
    issues.push(...t.issues);
  }
  const result: ModelAnalysis = {
    format,
    units,
    triangles: r.triangles,
    volumeMm3: Math.abs(m.volume) * s3,
    areaMm2: m.area * scale * scale,
    // + 0: a corner written as -0 is at 0 (-0 + 0 is +0)
    bbox: {
      min: { x: m.minX * scale + 0, y: m.minY * scale + 0, z: m.minZ * scale + 0 },
      max: { x: m.maxX * scale + 0, y: m.maxY * scale + 0, z: m.maxZ * scale + 0 },
      size: { x: (m.maxX - m.minX) * scale, y: (m.maxY - m.minY) * scale, z: (m.maxZ - m.minZ) * scale },
    },
    shells,
    watertight,
    issues,
    ...extra,
  };
  if (topology) result.topology = topology;
  return result;
}

/**
 * Analyses a 3D model (binary/ASCII STL, 3MF, OBJ; detected from the content).
 * Throws QuoteError with a stable code on bad input; never hangs (work is linear in the input size,
 * bounded by maxBytes, maxTriangles and the zip limits).
 */
export function analyzeModel(bytes: Uint8Array, options?: AnalyzeOptions): ModelAnalysis {
  const opts = resolveOptions(options);
  if (!(bytes instanceof Uint8Array)) fail("INVALID_OPTIONS", "analyzeModel expects a Uint8Array.");
  if (bytes.length === 0) fail("EMPTY_FILE", "The file is empty.");
  if (bytes.length > opts.maxBytes) {
    fail("FILE_TOO_LARGE", `The file is ${bytes.length} bytes; the limit is ${opts.maxBytes} bytes.`);
  }
  try {
    return analyzeInner(bytes, opts);
  } catch (e) {
    if (e instanceof QuoteError) throw e;
    if (e instanceof RangeError) {
      fail("TOO_MANY_TRIANGLES", "The model is too large to analyse within the memory limits.");
    }
    throw e;
  }
}

function stlScale(opts: Resolved): { unit: SourceUnit; scale: number } {
  return opts.units === "inch" ? { unit: "inch", scale: 25.4 } : { unit: "millimeter", scale: 1 };
}

function analyzeInner(bytes: Uint8Array, opts: Resolved): ModelAnalysis {
  const format = detectFormat(bytes);
  const { unit, scale } = stlScale(opts);
  switch (format) {
    case "3mf": {
      const r = parse3mf(bytes, opts.zip, opts.maxTriangles);
      return finish("3mf", r.unit, r.scale, r, opts, { materials: r.materials, buildItems: r.buildItems });
    }
    case "stl-binary": {
      if (bytes.length < 84) {
        fail("UNKNOWN_FORMAT", "The file is not a recognised 3D model (STL, 3MF or OBJ).");
      }
      if (startsWithSolid(bytes) && binaryStlExpectedSize(bytes) !== bytes.length) {
        // "solid" header but the size does not match the binary layout: it must be ASCII
        return asciiOrMismatch(bytes, opts);
      }
      if (binaryStlExpectedSize(bytes) !== bytes.length && !looksBinaryStl(bytes, bytes.length))
        fail("UNKNOWN_FORMAT", "The file is not a recognised 3D model (STL, 3MF or OBJ).");
      const feed = new BinaryStlFeed(opts.maxTriangles, {
        soup: false,
        weld: opts.topology,
        knownSize: bytes.length,
      });
      feed.push(bytes);
      return finish("stl-binary", unit, scale, feed.finish(), opts);
    }
    case "stl-ascii":
      return asciiOrMismatch(bytes, opts);
    case "obj": {
      const r = parseObj(bytes, opts.maxTriangles);
      return finish("obj", unit, scale, r, opts);
    }
  }
}

/**
 * A file that starts with "solid" but is not the size of a binary STL: ASCII STL, unless it does not
 * parse as such and looks binary, or its whole content after "solid" was one "name" of binary bytes
 * (no facet at all): then it is a binary STL of the wrong size.
 */
function asciiOrMismatch(bytes: Uint8Array, opts: Resolved): ModelAnalysis {
  const expected = binaryStlExpectedSize(bytes);
  const mismatch = () =>
    fail(
      "STL_SIZE_MISMATCH",
      `The file starts with "solid" but is not ASCII STL, and as binary STL its size (${bytes.length} bytes) does not match its triangle count (expected ${expected} bytes).`,
    );
  let a: ModelAnalysis;
  try {
    a = analyzeAscii(bytes, opts);
  } catch (e) {
    if (
      e instanceof QuoteError &&
      e.code === "STL_PARSE_ERROR" &&
      (hasBinaryBytes(bytes) || Math.abs(expected - bytes.length) < 50)
    ) {
      mismatch();
    }
    throw e;
  }
  if (a.triangles === 0 && hasBinaryBytes(bytes)) mismatch();
  return a;
}

/** `b`: the file, or at least its first 4 KB; `size`: the file's size. */
function looksBinaryStl(b: Uint8Array, size: number): boolean {
  const expected = binaryStlExpectedSize(b);
  // a binary STL is at least as long as its declared triangle count needs (or truncated: reported as such)
  return expected >= 84 && (hasBinaryBytes(b) || expected <= size + 50 * 1024 * 1024);
}

/** How much of a file's start `readsAsBinaryStl` needs (what `looksLikeObj` reads). */
export const FORMAT_HEAD_BYTES = 64 * 1024;

/**
 * Whether `analyzeModel` reads a file of `size` bytes starting with `head` (its first
 * `FORMAT_HEAD_BYTES`, or all of it) as binary STL: what a binary STL read while it arrives
 * (`BinaryStlAnalysis`) must be checked against once the size is known.
 */
export function readsAsBinaryStl(head: Uint8Array, size: number, options?: AnalyzeOptions): boolean {
  if (size === 0 || size > resolveOptions(options).maxBytes || size < 84 || isZip(head)) return false;
  if (binaryStlExpectedSize(head) === size) return true;
  if (startsWithSolid(head) || looksLikeObj(head)) return false;
  return looksBinaryStl(head, size);
}

/**
 * A binary STL analysed while it arrives, piece by piece (an upload): the same result and the same
 * errors as `analyzeModel` of the whole file, provided `readsAsBinaryStl` holds for it.
 */
export class BinaryStlAnalysis {
  private readonly opts: Resolved;
  private readonly feed: BinaryStlFeed;

  constructor(options?: AnalyzeOptions) {
    this.opts = resolveOptions(options);
    this.feed = new BinaryStlFeed(this.opts.maxTriangles, { soup: false, weld: this.opts.topology });
  }

  push(chunk: Uint8Array): void {
    this.feed.push(chunk);
  }

  result(): ModelAnalysis {
    const size = this.feed.size;
    if (size === 0) fail("EMPTY_FILE", "The file is empty.");
    if (size > this.opts.maxBytes)
      fail("FILE_TOO_LARGE", `The file is ${size} bytes; the limit is ${this.opts.maxBytes} bytes.`);
    const { unit, scale } = stlScale(this.opts);
    try {
      return finish("stl-binary", unit, scale, this.feed.finish(), this.opts);
    } catch (e) {
      if (e instanceof RangeError)
        fail("TOO_MANY_TRIANGLES", "The model is too large to analyse within the memory limits.");
      throw e;
    }
  }
}

function hasBinaryBytes(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  for (let i = 84; i < n; i++) {
    const c = b[i]!;
    if (c < 9 || (c > 13 && c < 32)) return true;
  }
  return false;
}

function analyzeAscii(bytes: Uint8Array, opts: Resolved): ModelAnalysis {
  const p = new AsciiStlParser(opts.maxTriangles, { keepPositions: opts.topology });
  const CH = 1 << 20;
  for (let i = 0; i < bytes.length; i += CH) p.push(bytes.subarray(i, Math.min(bytes.length, i + CH)));
  p.finish();
  const { unit, scale } = stlScale(opts);
  return finish("stl-ascii", unit, scale, p.result(), opts);
}

/**
 * One range of an ASCII STL parsed on its own (see `nextFacetStart`): its measures and, when topology is
 * wanted, its exact weld (vertex ids and distinct vertices; the soup itself is not kept).
 */
export interface AsciiPart {
  triangles: number;
  measures: Measures;
  weld?: RangeWeld;
  /** The range's own edges, classified by the range worker (`rangeEdges`). */
  edges?: RangeEdges;
}

/**
 * Finishes the analysis of an ASCII STL parsed in ranges, in file order: the same result as parsing it in
 * one piece (volume and area are summed per range, so they may differ in the last bits of float64
 * rounding; the ranges' welds are joined into the vertex numbering of a one-piece weld).
 */
export function analyzeAsciiParts(parts: AsciiPart[], options?: AnalyzeOptions): ModelAnalysis {
  const opts = resolveOptions(options);
  const triangles = parts.reduce((n, p) => n + p.triangles, 0);
  if (triangles > opts.maxTriangles)
    fail("TOO_MANY_TRIANGLES", `The model has more than ${opts.maxTriangles} triangles.`);
  const welds = parts.map((p) => p.weld);
  const withTopology = opts.topology && triangles > 0;
  if (withTopology && !welds.every((w) => w !== undefined))
    fail("INVALID_OPTIONS", "The ranges were parsed without topology.");
  const { unit, scale } = stlScale(opts);
  const measures = mergeMeasures(parts);
  const soup = new Float32Array(0);
  if (!withTopology)
    return finish("stl-ascii", unit, scale, { soup, triangles, measures, warnings: [] }, opts);
  const rangeWelds = welds as RangeWeld[];
  const joined = joinVertices(rangeWelds);
  const topology = (tol: number, totalVolume: number) => {
    // the ranges classified their own edges: only those shared between ranges are left to do here
    const ranged = parts.every((p) => p.edges !== undefined)
      ? joinRangeTopology(
          parts.map((p) => ({ weld: p.weld!, edges: p.edges! })),
          joined,
          tol,
        )
      : null;
    if (ranged) return topologyOutcome(ranged, triangles, tol, totalVolume);
    return analyzeTopology(soup, triangles, tol, totalVolume, joinWelds(rangeWelds, joined));
  };
  return finish("stl-ascii", unit, scale, { soup, triangles, measures, warnings: [], topology }, opts);
}

/**
 * Streaming analysis: ASCII STL is parsed chunk by chunk (a 280 MB file never needs to be held as
 * text); other formats are gathered (within maxBytes) and analysed as a whole.
 */
export async function analyzeStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: AnalyzeOptions,
): Promise<ModelAnalysis> {
  const opts = resolveOptions(options);
  const head: Uint8Array[] = [];
  let headLen = 0;
  let total = 0;
  let ascii: AsciiStlParser | null = null;
  let decided = false;
  for await (const chunk of chunks as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > opts.maxBytes) fail("FILE_TOO_LARGE", `The file is larger than ${opts.maxBytes} bytes.`);
    if (ascii) {
      ascii.push(chunk);
      continue;
    }
    head.push(chunk);
    headLen += chunk.length;
    if (!decided && headLen >= 4096) {
      decided = true;
      const first = concat(head, headLen);
      if (startsWithSolid(first) && !hasBinaryBytes(first)) {
        ascii = new AsciiStlParser(opts.maxTriangles, { keepPositions: opts.topology });
        ascii.push(first);
        head.length = 0;
      }
    }
  }
  if (ascii) {
    ascii.finish();
    const { unit, scale } = stlScale(opts);
    return finish("stl-ascii", unit, scale, ascii.result(), opts);
  }
  return analyzeModel(concat(head, headLen), options);
}

function concat(parts: Uint8Array[], len: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
