import { fail } from "../errors.ts";
import { ExactWelder32, emptyMeasures, type IndexedMesh, type Measures } from "../geometry.ts";
import type { SoupResult } from "./stl.ts";

/** Triangles whose corners are welded at a time when no soup is kept (a scratch buffer in the cache). */
const WELD_BATCH = 4096;
/** Triangles the id and soup arrays start with when the file's size is not known yet; they double. */
const INITIAL_CAPACITY = 65_536;

/**
 * Binary STL read in pieces of any size, as they arrive (an upload from the socket, a file in one piece):
 * the 50-byte records are measured (volume, area, bbox, non-finite check, in file order with the same
 * arithmetic, so any split gives the same numbers) and, for topology, their corners welded exactly
 * (`ExactWelder32`: vertex ids by first appearance, as welding the whole soup would number them). Only a
 * record cut by a piece's end is copied (≤ 49 bytes). With `knownSize` (the whole file is at hand) the
 * size checks come first and the arrays are sized once; otherwise they grow up to the declared count.
 */
export class BinaryStlFeed {
  private readonly header = new Uint8Array(84);
  private headerLen = 0;
  private readonly carry = new Uint8Array(50);
  private readonly carryView = new DataView(this.carry.buffer);
  private carryLen = 0;
  /** Declared triangle count (-1 until the header has arrived). */
  private n = -1;
  /** Triangles read so far. */
  private t = 0;
  private received = 0;
  /** The declared count is over the limit: the rest is only counted (the error comes at `finish`). */
  private refused = false;
  private soup: Float32Array = new Float32Array(0);
  private ids: Int32Array = new Int32Array(0);
  private welder: ExactWelder32 | null = null;
  private scratch: Float32Array | null = null;
  private vol = 0;
  private area = 0;
  private minX = Number.POSITIVE_INFINITY;
  private minY = Number.POSITIVE_INFINITY;
  private minZ = Number.POSITIVE_INFINITY;
  private maxX = Number.NEGATIVE_INFINITY;
  private maxY = Number.NEGATIVE_INFINITY;
  private maxZ = Number.NEGATIVE_INFINITY;
  private bad = 0;

  constructor(
    private readonly maxTriangles: number,
    private readonly opts: { soup: boolean; weld: boolean; knownSize?: number },
  ) {}

  /** Bytes pushed so far. */
  get size(): number {
    return this.received;
  }

  push(chunk: Uint8Array): void {
    this.received += chunk.length;
    let off = 0;
    if (this.n < 0) {
      const take = Math.min(84 - this.headerLen, chunk.length);
      this.header.set(chunk.subarray(0, take), this.headerLen);
      this.headerLen += take;
      off = take;
      if (this.headerLen < 84) return;
      this.start(new DataView(this.header.buffer).getUint32(80, true));
    }
    if (this.refused) return;
    if (this.carryLen > 0 && off < chunk.length) {
      const take = Math.min(50 - this.carryLen, chunk.length - off);
      this.carry.set(chunk.subarray(off, off + take), this.carryLen);
      this.carryLen += take;
      off += take;
      if (this.carryLen < 50) return;
      this.carryLen = 0;
      this.records(this.carryView, 0, 1);
    }
    const whole = Math.min(Math.floor((chunk.length - off) / 50), this.n - this.t);
    if (whole > 0) {
      this.records(new DataView(chunk.buffer, chunk.byteOffset + off, whole * 50), 0, whole);
      off += whole * 50;
    }
    if (this.t < this.n && off < chunk.length) {
      this.carry.set(chunk.subarray(off), 0);
      this.carryLen = chunk.length - off;
    }
  }

  private start(n: number): void {
    this.n = n;
    if (this.opts.knownSize !== undefined) this.check(this.opts.knownSize);
    if (n > this.maxTriangles) {
      this.refused = true;
      return;
    }
    const capacity = this.opts.knownSize !== undefined ? n : Math.min(n, INITIAL_CAPACITY);
    if (this.opts.soup) this.soup = new Float32Array(capacity * 9);
    if (this.opts.weld) {
      this.ids = new Int32Array(capacity * 3);
      this.welder = new ExactWelder32(capacity >>> 1);
      if (!this.opts.soup) this.scratch = new Float32Array(Math.min(n, WELD_BATCH) * 9);
    }
  }

  /** The size checks of a whole file, in the order a one-piece read makes them. */
  private check(size: number): void {
    const n = this.n;
    const need = 84 + 50 * n;
    if (size < need) {
      fail(
        "STL_TRUNCATED",
        `Binary STL declares ${n} triangles (${need} bytes) but the file has only ${size} bytes: it is truncated or the count is wrong.`,
      );
    }
    if (n > this.maxTriangles)
      fail("TOO_MANY_TRIANGLES", `The model has ${n} triangles; the limit is ${this.maxTriangles}.`);
  }

