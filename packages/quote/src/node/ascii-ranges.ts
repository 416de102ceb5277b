import { type FileHandle, open } from "node:fs/promises";
import type { AsciiPart } from "../analyze.ts";
import { AsciiStlParser, nextFacetStart } from "../formats/stl.ts";
import { type RangeEdges, rangeEdges } from "../range-topology.ts";
import type { AsciiRangeSource } from "./tasks.ts";
import { trace, tracing } from "./trace.ts";

/**
 * A large ASCII STL split into byte ranges that parse independently, one per worker thread: number
 * parsing dominates ASCII analysis, and it divides cleanly at facet boundaries.
 */

/** Below this size one thread is faster than handing ranges to several. */
export const SPLIT_MIN_BYTES = 8 * 1024 * 1024;
const WINDOW = 64 * 1024;
const CHUNK = 1 << 20;

/**
 * Boundaries [0, b1, …, size] where each inner boundary is the start of a facet, or null when the model
 * cannot be split (no facet found near a cut; the caller parses it in one piece). `windowAt(offset)`
 * gives the bytes from `offset` on (at most WINDOW of them).
 */
async function planCuts(
  size: number,
  parts: number,
  windowAt: (offset: number) => Uint8Array | Promise<Uint8Array>,
): Promise<number[] | null> {
  const cuts = [0];
  for (let k = 1; k < parts; k++) {
    const nominal = Math.floor((size * k) / parts);
    // from 1: a facet keyword needs the blank before it, which is the window's first byte at best
    const at = nextFacetStart(await windowAt(nominal), 1);
    if (at < 0 || nominal + at <= cuts[cuts.length - 1]!) return null;
    cuts.push(nominal + at);
  }
  cuts.push(size);
  return cuts;
}

/** The cuts of a file on disk (reads one small window per cut). */
export function planAsciiRanges(fh: FileHandle, size: number, parts: number): Promise<number[] | null> {
  const window = new Uint8Array(WINDOW);
  return planCuts(size, parts, async (offset) => {
    const { bytesRead } = await fh.read(window, 0, WINDOW, offset);
    return window.subarray(0, bytesRead);
  });
}

/** The same cuts for bytes in memory. */
export function planAsciiCuts(bytes: Uint8Array, parts: number): Promise<number[] | null> {
  return planCuts(bytes.length, parts, (offset) => bytes.subarray(offset, offset + WINDOW));
}

/**
 * The last range's parser and edges, kept until the next range is parsed. While an object lives, V8
 * keeps its hidden class and the optimized code built on it; the full collection after each large
 * task (worker.ts) found none of them alive, dropped them, and every range then started over in the
 * interpreter and recompiled its parse loop (~40 optimizing compilations and ~10 deoptimizations an
 * analysis, `node --trace-opt --trace-deopt`). What they hold is small: their large arrays were moved
 * to the finishing worker, and the welder lets go of its table (`ExactWelder32.release`).
 */
let previous: { parser: AsciiStlParser; edges: RangeEdges | undefined } | null = null;

/** Parses one range from `planAsciiRanges` / `planAsciiCuts`. */
export async function parseAsciiRange(
  source: AsciiRangeSource,
  opts: { continuation: boolean; maxTriangles: number; keepPositions: boolean },
): Promise<AsciiPart> {
  // with topology the range is welded as it is parsed: only vertex ids and distinct vertices are kept
  const bytes = "buffer" in source ? source.buffer.byteLength : source.end - source.start;
  const parser = new AsciiStlParser(opts.maxTriangles, {
    continuation: opts.continuation,
    keepPositions: false,
    weld: opts.keepPositions,
    // a facet as exporters write it takes 250–330 bytes (%e, or 17 digits); if fewer, arrays grow
    expectedTriangles: Math.ceil(bytes / 200),
  });
  if ("buffer" in source) {
    const b = new Uint8Array(source.buffer);
    for (let i = 0; i < b.length; i += CHUNK) parser.push(b.subarray(i, i + CHUNK));
  } else {
    const fh = await open(source.path, "r");
    const { end } = source;
    const read = (buf: Uint8Array, at: number) =>
      at < end ? fh.read(buf, 0, Math.min(CHUNK, end - at), at) : null;
    // two buffers, reused in turn: the next chunk is read (in libuv's pool) while this one is parsed;
    // the parser copies what it keeps of a chunk (a partial token) before it is read into again
    const bufs = [new Uint8Array(CHUNK), new Uint8Array(CHUNK)] as const;
    let pos = source.start;
    let k = 0;
    let pending = read(bufs[0], pos);
    let waited = 0;
    try {
      while (pending) {
        const w0 = tracing ? performance.now() : 0;
        const { bytesRead } = await pending;
        if (tracing) waited += performance.now() - w0;
        if (bytesRead === 0) break;
        const buf = bufs[k]!;
        pos += bytesRead;
        k ^= 1;
        pending = read(bufs[k]!, pos);
        parser.push(buf.subarray(0, bytesRead));
      }
    } finally {
      // a parse error leaves a read in flight: let it end before the file is closed
      await pending?.catch(() => undefined);
      await fh.close();
    }
    if (tracing) trace("range-read", { readWaitMs: waited });
  }
  parser.finish();
  const { triangles, measures } = parser.result();
  const welded = parser.welded();
  previous = { parser, edges: undefined };
  if (!welded) return { triangles, measures };
  const { ids, welder, small } = welded;
  // the range's own edges are classified here, in parallel with the other ranges (`rangeEdges`)
  if (tracing) trace("range-parsed", { triangles, vertices: welder.count });
  const edges = rangeEdges(ids, welder.count, small);
  previous.edges = edges;
  if (tracing) trace("range-edges");
  // the first range hands over its hash table, which the join carries on; the others their vertices
  const part: AsciiPart = opts.continuation
    ? { triangles, measures, weld: { ids, count: welder.count, verts: welder.vertices() }, edges }
    : { triangles, measures, weld: { ids, ...welder.state() }, edges };
  // the kept parser keeps no table: a later range's own is ~8 bytes a vertex
  welder.release();
  return part;
}
