import { type FileHandle, open } from "node:fs/promises";
import type { AsciiPart } from "../analyze.ts";
import { AsciiStlParser, nextFacetStart } from "../formats/stl.ts";

/**
 * A large ASCII STL split into byte ranges that parse independently, one per worker thread: number
 * parsing dominates ASCII analysis, and it divides cleanly at facet boundaries.
 */

/** Below this size one thread is faster than handing ranges to several. */
export const SPLIT_MIN_BYTES = 8 * 1024 * 1024;
const WINDOW = 64 * 1024;
const CHUNK = 1 << 20;

/**
 * Boundaries [0, b1, …, size] where each inner boundary is the start of a facet, or null when the file
 * cannot be split (no facet found near a cut; the caller parses it in one piece).
 */
export async function planAsciiRanges(fh: FileHandle, size: number, parts: number): Promise<number[] | null> {
  const cuts = [0];
  const window = new Uint8Array(WINDOW);
  for (let k = 1; k < parts; k++) {
    const nominal = Math.floor((size * k) / parts);
    const { bytesRead } = await fh.read(window, 0, WINDOW, nominal);
    // from 1: a facet keyword needs the blank before it, which is the window's first byte at best
    const at = nextFacetStart(window.subarray(0, bytesRead), 1);
    if (at < 0) return null;
    const cut = nominal + at;
    if (cut <= cuts[cuts.length - 1]!) return null;
    cuts.push(cut);
  }
  cuts.push(size);
  return cuts;
}

/** Parses bytes [start, end) of an ASCII STL file: a range from `planAsciiRanges`. */
export async function parseAsciiRange(
  path: string,
  start: number,
  end: number,
  maxTriangles: number,
  keepPositions: boolean,
): Promise<AsciiPart> {
  const parser = new AsciiStlParser(maxTriangles, { continuation: start > 0, keepPositions });
  const fh = await open(path, "r");
  try {
    // one reused buffer: the parser copies what it keeps (a partial token) before the next read
    const buf = new Uint8Array(CHUNK);
    for (let pos = start; pos < end; ) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, end - pos), pos);
      if (bytesRead === 0) break;
      parser.push(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  parser.finish();
  const { soup, triangles, measures } = parser.result();
  return { soup: soup as Float32Array, triangles, measures };
}
