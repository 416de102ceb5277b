import type { Issue, TopologyReport } from "./types.ts";

/** Positions as a triangle soup: 9 numbers per triangle (x0 y0 z0 x1 y1 z1 x2 y2 z2). */
export type Soup = Float32Array | Float64Array;

export interface Measures {
  volume: number;
  area: number;
  minX: number;
  minY: number;
  minZ: number;
  maxX: number;
  maxY: number;
  maxZ: number;
}

/** The measures of two disjoint sets of triangles taken together (empty parts have no extent). */
export function mergeMeasures(parts: { measures: Measures; triangles: number }[]): Measures {
  const filled = parts.filter((p) => p.triangles > 0);
  if (filled.length === 0) return emptyMeasures();
  const m = { ...filled[0]!.measures };
  for (const { measures: o } of filled.slice(1)) {
    m.volume += o.volume;
    m.area += o.area;
    m.minX = Math.min(m.minX, o.minX);
    m.minY = Math.min(m.minY, o.minY);
    m.minZ = Math.min(m.minZ, o.minZ);
    m.maxX = Math.max(m.maxX, o.maxX);
    m.maxY = Math.max(m.maxY, o.maxY);
    m.maxZ = Math.max(m.maxZ, o.maxZ);
  }
  return m;
}

export function emptyMeasures(): Measures {
  return { volume: 0, area: 0, minX: 0, minY: 0, minZ: 0, maxX: 0, maxY: 0, maxZ: 0 };
}

/** Signed volume (origin tetrahedra), area and bounding box, accumulated in float64. One pass. */
export function measureSoup(p: Soup, triangles: number): Measures {
  const acc = new MeasureAcc();
  acc.add(p, triangles);
  return acc.result();
}

/**
 * The sums of `measureSoup` carried across batches of triangles, in the same order: measuring a soup in
 * pieces (a streamed file, chunk by chunk) gives the same bits as measuring it in one piece.
 */
export class MeasureAcc {
  private vol = 0;
  private area = 0;
  private minX = Number.POSITIVE_INFINITY;
  private minY = Number.POSITIVE_INFINITY;
  private minZ = Number.POSITIVE_INFINITY;
  private maxX = Number.NEGATIVE_INFINITY;
  private maxY = Number.NEGATIVE_INFINITY;
  private maxZ = Number.NEGATIVE_INFINITY;
  triangles = 0;
  /** Receives every triangle's squared doubled-area normal, if set (a range of a split parse). */
  small: SmallAreas | null = null;

  /** Adds the first `triangles` triangles of `p`. */
  add(p: Soup, triangles: number): void {
    let vol = this.vol;
    let area = this.area;
    let minX = this.minX;
    let minY = this.minY;
    let minZ = this.minZ;
    let maxX = this.maxX;
    let maxY = this.maxY;
    let maxZ = this.maxZ;
    const small = this.small;
    const n = triangles * 9;
    for (let i = 0; i < n; i += 9) {
      const ax = p[i]!;
      const ay = p[i + 1]!;
      const az = p[i + 2]!;
      const bx = p[i + 3]!;
      const by = p[i + 4]!;
      const bz = p[i + 5]!;
      const cx = p[i + 6]!;
      const cy = p[i + 7]!;
      const cz = p[i + 8]!;
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
      const q = nx * nx + ny * ny + nz * nz;
      area += Math.sqrt(q);
      if (small !== null && q < small.cutoff) small.add(q);
      if (ax < minX) minX = ax;
      if (ax > maxX) maxX = ax;
      if (bx < minX) minX = bx;
      if (bx > maxX) maxX = bx;
      if (cx < minX) minX = cx;
      if (cx > maxX) maxX = cx;
      if (ay < minY) minY = ay;
      if (ay > maxY) maxY = ay;
      if (by < minY) minY = by;
      if (by > maxY) maxY = by;
      if (cy < minY) minY = cy;
      if (cy > maxY) maxY = cy;
      if (az < minZ) minZ = az;
      if (az > maxZ) maxZ = az;
      if (bz < minZ) minZ = bz;
      if (bz > maxZ) maxZ = bz;
      if (cz < minZ) minZ = cz;
      if (cz > maxZ) maxZ = cz;
    }
    this.vol = vol;
    this.area = area;
    this.minX = minX;
    this.minY = minY;
    this.minZ = minZ;
    this.maxX = maxX;
    this.maxY = maxY;
    this.maxZ = maxZ;
    this.triangles += triangles;
  }

  result(): Measures {
    if (this.triangles === 0) return emptyMeasures();
    const { minX, minY, minZ, maxX, maxY, maxZ } = this;
    return { volume: this.vol / 6, area: this.area / 2, minX, minY, minZ, maxX, maxY, maxZ };
  }
}

