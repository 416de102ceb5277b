import { fail } from "../errors.ts";
import {
  ExactWelder32,
  type IndexedMesh,
  MeasureAcc,
  type Measures,
  measureSoup,
  SmallAreas,
  type TopologyResult,
} from "../geometry.ts";
import { numEnd, parseNumber, parseNumberFast } from "../numbers.ts";
import { BinaryStlFeed } from "./stl-binary.ts";
import { VertexTextCache } from "./stl-vertex-text.ts";

// a local alias: reading an imported binding in a hot loop can cost a getter call per access
const NE = numEnd;

export interface SoupResult {
  soup: Float32Array | Float64Array;
  /**
   * Vertex indices straight from an indexed format (3MF), so topology can skip the exact weld; or the
   * exact weld itself, done while parsing (`exact`; the soup is then empty).
   */
  indexed?: IndexedMesh;
  /**
   * The topology for a weld tolerance, when the parse has its own way to it (the ranges of a split
   * parse, `analyzeAsciiParts`); otherwise `analyzeTopology` of the soup or `indexed`.
   */
  topology?: (tol: number, totalVolume: number) => TopologyResult;
  triangles: number;
  measures: Measures;
  warnings: { code: string; message: string }[];
}

/** True when the first non-blank bytes spell "solid" (any case). */
export function startsWithSolid(b: Uint8Array): boolean {
  let i = 0;
  while (i < b.length && i < 512 && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
  if (i + 5 > b.length) return false;
  const s = "solid";
  for (let k = 0; k < 5; k++) if ((b[i + k]! | 0x20) !== s.charCodeAt(k)) return false;
  return true;
}

export function binaryStlExpectedSize(b: Uint8Array): number {
  if (b.length < 84) return -1;
  const n = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(80, true);
  return 84 + 50 * n;
}

/**
 * Binary STL: copies positions into a Float32Array and measures volume, area and bbox in the same pass
 * (`BinaryStlFeed` given the whole file). Checks for non-finite coordinates with one comparison per value.
 */
export function parseBinaryStl(b: Uint8Array, maxTriangles: number, withSoup = true): SoupResult {
  const feed = new BinaryStlFeed(maxTriangles, { soup: withSoup, weld: false, knownSize: b.length });
  feed.push(b);
  return feed.finish();
}

/** Growable float32 soup. */
export class SoupBuilder {
  data: Float32Array;
  length = 0;
  constructor(initialTriangles = 1024) {
    this.data = new Float32Array(Math.max(9, initialTriangles * 9));
  }
  ensure(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const d = new Float32Array(cap);
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }
}

enum S {
  Top = 0, // expecting "solid" / "facet" / "endsolid"
  FacetNormal = 1, // after "facet": expect "normal"
  Normal = 2, // reading 3 normal numbers
  Outer = 3, // expect "outer"
  Loop = 4, // expect "loop"
  Vertex = 5, // expect "vertex" (3 times) or "endloop"
  VertexNum = 6, // reading 3 numbers
  EndFacet = 7, // expect "endfacet"
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11;
}

/**
 * Incremental ASCII STL parser: push byte chunks of any size; keywords in any case; several solids.
 * Never holds more than one chunk plus a partial token; positions go into a float32 soup.
 * Hand-written over the bytes (no library reads ASCII STL incrementally; TextDecoder + split + Number()
 * would hold the whole text as a string first): `pnpm bench:quote` reads the 254 MB `%e` torus at
 * ~3× the CPU of a byte-sum loop and ~105 MB peak RSS, and with topology on the pool at ~275 MB peak.
 */
export class AsciiStlParser {
  private state: S = S.Top;
  private carry: Uint8Array = new Uint8Array(0);
  private count = 0; // numbers read in the current group
  private verts = 0; // vertices in the current loop
  private skipLine = false; // skipping a solid name to end of line
  private sawSolid = false;
  private consumed = 0; // bytes pushed before the current buffer
  private base = 0; // absolute offset of the current buffer
  private cur = 0; // token start within the current buffer
  readonly soup = new SoupBuilder(4096);
  triangles = 0;
  private readonly keepPositions: boolean;
  private folded = 0; // triangles already measured and dropped (keepPositions: false)
  private readonly acc = new MeasureAcc();
  private readonly welder: ExactWelder32 | null;
  private ids = new Int32Array(0); // corner -> vertex id (weld)
  private readonly texts: VertexTextCache | null; // recent vertex texts (weld)
  /**
   * `continuation`: the bytes start at a facet in the middle of a file (one range of a split parse),
   * so no "solid" line comes first. `keepPositions: false` measures as it goes and keeps no positions
   * (volume, area and bbox only, no topology), so memory stays flat however large the file. `weld`
   * (with `keepPositions: false`) also welds each chunk's triangles as it goes and keeps only their
   * vertex ids and the distinct vertices, ~12 bytes a triangle instead of the soup's 36: the split
   * parse of the analysis pool sends these to the worker that finishes the topology (`welded()`).
   * `expectedTriangles` sizes the weld's arrays up front, so they are not regrown (and the old ones
   * left to the garbage collector) as the triangles come.
   */
  constructor(
    private readonly maxTriangles: number,
    opts: {
      continuation?: boolean;
      keepPositions?: boolean;
      weld?: boolean;
      expectedTriangles?: number;
      /** The size of the weld's cache of vertex texts (tests set it small, to make texts collide). */
      vertexTextSlots?: number;
    } = {},
  ) {
    this.sawSolid = opts.continuation === true;
    this.keepPositions = opts.keepPositions !== false;
    const expected = Math.min(opts.expectedTriangles ?? 0, maxTriangles);
    // a closed mesh has about half as many vertices as triangles
    this.welder = !this.keepPositions && opts.weld === true ? new ExactWelder32(expected >>> 1) : null;
    this.texts = this.welder ? new VertexTextCache(opts.vertexTextSlots) : null;
    // the triangles' areas are at hand here, sequentially: the smallest are kept for the degenerate count
    if (this.welder) this.acc.small = new SmallAreas();
    if (this.welder && expected > 0) this.ids = new Int32Array(expected * 3);
  }

  private get where(): number {
    return this.base + this.cur;
  }

  private err(msg: string): never {
    fail("STL_PARSE_ERROR", `ASCII STL, near byte ${this.where}: ${msg}`);
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.carry.length > 0) {
      // finish the token cut at the end of the previous chunk in a small buffer of its own, so the
      // chunk itself is scanned in place (never copied)
      let w = 0;
      while (w < chunk.length && !isSpace(chunk[w]!)) w++;
      const joined = new Uint8Array(this.carry.length + Math.min(w + 1, chunk.length));
      joined.set(this.carry);
      joined.set(chunk.subarray(0, w + 1), this.carry.length);
      if (w === chunk.length) {
        if (joined.length > 4096) {
          this.base = this.consumed - this.carry.length;
          this.err("a token longer than 4 KB");
        }
        this.carry = joined;
        this.consumed += chunk.length;
        return;
      }
      this.base = this.consumed - this.carry.length;
      this.scan(joined, 0, joined.length);
      start = w + 1;
    }
    // process up to the last whitespace; keep the partial token for next time
    let end = chunk.length;
    while (end > start && !isSpace(chunk[end - 1]!)) end--;
    if (end === start && chunk.length - start > 4096) {
      this.base = this.consumed;
      this.cur = start;
      this.err("a token longer than 4 KB");
    }
    this.base = this.consumed;
    this.scan(chunk, start, end);
    this.carry = chunk.slice(end);
    this.consumed += chunk.length;
    if (!this.keepPositions) this.fold();
  }

  /** Measures the complete triangles held and drops them, keeping a facet in progress. */
  private fold(): void {
    const complete = this.triangles - this.folded;
    if (complete === 0) return;
    const soup = this.soup;
    const done = complete * 9;
    this.acc.add(soup.data, complete);
    soup.data.copyWithin(0, done, soup.length);
    soup.length -= done;
    this.folded = this.triangles;
  }

  finish(): void {
    if (this.carry.length > 0) {
      const b = new Uint8Array(this.carry.length + 1);
      b.set(this.carry);
      b[this.carry.length] = 10;
      this.base = this.consumed - this.carry.length;
      this.carry = new Uint8Array(0);
      this.scan(b, 0, b.length);
    }
    if (!this.sawSolid) this.err('the file does not start with "solid"');
    if (this.state !== S.Top) this.err("the file ends in the middle of a facet (truncated)");
  }

  private scan(b: Uint8Array, start: number, end: number): void {
    let i = start;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const soup = this.soup;
    while (i < end) {
      let c = b[i]!;
      if (this.skipLine) {
        while (i < end && b[i] !== 10 && b[i] !== 13) i++;
        if (i < end) this.skipLine = false;
        continue;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      const st = this.state;
      this.cur = i;
      if (st === S.Normal) {
        // facet normals are ignored (recomputed from the winding), so they are skipped, not parsed
        while (i < end && !isSpace(b[i]!)) i++;
        if ((c | 0x20) === 111 /* o */ && kw(b, this.cur, i - this.cur, "outer")) {
          // "facet normal" with its numbers missing, as some exporters write it: no number starts with o
          this.state = S.Loop;
          continue;
        }
        if (++this.count === 3) {
          this.count = 0;
          this.state = S.Outer;
        }
        continue;
      }
      if (st === S.Top && (c | 0x20) === 102 /* f */) {
        const next = this.fastFacet(b, dv, i, end);
        if (next > 0) {
          i = next;
          continue;
        }
      }
      if (st === S.VertexNum) {
        const v = parseNumber(b, i, end);
        const j = NE.pos;
        if (j === i || (j < end && !isSpace(b[j]!))) {
          const tok = tokenText(b, i, end);
          if (/^[+-]?(nan|inf|infinity)$/i.test(tok)) {
            fail(
              "NON_FINITE_COORDINATE",
              `ASCII STL, near byte ${this.where}: coordinate "${tok}" is not finite.`,
            );
          }
          this.err(`expected a number, found "${tok}"`);
        }
        if (!Number.isFinite(v) || Math.abs(v) > 3.4028234663852886e38) {
          fail("NON_FINITE_COORDINATE", `ASCII STL, near byte ${this.where}: coordinate out of range.`);
        }
        soup.data[soup.length++] = v;
        i = j;
        if (++this.count === 3) {
          this.count = 0;
          this.state = S.Vertex;
          if (this.welder) this.weldCorner(this.triangles * 3 + this.verts, soup.data, soup.length - 3);
          this.verts++;
        }
        continue;
      }
      // keyword: compare lowercase
      let j = i;
      while (j < end && !isSpace(b[j]!)) j++;
      const len = j - i;
      c |= 0x20;
      switch (st) {
        case S.Top:
          if (kw(b, i, len, "solid")) {
            this.sawSolid = true;
            this.skipLine = true;
          } else if (kw(b, i, len, "facet")) {
            if (!this.sawSolid) this.err('"facet" before "solid"');
            this.state = S.FacetNormal;
          } else if (kw(b, i, len, "endsolid")) {
            this.skipLine = true;
          } else this.err(`unexpected "${tokenText(b, i, end)}"`);
          break;
        case S.FacetNormal:
          if (kw(b, i, len, "outer")) {
            // "facet" with no normal at all
            this.state = S.Loop;
            break;
          }
          if (!kw(b, i, len, "normal")) this.err('expected "normal" after "facet"');
          this.state = S.Normal;
          this.count = 0;
          break;
        case S.Outer:
          if (!kw(b, i, len, "outer")) this.err('expected "outer loop"');
          this.state = S.Loop;
          break;
        case S.Loop:
          if (!kw(b, i, len, "loop")) this.err('expected "loop" after "outer"');
          this.state = S.Vertex;
          this.verts = 0;
          break;
        case S.Vertex:
          if (kw(b, i, len, "vertex")) {
            if (this.verts >= 3) this.err("a facet with more than 3 vertices");
            if (this.verts === 0) {
              if (this.triangles >= this.maxTriangles) {
                fail("TOO_MANY_TRIANGLES", `The model has more than ${this.maxTriangles} triangles.`);
              }
              soup.ensure(9);
              if (this.welder) this.ensureIds();
            }
            this.state = S.VertexNum;
            this.count = 0;
          } else if (kw(b, i, len, "endloop")) {
            if (this.verts !== 3) this.err(`a facet with ${this.verts} vertices (expected 3)`);
            this.triangles++;
            this.state = S.EndFacet;
          } else this.err(`expected "vertex" or "endloop", found "${tokenText(b, i, end)}"`);
          break;
        case S.EndFacet:
          if (!kw(b, i, len, "endfacet")) this.err('expected "endfacet"');
          this.state = S.Top;
          break;
      }
      i = j;
    }
  }

  /**
   * The whole canonical facet in one go ("facet normal n n n outer loop vertex x y z ×3 endloop
   * endfacet", any case). Returns the position after it, or -1 to let the general state machine handle
   * it (chunk boundary, unusual layout or an error to report with its line number).
   */
  private fastFacet(b: Uint8Array, dv: DataView, i0: number, end: number): number {
    if (this.triangles >= this.maxTriangles) return -1;
    let i = matchKw(dv, b, i0, end, K_FACET);
    if (i < 0) return -1;
    i = matchKw(dv, b, skipWs(b, i, end), end, K_NORMAL);
    if (i < 0) return -1;
    for (let k = 0; k < 3; k++) {
      i = skipWs(b, i, end);
      const s0 = i;
      while (i < end && b[i]! > 32) i++;
      if (i === s0 || i >= end) return -1;
    }
    i = matchKw(dv, b, skipWs(b, i, end), end, K_OUTER);
    if (i < 0) return -1;
    i = matchKw(dv, b, skipWs(b, i, end), end, K_LOOP);
    if (i < 0) return -1;
    const soup = this.soup;
    if (soup.length + 9 > soup.data.length) soup.ensure(9);
    const d = soup.data;
    const o = soup.length;
    const texts = this.texts;
    if (texts) this.ensureIds();
    const corner = this.triangles * 3;
    for (let v = 0; v < 3; v++) {
      i = matchKw(dv, b, skipWs(b, i, end), end, K_VERTEX);
      if (i < 0) return -1;
      const s = skipWs(b, i, end);
      const at = o + v * 3;
      if (texts) {
        // a vertex text read recently: its value and id without parsing (see VertexTextCache)
        const len = texts.find(dv, b, s, end);
        if (len > 0) {
          const base = texts.base;
          const f = texts.f;
          d[at] = f[base + 2]!;
          d[at + 1] = f[base + 3]!;
          d[at + 2] = f[base + 4]!;
          this.ids[corner + v] = texts.c[base + 1]!;
          i = s + len;
          continue;
        }
      }
      i = s;
      for (let k = 0; k < 3; k++) {
        i = skipWs(b, i, end);
        const x = parseNumberFast(b, i, true);
        const j = NE.pos;
        if (j === i || j >= end || b[j]! > 32 || !(Math.abs(x) <= 3.4028234663852886e38)) return -1;
        d[at + k] = x;
        i = j;
      }
      if (texts) {
        const id = this.weldCorner(corner + v, d, at);
        const u = BITS;
        texts.add(dv, s, i - s, end, u[0]!, u[1]!, u[2]!, id);
      }
    }
    i = matchKw(dv, b, skipWs(b, i, end), end, K_ENDLOOP);
    if (i < 0) return -1;
    // the chunk ends in a blank, so a complete facet always has one after "endfacet"
    i = matchKw(dv, b, skipWs(b, i, end), end, K_ENDFACET);
    if (i < 0) return -1;
    soup.length = o + 9;
    this.triangles++;
    return i;
  }

  /** How many corners the weld took from its cache of vertex texts (`weld: true`). */
  get vertexTextHits(): number {
    return this.texts?.hits ?? 0;
  }

  /** Room in `ids` for one more triangle. */
  private ensureIds(): void {
    const need = (this.triangles + 1) * 3;
    if (this.ids.length >= need) return;
    const grown = new Int32Array(Math.max(1 << 16, need * 2));
    grown.set(this.ids.subarray(0, this.triangles * 3));
    this.ids = grown;
  }

  /**
   * Welds the corner whose position is d[at…at+2] (exact weld by float32 value) and records its id;
   * returns the id, with the position's float32 bits left in BITS.
   */
  private weldCorner(corner: number, d: Float32Array, at: number): number {
    const f = BITS_F;
    f[0] = d[at]!;
    f[1] = d[at + 1]!;
    f[2] = d[at + 2]!;
    const id = this.welder!.weldOne(BITS[0]!, BITS[1]!, BITS[2]!);
    this.ids[corner] = id;
    return id;
  }

  /**
   * The exact weld (`weld: true`), after `finish()`: each corner's vertex id (a view: the buffer may be
   * longer, and is never copied) and the welder, for its vertices or its table.
   */
  welded(): { ids: Int32Array; welder: ExactWelder32; small: SmallAreas } | null {
    if (!this.welder) return null;
    this.fold();
    return { ids: this.ids.subarray(0, this.triangles * 3), welder: this.welder, small: this.acc.small! };
  }

  result(): SoupResult {
    const triangles = this.triangles;
    if (!this.keepPositions) {
      this.fold();
      const result: SoupResult = {
        soup: new Float32Array(0),
        triangles,
        measures: this.acc.result(),
        warnings: [],
      };
      return result;
    }
    const soup = this.soup.data.subarray(0, triangles * 9);
    return { soup, triangles, measures: measureSoup(soup, triangles), warnings: [] };
  }
}

/** Scratch for a position's float32 bit patterns. */
const BITS_F = new Float32Array(3);
const BITS = new Uint32Array(BITS_F.buffer);

/**
 * The offset of the first facet that starts at or after `from` ("facet" after a blank, then "normal";
 * any case), or -1. Splits a large ASCII STL into ranges that parse independently; a solid named
 * "facet normal" could fool it, which is why a failed split parse is redone in one piece.
 */
export function nextFacetStart(b: Uint8Array, from: number): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = Math.max(1, from); i + 12 <= b.length; i++) {
    if ((b[i]! | 0x20) !== 102 /* f */ || b[i - 1]! > 32) continue;
    const afterFacet = matchKw(dv, b, i, b.length, K_FACET);
    if (afterFacet < 0) continue;
    if (matchKw(dv, b, skipWs(b, afterFacet, b.length), b.length, K_NORMAL) > 0) return i;
  }
  return -1;
}

