import { DEFAULT_MAX_TRIANGLES, DEFAULT_ZIP_LIMITS, detectFormat, QuoteError } from "@ktizo/quote";
// The slicer needs the same parsed triangles as the quote engine (3MF build and component transforms
// applied), so it uses the engine's own readers rather than a second one.
import {
  AsciiStlParser,
  binaryStlExpectedSize,
  parse3mf,
  parseBinaryStl,
  parseObj,
  startsWithSolid,
} from "@ktizo/quote/formats";
import { zlibInflateRaw } from "@ktizo/quote/node";

/** Triangles in millimetres, nine coordinates each, build transforms applied. */
export interface Mesh {
  positions: Float64Array;
  triangles: number;
  min: [number, number, number];
  size: [number, number, number];
}

/**
 * Parses a customer's model with the quote engine's parsers and keeps only its triangles: metadata,
 * slicer settings and scripts inside a 3MF are never read, so none of them can reach the slicer.
 * Throws QuoteError (the same codes as the analysis) on a file that cannot be read.
 */
export function parseMesh(bytes: Uint8Array, options: { units?: "millimeter" | "inch" } = {}): Mesh {
  if (bytes.length === 0) throw new QuoteError("EMPTY_FILE", "The file is empty.");
  const format = detectFormat(bytes);
  const stlScale = options.units === "inch" ? 25.4 : 1;
  let soup: Float32Array | Float64Array;
  let triangles: number;
  let scale = stlScale;
  if (format === "3mf") {
    const r = parse3mf(
      bytes,
      {
        maxEntries: DEFAULT_ZIP_LIMITS.maxZipEntries,
        maxUncompressedBytes: DEFAULT_ZIP_LIMITS.maxUncompressedBytes,
        maxCompressionRatio: DEFAULT_ZIP_LIMITS.maxCompressionRatio,
        inflateRaw: zlibInflateRaw,
      },
      DEFAULT_MAX_TRIANGLES,
    );
    ({ soup, triangles, scale } = r);
  } else if (format === "obj") {
    ({ soup, triangles } = parseObj(bytes, DEFAULT_MAX_TRIANGLES));
  } else if (
    format === "stl-ascii" ||
    (startsWithSolid(bytes) && binaryStlExpectedSize(bytes) !== bytes.length)
  ) {
    const parser = new AsciiStlParser(DEFAULT_MAX_TRIANGLES, { keepPositions: true });
    parser.push(bytes);
    parser.finish();
    ({ soup, triangles } = parser.result());
  } else {
    ({ soup, triangles } = parseBinaryStl(bytes, DEFAULT_MAX_TRIANGLES, true));
  }
  const positions = new Float64Array(triangles * 9);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < triangles * 9; i++) {
    const v = soup[i]! * scale;
    positions[i] = v;
    const axis = i % 3;
    if (v < lo[axis]!) lo[axis] = v;
    if (v > hi[axis]!) hi[axis] = v;
  }
  if (triangles === 0) return { positions, triangles, min: [0, 0, 0], size: [0, 0, 0] };
  return {
    positions,
    triangles,
    min: [lo[0]!, lo[1]!, lo[2]!],
    size: [hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!],
  };
}