function nextPow2(n: number): number {
  let s = 1024;
  while (s < n) s *= 2;
  return s;
}

/**
 * Exact weld: corner -> unique vertex id, keyed on the coordinates' bit patterns (-0 and +0 are one key).
 * The hash table holds the first corner of each vertex and grows as needed, so it stays small (cache
 * friendly) for closed meshes where each vertex is shared by about six triangles.
 */
export function exactWeld(
  p: Soup,
  triangles: number,
): { ids: Int32Array; verts: Float64Array; count: number } {
  if (p instanceof Float32Array) return exactWeld32(p, triangles);
  const corners = triangles * 3;
  const ids = new Int32Array(corners);
  const f32 = false;
  const words = f32 ? 1 : 2;
  const u = new Uint32Array(p.buffer, p.byteOffset, p.length * words);
  let size = nextPow2(Math.max(1024, corners >>> 1));
  let mask = size - 1;
  let table = new Int32Array(size).fill(-1);
  let first = new Int32Array(Math.max(1024, corners >>> 2));
  let count = 0;
  const hashAt = (c: number): number => {
    let h = 0x811c9dc5;
    const o = c * 3 * words;
    for (let k = 0; k < 3 * words; k++) {
      let w = u[o + k]!;
      if (w === 0x80000000 && (f32 || (k & 1) === 1) && (f32 || u[o + k - 1] === 0)) w = 0;
      h = Math.imul(h ^ w, 0x01000193);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 12)) & mask;
  };
  const same = (a: number, b: number): boolean => {
    const oa = a * 3 * words;
    const ob = b * 3 * words;
    for (let k = 0; k < 3 * words; k++) {
      const x = u[oa + k]!;
      const y = u[ob + k]!;
      if (x !== y) {
        // -0 vs +0: equal as numbers
        if (p[((oa / words) | 0) + ((k / words) | 0)] !== p[((ob / words) | 0) + ((k / words) | 0)])
          return false;
      }
    }
    return true;
  };
  for (let c = 0; c < corners; c++) {
    let slot = hashAt(c);
    for (;;) {
      const r = table[slot]!;
      if (r === -1) {
        if (count === first.length) {
          const nf = new Int32Array(first.length * 2);
          nf.set(first);
          first = nf;
        }
        first[count] = c;
        table[slot] = c;
        ids[c] = count++;
        if (count * 2 > size) {
          size *= 2;
          mask = size - 1;
          table = new Int32Array(size).fill(-1);
          for (let v = 0; v < count; v++) {
            let s2 = hashAt(first[v]!);
            while (table[s2] !== -1) s2 = (s2 + 1) & mask;
            table[s2] = first[v]!;
          }
        }
        break;
      }
      if (same(r, c)) {
        ids[c] = ids[r]!;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const verts = new Float64Array(count * 3);
  for (let v = 0; v < count; v++) {
    const o = first[v]! * 3;
    verts[v * 3] = p[o]! + 0;
    verts[v * 3 + 1] = p[o + 1]! + 0;
    verts[v * 3 + 2] = p[o + 2]! + 0;
  }
  return { ids, verts, count };
}

/** Float32 exact weld of a whole soup (see `ExactWelder32`). */
function exactWeld32(
  p: Float32Array,
  triangles: number,
): { ids: Int32Array; verts: Float64Array; count: number } {
  const corners = triangles * 3;
  const ids = new Int32Array(corners);
  const welder = new ExactWelder32(corners >>> 2);
  welder.weld(new Uint32Array(p.buffer, p.byteOffset, p.length), corners, ids, 0);
  return { ids, verts: Float64Array.from(welder.vertices()), count: welder.count };
}

/**
 * Float32 exact weld, incremental: keys (bit patterns, -0 as +0) hashed into an open-addressing table
 * of (hash, id) pairs, the points themselves in a list by id. A typed-array table rather than a Map keyed by coordinate strings: on the 1 M
 * triangle torus of `pnpm bench:quote` (3 M corners) the Map took ~1,500 CPU ms and this ~150. Ids are given in order of first appearance, so welding a soup in batches, or
 * welding ranges and then their vertex lists in file order, numbers the vertices as one pass would.
 */
export class ExactWelder32 {
  /**
   * Per slot: the point's full hash (`hash3`) and its id + 1 (0 = empty); the point itself is in `pts`,
   * read only when the hashes agree. 8 bytes a slot: half the cache footprint of keeping x, y, z here,
   * which matters most when two range workers weld at once (they share the last-level cache).
   */
  private table: Uint32Array;
  /**
   * The same entries for recently seen points, direct-mapped (64 KB, stays in the core's cache): a
   * vertex is shared by ~6 triangles that files list close together, so most corners are found here
   * without a cache miss in the large table. Two workers welding at once missed the shared cache on
   * nearly every probe (profile of `pnpm bench:quote` full-pool: ~400 CPU ms an analysis for the weld).
   */
  private readonly recent = new Uint32Array(RECENT * 4);
  private mask: number;
  /** The distinct points as they were first seen (x y z bit patterns, -0 as +0): `vertices()`. */
  private pts: Uint32Array;
  count = 0;

  constructor(expectedVertices = 1024) {
    const size = nextPow2(Math.max(1024, expectedVertices));
    this.table = new Uint32Array(size * 2);
    this.mask = size - 1;
    this.pts = new Uint32Array(Math.max(1024, expectedVertices) * 3);
  }

  /** The welder's state, to carry on in another thread (`resume`). */
  state(): { table: Uint32Array; count: number; verts: Float32Array } {
    return { table: this.table, count: this.count, verts: this.vertices() };
  }

  /** Carries on from `state()`, with room for `capacity` vertices in all. */
  static resume(
    s: { table: Uint32Array; count: number; verts: Float32Array },
    capacity: number,
  ): ExactWelder32 {
    const w = new ExactWelder32();
    w.table = s.table;
    w.mask = s.table.length / 2 - 1;
    w.count = s.count;
    w.pts = new Uint32Array(Math.max(capacity, s.count) * 3);
    w.pts.set(new Uint32Array(s.verts.buffer, s.verts.byteOffset, s.count * 3));
    return w;
  }

  private append(x: number, y: number, z: number): number {
    const v = this.count * 3;
    if (v + 3 > this.pts.length) {
      const grown = new Uint32Array(this.pts.length * 2);
      grown.set(this.pts);
      this.pts = grown;
    }
    this.pts[v] = x;
    this.pts[v + 1] = y;
    this.pts[v + 2] = z;
    return ++this.count;
  }

  /**
   * Like `weld`, for the last points ever given to this welder: a point already in the table gets its
   * id, any other a new one, without being added to the table (they are distinct among themselves, as
   * one range's vertices are). Saves growing the table for the last range of a split parse (`joinWelds`).
   */
  weldLast(u: Uint32Array, points: number, out: Int32Array): void {
    for (let c = 0; c < points; c++) {
      const x = nz(u[c * 3]!);
      const y = nz(u[c * 3 + 1]!);
      const z = nz(u[c * 3 + 2]!);
      out[c] = this.weldPoint(x, y, z, hash3(x, y, z), false) - 1;
    }
  }

  /**
   * One point (float32 bit patterns, -0 as +0; `h` their hash3): its vertex id + 1, numbered by first
   * appearance as `weld` numbers them; a new point goes into the table only if `insert`. Looks in the
   * large table only: the ASCII reader welds each vertex as it reads it, and only those whose text it
   * has not seen recently (`AsciiStlParser`, weld: true), which are mostly new, so a cache of recent
   * points would seldom help it.
   */
  private weldPoint(x: number, y: number, z: number, h: number, insert = true): number {
    const table = this.table;
    const mask = this.mask;
    const pts = this.pts;
    const tag = h >>> 0;
    let slot = h & mask;
    let id1 = 0;
    for (;;) {
      const b = slot * 2;
      id1 = table[b + 1]!;
      if (id1 === 0) {
        id1 = this.append(x, y, z);
        if (!insert) break;
        table[b] = tag;
        table[b + 1] = id1;
        if (this.count * 2 > mask + 1) {
          this.table = grow(table, (mask + 1) * 2);
          this.mask = mask * 2 + 1;
        }
        break;
      }
      if (table[b] === tag) {
        const o = (id1 - 1) * 3;
        if (pts[o] === x && pts[o + 1] === y && pts[o + 2] === z) break;
      }
      slot = (slot + 1) & mask;
    }
    return id1;
  }

  /** The id of one point (float32 bit patterns). */
  weldOne(x: number, y: number, z: number): number {
    const kx = nz(x);
    const ky = nz(y);
    const kz = nz(z);
    return this.weldPoint(kx, ky, kz, hash3(kx, ky, kz)) - 1;
  }

  /** Welds the first `points` points of `u` (float32 bit patterns, x y z each); their ids go to out[w…]. */
  weld(u: Uint32Array, points: number, out: Int32Array, w: number): void {
    const recent = this.recent;
    for (let c = 0; c < points; c++) {
      const x = nz(u[c * 3]!);
      const y = nz(u[c * 3 + 1]!);
      const z = nz(u[c * 3 + 2]!);
      const h = hash3(x, y, z);
      const r = ((h >>> 16) & (RECENT - 1)) * 4;
      if (recent[r + 3] !== 0 && recent[r] === x && recent[r + 1] === y && recent[r + 2] === z) {
        out[w + c] = recent[r + 3]! - 1;
        continue;
      }
      const id1 = this.weldPoint(x, y, z, h);
      out[w + c] = id1 - 1;
      recent[r] = x;
      recent[r + 1] = y;
      recent[r + 2] = z;
      recent[r + 3] = id1;
    }
  }

  /**
   * Lets go of the table and the list of points (for arrays of the same types and the smallest size:
   * the welder stays usable, empty, and keeps its hidden class). What `state()` and `vertices()`
   * returned before stays as it was.
   */
  release(): void {
    this.table = new Uint32Array(2048);
    this.mask = 1023;
    this.pts = new Uint32Array(3072);
    this.count = 0;
  }

  /** The distinct points in id order (x y z each): a view of the welder's own list, not a copy. */
  vertices(): Float32Array {
    return new Float32Array(this.pts.buffer, 0, this.count * 3);
  }
}

/**
 * The exact weld of one range of a soup: its corners' vertex ids and its distinct vertices (float32), and
 * for the first range the welder's table itself (`ExactWelder32.state`), which the join carries on.
 */
export interface RangeWeld {
  ids: Int32Array;
  count: number;
  verts?: Float32Array;
  table?: Uint32Array;
}

/**
 * The exact weld of consecutive ranges of one soup, from the ranges' own welds (in order): the same
 * vertex numbering as welding the whole soup in one pass, since both number vertices by first appearance.
 * The first range's table is carried on, so only the later ranges' distinct vertices are hashed again.
 */
export function joinWelds(parts: RangeWeld[], joined: JoinedVertices = joinVertices(parts)): IndexedMesh {
  let corners = 0;
  for (const w of parts) corners += w.ids.length;
  const first = parts[0]!;
  const ids = parts.length === 1 ? first.ids : new Int32Array(corners);
  let o = 0;
  parts.forEach((w, k) => {
    const local = w.ids;
    const remap = joined.remaps[k];
    if (!remap) {
      if (ids !== local) ids.set(local);
    } else {
      for (let c = 0; c < local.length; c++) ids[o + c] = remap[local[c]!]!;
    }
    o += local.length;
  });
  const { welder } = joined;
  return { ids, verts: welder.vertices(), count: welder.count, exact: true };
}

/**
 * The ranges' distinct vertices numbered as one pass would number them: the welder holding them all,
 * each range's local id -> joined id (null: the first range's own ids, which it keeps), and how many
 * vertices came before each range (`starts[k]`: a joined id below it was seen in an earlier range).
 */
export interface JoinedVertices {
  welder: ExactWelder32;
  remaps: (Int32Array | null)[];
  starts: number[];
}

export function joinVertices(parts: RangeWeld[]): JoinedVertices {
  let vertices = 0;
  for (const w of parts) vertices += w.count;
  const first = parts[0]!;
  const welder =
    first.table && first.verts
      ? ExactWelder32.resume({ table: first.table, count: first.count, verts: first.verts }, vertices)
      : new ExactWelder32(first.count * 2);
  const remaps: (Int32Array | null)[] = [];
  const starts: number[] = [];
  for (const w of parts) {
    starts.push(w === first && first.table ? 0 : welder.count);
    if (w === first && first.table) {
      remaps.push(null);
      continue;
    }
    const remap = new Int32Array(w.count);
    const v = w.verts!;
    const u = new Uint32Array(v.buffer, v.byteOffset, w.count * 3);
    // the last range's vertices are only looked up: the table is not grown for them
    if (w === parts[parts.length - 1] && w !== first) welder.weldLast(u, w.count, remap);
    else welder.weld(u, w.count, remap, 0);
    remaps.push(remap);
  }
  return { welder, remaps, starts };
}

const RECENT = 4096;

/** A float32 bit pattern as a weld key: -0 as +0. */
function nz(bits: number): number {
  return bits === 0x80000000 ? 0 : bits;
}

function hash3(x: number, y: number, z: number): number {
  let h = (Math.imul(x, 0x9e3779b1) + Math.imul(y, 0x85ebca77) + Math.imul(z, 0xc2b2ae3d)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

function grow(old: Uint32Array, size: number): Uint32Array {
  const m = size - 1;
  const tb = new Uint32Array(size * 2);
  for (let k = 0; k < old.length; k += 2) {
    if (old[k + 1] === 0) continue;
    let slot = old[k]! & m;
    while (tb[slot * 2 + 1] !== 0) slot = (slot + 1) & m;
    tb[slot * 2] = old[k]!;
    tb[slot * 2 + 1] = old[k + 1]!;
  }
  return tb;
}

/**
 * Tolerance weld of unique vertices: grid of cell size 8·tol; a vertex joins the first earlier
 * representative within tol (per axis) found in its cell or in the neighbouring cells it is within tol
 * of. Returns a remap old id -> new id and the new count.
 */
export function toleranceWeld(
  verts: Float64Array,
  count: number,
  tol: number,
): { remap: Int32Array; count: number } {
  const remap = new Int32Array(count);
  if (!(tol > 0)) {
    for (let i = 0; i < count; i++) remap[i] = i;
    return { remap, count };
  }
  const cs = tol * 8;
  const near = 1 / 8;
  const size = nextPow2(count * 2);
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const cell = new Int32Array(count * 3);
  let reps = 0;
  const hashCell = (cx: number, cy: number, cz: number) => {
    let h = Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca77) ^ Math.imul(cz, 0xc2b2ae3d);
    h ^= h >>> 15;
    return h & mask;
  };
  const find = (cx: number, cy: number, cz: number, x: number, y: number, z: number): number => {
    let slot = hashCell(cx, cy, cz);
    for (;;) {
      const r = table[slot]!;
      if (r === -1) return -1;
      if (cell[r * 3] === cx && cell[r * 3 + 1] === cy && cell[r * 3 + 2] === cz) {
        const o = r * 3;
        if (
          Math.abs(verts[o]! - x) <= tol &&
          Math.abs(verts[o + 1]! - y) <= tol &&
          Math.abs(verts[o + 2]! - z) <= tol
        ) {
          return remap[r]!;
        }
      }
      slot = (slot + 1) & mask;
    }
  };
  const clampCell = (f: number) => Math.max(-2e9, Math.min(2e9, Math.floor(f))) | 0;
  for (let i = 0; i < count; i++) {
    const o = i * 3;
    const x = verts[o]!;
    const y = verts[o + 1]!;
    const z = verts[o + 2]!;
    const fx = x / cs;
    const fy = y / cs;
    const fz = z / cs;
    const cx = clampCell(fx);
    const cy = clampCell(fy);
    const cz = clampCell(fz);
    const rx = fx - cx;
    const ry = fy - cy;
    const rz = fz - cz;
    const dx = rx < near ? -1 : rx > 1 - near ? 1 : 0;
    const dy = ry < near ? -1 : ry > 1 - near ? 1 : 0;
    const dz = rz < near ? -1 : rz > 1 - near ? 1 : 0;
    let found = find(cx, cy, cz, x, y, z);
    if (found < 0 && (dx | dy | dz) !== 0) {
      for (let m = 1; m < 8 && found < 0; m++) {
        const ox = m & 1 ? dx : 0;
        const oy = m & 2 ? dy : 0;
        const oz = m & 4 ? dz : 0;
        if ((m & 1 && dx === 0) || (m & 2 && dy === 0) || (m & 4 && dz === 0)) continue;
        found = find(cx + ox, cy + oy, cz + oz, x, y, z);
      }
    }
    cell[o] = cx;
    cell[o + 1] = cy;
    cell[o + 2] = cz;
    if (found >= 0) {
      remap[i] = found;
    } else {
      remap[i] = reps++;
      let slot = hashCell(cx, cy, cz);
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = i;
    }
  }
  return { remap, count: reps };
}

/**
 * The smallest squared doubled-area normals of a set of triangles, kept while they are classified
 * without the weld tolerance that decides which of them are degenerate (a range of a split parse: the
 * tolerance follows from the whole model's bounding box). Every value below `cutoff` is kept (at most
 * 2 × KEEP of them; when full, the KEEP smallest stay and `cutoff` drops to the smallest one dropped),
 * so `countAtMost(eps2)` is exact whenever eps2 < cutoff, and -1 (undecided) otherwise.
 */
export class SmallAreas {
  values: Float64Array;
  n = 0;
  cutoff = Number.POSITIVE_INFINITY;

  constructor(private readonly keep = 1024) {
    this.values = new Float64Array(keep * 2);
  }

  add(q: number): void {
    if (!(q < this.cutoff)) return;
    if (this.n === this.values.length) {
      const sorted = this.values.sort();
      this.cutoff = sorted[this.keep]!;
      this.n = this.keep;
      if (!(q < this.cutoff)) return;
    }
    this.values[this.n++] = q;
  }

  /** How many kept values are ≤ eps2, or -1 if values ≤ eps2 may have been dropped. */
  countAtMost(eps2: number): number {
    return countAtMost(this.values.subarray(0, this.n), this.cutoff, eps2);
  }
}

/** `SmallAreas.countAtMost` for its values and cutoff (as they travel between threads). */
export function countAtMost(values: Float64Array, cutoff: number, eps2: number): number {
  if (!(eps2 < cutoff)) return -1;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! <= eps2) n++;
  return n;
}

export interface TopologyResult {
  report: TopologyReport;
  shells: number;
  /** Signed volume per shell (file units³), for inverted-shell detection. */
  watertight: boolean;
  issues: Issue[];
}

export function ufFind(parent: Int32Array, a: number): number {
  let x = a;
  while (parent[x] !== x) {
    const p = parent[parent[x]!]!;
    parent[x] = p;
    x = p;
  }
  return x;
}

export interface EdgeStats {
  open: number;
  nonManifold: number;
  inconsistent: number;
  degenerate: number;
  parent: Int32Array;
}

/**
 * Where the corners' coordinates are: corner c at pos[c * 3…] (a soup), or at pos[pid[c] * 3…] (the
 * distinct vertices of an exact weld, when no soup is kept).
 */
export interface Corners {
  pos: Soup;
  pid: Int32Array | null;
}

/** The squared length of a triangle's doubled-area normal at or below which it counts as degenerate. */
export function degenerateBound(tol: number): number {
  const areaEps = tol * tol * 1e-6;
  return areaEps * areaEps;
}

/**
 * Edge classification (CSR buckets by lower vertex), union-find shells and degenerate triangles (two
 * equal vertex ids, or a squared doubled-area normal ≤ `eps2`, see `degenerateBound`; with `at` null
 * only the former: the areas are then judged elsewhere, see `rangeEdges`).
 */
export function classify(
  at: Corners | null,
  triangles: number,
  ids: Int32Array,
  V: number,
  eps2: number,
): EdgeStats {
  const p = at?.pos;
  const pid = at?.pid ?? null;
  const parent = new Int32Array(V);
  for (let i = 0; i < V; i++) parent[i] = i;
  const start = new Int32Array(V + 1);
  let degenerate = 0;
  const valid = new Uint8Array(triangles);
  for (let t = 0; t < triangles; t++) {
    const a = ids[t * 3]!;
    const b = ids[t * 3 + 1]!;
    const c = ids[t * 3 + 2]!;
    // union-find for shells (collapsed triangles still join their distinct vertices)
    let ra = ufFind(parent, a);
    const rb = ufFind(parent, b);
    if (ra !== rb) {
      parent[ra] = rb;
      ra = rb;
    }
    const rc = ufFind(parent, c);
    if (ra !== rc) parent[ra] = rc;
    if (a === b || b === c || a === c) {
      degenerate++;
      continue;
    }
    if (p !== undefined) {
      const t3 = t * 3;
      const oa = pid === null ? t3 * 3 : pid[t3]! * 3;
      const ob = pid === null ? oa + 3 : pid[t3 + 1]! * 3;
      const oc = pid === null ? oa + 6 : pid[t3 + 2]! * 3;
      const ux = p[ob]! - p[oa]!;
      const uy = p[ob + 1]! - p[oa + 1]!;
      const uz = p[ob + 2]! - p[oa + 2]!;
      const vx = p[oc]! - p[oa]!;
      const vy = p[oc + 1]! - p[oa + 1]!;
      const vz = p[oc + 2]! - p[oa + 2]!;
      const nx = uy * vz - uz * vy;
      const ny = uz * vx - ux * vz;
      const nz = ux * vy - uy * vx;
      if (nx * nx + ny * ny + nz * nz <= eps2) degenerate++;
    }
    valid[t] = 1;
    start[Math.min(a, b) + 1]!++;
    start[Math.min(b, c) + 1]!++;
    start[Math.min(c, a) + 1]!++;
  }
  for (let v = 0; v < V; v++) start[v + 1]! += start[v]!;
  const E = start[V]!;
  const other = new Int32Array(E);
  const fwd = new Uint8Array(E);
  const fill = start.slice(0, V);
  // no closures in this function: a closure would put these arrays in a context, and the optimized
  // code of the loops (compiled while they run) would be bound to that one context and thrown away
  // with it after the call, to be compiled again on the next call
  for (let t = 0; t < triangles; t++) {
    if (valid[t] === 0) continue;
    const a = ids[t * 3]!;
    const b = ids[t * 3 + 1]!;
    const c = ids[t * 3 + 2]!;
    putEdge(fill, other, fwd, a, b);
    putEdge(fill, other, fwd, b, c);
    putEdge(fill, other, fwd, c, a);
  }
  let open = 0;
  let nonManifold = 0;
  let inconsistent = 0;
  for (let v = 0; v < V; v++) {
    const s0 = start[v]!;
    const s1 = start[v + 1]!;
    for (let i = s0; i < s1; i++) {
      const o = other[i]!;
      if (o === -1) continue;
      let n = 1;
      let f = fwd[i]!;
      for (let j = i + 1; j < s1; j++) {
        if (other[j] === o) {
          n++;
          f += fwd[j]!;
          other[j] = -1;
        }
      }
      if (n === 1) open++;
      else if (n > 2) nonManifold++;
      else if (f !== 1) inconsistent++;
    }
  }
  return { open, nonManifold, inconsistent, degenerate, parent };
}

/** Files the edge a→b under its lower end (`classify`), flagged when a is that end. */
function putEdge(fill: Int32Array, other: Int32Array, fwd: Uint8Array, a: number, b: number): void {
  if (a < b) {
    const k = fill[a]!++;
    other[k] = b;
    fwd[k] = 1;
  } else {
    const k = fill[b]!++;
    other[k] = a;
  }
}

/**
 * Vertex indices for a soup: from an indexed format (3MF: the file's own, which may leave duplicates
 * unwelded), or `exact` (the exact weld of the soup, done while parsing; the soup itself is then not
 * kept and positions are read from `verts`).
 */
export interface IndexedMesh {
  ids: Int32Array;
  verts: Float64Array | Float32Array;
  count: number;
  exact?: boolean;
}

/**
 * Weld, then classify every edge; count shells and degenerate triangles. Exact-key welding first; the
 * tolerance weld runs only when the exact weld leaves open edges (a clean mesh needs no second pass).
 */
export function analyzeTopology(
  p: Soup,
  triangles: number,
  tol: number,
  totalVolume: number,
  indexed?: IndexedMesh,
): TopologyResult {
  // an indexed source (3MF) already says which corners share a vertex; if that leaves the mesh open,
  // fall back to welding the coordinates (duplicate vertices in the file are then merged too)
  let weld: IndexedMesh = indexed ?? exactWeld(p, triangles);
  const at: Corners = indexed?.exact ? { pos: indexed.verts, pid: indexed.ids } : { pos: p, pid: null };
  let ids = weld.ids;
  let V = weld.count;
  const eps2 = degenerateBound(tol);
  let st = classify(at, triangles, ids, V, eps2);
  if (indexed && !indexed.exact && st.open > 0) {
    weld = exactWeld(p, triangles);
    ids = weld.ids;
    V = weld.count;
    st = classify(at, triangles, ids, V, eps2);
  }
  if (st.open > 0 && tol > 0) {
    const verts = weld.verts instanceof Float64Array ? weld.verts : Float64Array.from(weld.verts);
    const tw = toleranceWeld(verts, weld.count, tol);
    if (tw.count < weld.count) {
      const remap = tw.remap;
      // the exact ids stay as they are when they locate the positions
      if (ids === at.pid) ids = new Int32Array(ids.length);
      const exactIds = weld.ids;
      for (let c = 0; c < ids.length; c++) ids[c] = remap[exactIds[c]!]!;
      V = tw.count;
      st = classify(at, triangles, ids, V, eps2);
    }
  }
  const { open, nonManifold, inconsistent, degenerate, parent } = st;
  // shells: one per union-find root
  const shellOf = new Int32Array(V);
  let shells = 0;
  for (let v = 0; v < V; v++) {
    if (ufFind(parent, v) === v) shellOf[v] = shells++;
  }
  let inverted = 0;
  if (shells > 1 && shells <= 4096) {
    const { pos, pid } = at;
    const shellVol = new Float64Array(shells);
    for (let t = 0; t < triangles; t++) {
      const t3 = t * 3;
      const oa = pid === null ? t3 * 3 : pid[t3]! * 3;
      const ob = pid === null ? oa + 3 : pid[t3 + 1]! * 3;
      const oc = pid === null ? oa + 6 : pid[t3 + 2]! * 3;
      const ax = pos[oa]!;
      const ay = pos[oa + 1]!;
      const az = pos[oa + 2]!;
      const bx = pos[ob]!;
      const by = pos[ob + 1]!;
      const bz = pos[ob + 2]!;
      const cx = pos[oc]!;
      const cy = pos[oc + 1]!;
      const cz = pos[oc + 2]!;
      shellVol[shellOf[ufFind(parent, ids[t * 3]!)]!]! +=
        ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
    }
    let anyNegative = false;
    for (let q = 0; q < shells; q++) if (shellVol[q]! < 0) anyNegative = true;
    if (anyNegative) {
      const box = new Float64Array(shells * 6);
      for (let q = 0; q < shells; q++) {
        box.fill(Number.POSITIVE_INFINITY, q * 6, q * 6 + 3);
        box.fill(Number.NEGATIVE_INFINITY, q * 6 + 3, q * 6 + 6);
      }
      for (let c = 0; c < ids.length; c++) {
        const b = shellOf[ufFind(parent, ids[c]!)]! * 6;
        const o = (pid === null ? c : pid[c]!) * 3;
        const x = pos[o]!;
        const y = pos[o + 1]!;
        const z = pos[o + 2]!;
        if (x < box[b]!) box[b] = x;
        if (y < box[b + 1]!) box[b + 1] = y;
        if (z < box[b + 2]!) box[b + 2] = z;
        if (x > box[b + 3]!) box[b + 3] = x;
        if (y > box[b + 4]!) box[b + 4] = y;
        if (z > box[b + 5]!) box[b + 5] = z;
      }
      // a negative shell is a cavity when a positive shell's box contains it; otherwise it is inverted
      for (let q = 0; q < shells; q++) {
        if (!(shellVol[q]! < 0)) continue;
        let contained = false;
        for (let r = 0; r < shells && !contained; r++) {
          if (r === q || !(shellVol[r]! > 0)) continue;
          const a = q * 6;
          const b = r * 6;
          contained =
            box[b]! <= box[a]! &&
            box[b + 1]! <= box[a + 1]! &&
            box[b + 2]! <= box[a + 2]! &&
            box[b + 3]! >= box[a + 3]! &&
            box[b + 4]! >= box[a + 4]! &&
            box[b + 5]! >= box[a + 5]!;
        }
        if (!contained) inverted++;
      }
    }
  }
  return topologyOutcome(
    { vertices: V, open, nonManifold, inconsistent, degenerate, shells, inverted },
    triangles,
    tol,
    totalVolume,
  );
}

/** The counts behind a topology report (`topologyOutcome`). */
export interface TopologyCounts {
  vertices: number;
  open: number;
  nonManifold: number;
  inconsistent: number;
  degenerate: number;
  shells: number;
  inverted: number;
}

/** The report, issues and verdict of `analyzeTopology` from its counts. */
export function topologyOutcome(
  counts: TopologyCounts,
  triangles: number,
  tol: number,
  totalVolume: number,
): TopologyResult {
  const { vertices: V, open, nonManifold, inconsistent, degenerate, shells, inverted } = counts;
  const closed = open === 0 && nonManifold === 0 && triangles > 0;
  const watertight = closed && inconsistent === 0;
  const issues: Issue[] = [];
  if (open > 0) {
    issues.push({
      code: "OPEN_EDGES",
      severity: "warning",
      count: open,
      message: `The mesh has ${open} open edge${open === 1 ? "" : "s"} (holes), so it does not enclose a volume. The printed part may come out different from what you see; the shop may need to repair it first.`,
    });
  }
  if (nonManifold > 0) {
    issues.push({
      code: "NON_MANIFOLD_EDGES",
      severity: "warning",
      count: nonManifold,
      message: `${nonManifold} edge${nonManifold === 1 ? " is" : "s are"} shared by more than two triangles (non-manifold). Slicers may misread these areas; the shop may need to repair the model.`,
    });
  }
  if (inconsistent > 0) {
    issues.push({
      code: "INCONSISTENT_ORIENTATION",
      severity: "warning",
      count: inconsistent,
      message: `Neighbouring triangles disagree about which side is outside along ${inconsistent} edge${inconsistent === 1 ? "" : "s"} (flipped faces). Volume and weight may be wrong until the normals are fixed.`,
    });
  }
  if (closed && totalVolume < 0) {
    issues.push({
      code: "INVERTED_NORMALS",
      severity: "warning",
      message:
        "The mesh is turned inside out (its normals point inwards). The volume is reported as a positive number; the shop will flip the normals before printing.",
    });
  } else if (inverted > 0) {
    issues.push({
      code: "INVERTED_SHELL",
      severity: "warning",
      count: inverted,
      message: `${inverted} part${inverted === 1 ? " is" : "s are"} turned inside out (negative volume). Volume and price may be too low until this is fixed.`,
    });
  }
  if (degenerate > 0) {
    issues.push({
      code: "DEGENERATE_TRIANGLES",
      severity: "info",
      count: degenerate,
      message: `${degenerate} triangle${degenerate === 1 ? " has" : "s have"} no area. This is usually harmless.`,
    });
  }
  if (shells > 1) {
    issues.push({
      code: "MULTIPLE_SHELLS",
      severity: "info",
      count: shells,
      message: `The model consists of ${shells} separate parts.`,
    });
  }
  return {
    report: {
      vertices: V,
      weldToleranceMm: tol,
      openEdges: open,
      nonManifoldEdges: nonManifold,
      inconsistentEdges: inconsistent,
      degenerateTriangles: degenerate,
      invertedShells: inverted,
    },
    shells,
    watertight,
    issues,
  };
}