  /** Makes room for `more` triangles in the soup and ids (doubling, up to the declared count). */
  private reserve(more: number): void {
    const need = this.t + more;
    const have = this.opts.weld ? this.ids.length / 3 : this.soup.length / 9;
    if (need <= have) return;
    const capacity = Math.min(this.n, Math.max(need, have * 2));
    if (this.opts.soup) {
      const soup = new Float32Array(capacity * 9);
      soup.set(this.soup);
      this.soup = soup;
    }
    if (this.opts.weld) {
      const ids = new Int32Array(capacity * 3);
      ids.set(this.ids);
      this.ids = ids;
    }
  }

  /** Measures (and keeps or welds) `count` records starting at byte `at` of `dv`. */
  private records(dv: DataView, at: number, count: number): void {
    if (this.opts.soup || this.opts.weld) this.reserve(count);
    for (let done = 0; done < count; ) {
      const batch = this.scratch ? Math.min(count - done, WELD_BATCH) : count - done;
      const first = this.t;
      const out = this.scratch ?? this.soup;
      this.measure(dv, at + done * 50, batch, this.scratch ? 0 : first * 9, out);
      if (this.welder) {
        const u = new Uint32Array(out.buffer, out.byteOffset + (this.scratch ? 0 : first * 36), batch * 9);
        this.welder.weld(u, batch * 3, this.ids, first * 3);
      }
      done += batch;
    }
  }

  private measure(dv: DataView, start: number, count: number, w0: number, out: Float32Array): void {
    const keep = out.length > 0;
    let { vol, area, minX, minY, minZ, maxX, maxY, maxZ, bad } = this;
    let o = start + 12; // skip the stored normal
    let w = w0;
    for (let k = 0; k < count; k++, o += 50) {
      const ax = dv.getFloat32(o, true);
      const ay = dv.getFloat32(o + 4, true);
      const az = dv.getFloat32(o + 8, true);
      const bx = dv.getFloat32(o + 12, true);
      const by = dv.getFloat32(o + 16, true);
      const bz = dv.getFloat32(o + 20, true);
      const cx = dv.getFloat32(o + 24, true);
      const cy = dv.getFloat32(o + 28, true);
      const cz = dv.getFloat32(o + 32, true);
      // NaN and ±Infinity make this sum NaN; finite values make it 0
      bad +=
        ax -
        ax +
        (ay - ay) +
        (az - az) +
        (bx - bx) +
        (by - by) +
        (bz - bz) +
        (cx - cx) +
        (cy - cy) +
        (cz - cz);
      if (keep) {
        out[w] = ax;
        out[w + 1] = ay;
        out[w + 2] = az;
        out[w + 3] = bx;
        out[w + 4] = by;
        out[w + 5] = bz;
        out[w + 6] = cx;
        out[w + 7] = cy;
        out[w + 8] = cz;
        w += 9;
      }
      vol += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
      const ux = bx - ax;
      const uy = by - ay;
      const uz = bz - az;
      const vx = cx - ax;
      const vy = cy - ay;
      const vz = cz - az;
      const nx = uy * vz - uz * vy;
      const ny = uz * vx - ux * vz;
      const nz = ux * vy - uy * vx;
      area += Math.sqrt(nx * nx + ny * ny + nz * nz);
      minX = Math.min(minX, ax, bx, cx);
      maxX = Math.max(maxX, ax, bx, cx);
      minY = Math.min(minY, ay, by, cy);
      maxY = Math.max(maxY, ay, by, cy);
      minZ = Math.min(minZ, az, bz, cz);
      maxZ = Math.max(maxZ, az, bz, cz);
    }
    this.vol = vol;
    this.area = area;
    this.minX = minX;
    this.minY = minY;
    this.minZ = minZ;
    this.maxX = maxX;
    this.maxY = maxY;
    this.maxZ = maxZ;
    this.bad = bad;
    this.t += count;
  }

  /**
   * The parse of everything pushed, as `parseBinaryStl` gives it for the same bytes (with `weld`, the exact
   * weld in `indexed` and no soup). Throws the same errors, in the same order.
   */
  finish(): SoupResult {
    const size = this.received;
    if (this.n < 0) fail("STL_TRUNCATED", `Binary STL is ${size} bytes; the header alone needs 84.`);
    this.check(size);
    const n = this.n;
    const warnings: SoupResult["warnings"] = [];
    const need = 84 + 50 * n;
    if (size > need) {
      warnings.push({
        code: "STL_TRAILING_DATA",
        message: `${size - need} bytes after the last triangle were ignored.`,
      });
    }
    if (this.bad !== 0) fail("NON_FINITE_COORDINATE", "The STL contains NaN or infinite coordinates.");
    const measures: Measures =
      n === 0
        ? emptyMeasures()
        : {
            volume: this.vol / 6,
            area: this.area / 2,
            minX: this.minX,
            minY: this.minY,
            minZ: this.minZ,
            maxX: this.maxX,
            maxY: this.maxY,
            maxZ: this.maxZ,
          };
    const result: SoupResult = { soup: this.soup, triangles: n, measures, warnings };
    if (this.welder) {
      const indexed: IndexedMesh = {
        ids: this.ids,
        verts: this.welder.vertices(),
        count: this.welder.count,
        exact: true,
      };
      result.indexed = indexed;
    }
    return result;
  }
}