/**
 * A keyword for the whole-facet fast path: its first four bytes as one lowercased little-endian word,
 * so most of the comparison is a single 32-bit read.
 */
interface Keyword {
  n: number;
  head: number;
  bytes: Uint8Array;
}
const LOWER4 = 0x20202020;

function keyword(w: string): Keyword {
  const bytes = bytesOf(w);
  const head = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24) | LOWER4;
  return { n: bytes.length, head, bytes };
}

const K_FACET = keyword("facet");
const K_NORMAL = keyword("normal");
const K_OUTER = keyword("outer");
const K_LOOP = keyword("loop");
const K_VERTEX = keyword("vertex");
const K_ENDLOOP = keyword("endloop");
const K_ENDFACET = keyword("endfacet");

/** Case-insensitive keyword followed by a blank (before `end`); returns the position after it or -1. */
function matchKw(dv: DataView, b: Uint8Array, i: number, end: number, k: Keyword): number {
  const n = k.n;
  if (i < 0 || i + n >= end) return -1;
  if ((dv.getUint32(i, true) | LOWER4) !== k.head) return -1;
  for (let t = 4; t < n; t++) if ((b[i + t]! | 0x20) !== k.bytes[t]) return -1;
  return b[i + n]! > 32 ? -1 : i + n;
}

function bytesOf(w: string): Uint8Array {
  return Uint8Array.from(w, (c) => c.charCodeAt(0));
}

function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end && b[i]! <= 32) i++;
  return i;
}

function kw(b: Uint8Array, i: number, len: number, word: string): boolean {
  if (len !== word.length) return false;
  for (let k = 0; k < len; k++) if ((b[i + k]! | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

function tokenText(b: Uint8Array, i: number, end: number): string {
  let j = i;
  while (j < end && j - i < 40 && !isSpace(b[j]!)) j++;
  let s = "";
  for (let k = i; k < j; k++) s += String.fromCharCode(b[k]!);
  return s;
}
