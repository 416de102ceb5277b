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

export function emptyMeasures(): Measures {
  return { volume: 0, area: 0, minX: 0, minY: 0, minZ: 0, maxX: 0, maxY: 0, maxZ: 0 };
}

/** Signed volume (origin tetrahedra), area and bounding box, accumulated in float64. One pass. */
export function measureSoup(p: Soup, triangles: number): Measures {
  let vol = 0;
  let area = 0;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let minZ = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let maxZ = Number.NEGATIVE_INFINITY;
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
    area += Math.sqrt(nx * nx + ny * ny + nz * nz);
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
  if (triangles === 0) return emptyMeasures();
  return { volume: vol / 6, area: area / 2, minX, minY, minZ, maxX, maxY, maxZ };
}

function nextPow2(n: number): number {
  let s = 1024;
  while (s < n) s *= 2;
  return s;
}

/**
 * Exact weld: corner -> unique vertex id, keyed on the coordinates' bit patterns
 * (so -0 and +0 are the same key). Returns ids and the unique positions (float64).
 */
function exactWeld(p: Soup, triangles: number): { ids: Int32Array; verts: Float64Array; count: number } {
  const corners = triangles * 3;
  const ids = new Int32Array(corners);
  const size = nextPow2(corners * 2);
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  let verts = new Float64Array(Math.max(16, Math.min(corners, 1 << 16)) * 3);
  let count = 0;
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  for (let c = 0; c < corners; c++) {
    const o = c * 3;
    // +0 turns -0 into +0; the hash uses the float64 bits of each coordinate
    const x = p[o]! + 0;
    const y = p[o + 1]! + 0;
    const z = p[o + 2]! + 0;
    f64[0] = x;
    let h = Math.imul(u32[0]! ^ u32[1]!, 0x9e3779b1);
    f64[0] = y;
    h = Math.imul(h ^ u32[0]! ^ (u32[1]! * 31), 0x85ebca77);
    f64[0] = z;
    h = Math.imul(h ^ u32[0]! ^ (u32[1]! * 17), 0xc2b2ae3d);
    h ^= h >>> 15;
    let slot = h & mask;
    for (;;) {
      const v = table[slot]!;
      if (v === -1) {
        if ((count + 1) * 3 > verts.length) {
          const nv = new Float64Array(verts.length * 2);
          nv.set(verts);
          verts = nv;
        }
        const vo = count * 3;
        verts[vo] = x;
        verts[vo + 1] = y;
        verts[vo + 2] = z;
        table[slot] = count;
        ids[c] = count;
        count++;
        break;
      }
      const vo = v * 3;
      if (verts[vo] === x && verts[vo + 1] === y && verts[vo + 2] === z) {
        ids[c] = v;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { ids, verts, count };
}

/**
 * Tolerance weld of unique vertices: grid of cell size 2·tol; a vertex joins the first earlier
 * representative within tol (Chebyshev distance) found in its cell or the neighbouring cells it is
 * close to. Returns a remap old id -> new id and the new count.
 */
function toleranceWeld(
  verts: Float64Array,
  count: number,
  tol: number,
): { remap: Int32Array; count: number } {
  const remap = new Int32Array(count);
  if (!(tol > 0)) {
    for (let i = 0; i < count; i++) remap[i] = i;
    return { remap, count };
  }
  const cs = tol * 2;
  const size = nextPow2(count * 2);
  const mask = size - 1;
  // table slots hold representative ids; chained by cell via linear probing on cell hash
  const table = new Int32Array(size).fill(-1);
  const cellX = new Int32Array(count);
  const cellY = new Int32Array(count);
  const cellZ = new Int32Array(count);
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
      if (cellX[r] === cx && cellY[r] === cy && cellZ[r] === cz) {
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
  for (let i = 0; i < count; i++) {
    const o = i * 3;
    const x = verts[o]!;
    const y = verts[o + 1]!;
    const z = verts[o + 2]!;
    const fx = x / cs;
    const fy = y / cs;
    const fz = z / cs;
    // clamp to int32 range: coordinates this far out cannot be welded meaningfully anyway
    const cx = Math.max(-2e9, Math.min(2e9, Math.floor(fx))) | 0;
    const cy = Math.max(-2e9, Math.min(2e9, Math.floor(fy))) | 0;
    const cz = Math.max(-2e9, Math.min(2e9, Math.floor(fz))) | 0;
    const rx = fx - cx;
    const ry = fy - cy;
    const rz = fz - cz;
    const dx = rx < 0.5 ? -1 : 1;
    const dy = ry < 0.5 ? -1 : 1;
    const dz = rz < 0.5 ? -1 : 1;
    let found = find(cx, cy, cz, x, y, z);
    if (found < 0) found = find(cx + dx, cy, cz, x, y, z);
    if (found < 0) found = find(cx, cy + dy, cz, x, y, z);
    if (found < 0) found = find(cx, cy, cz + dz, x, y, z);
    if (found < 0) found = find(cx + dx, cy + dy, cz, x, y, z);
    if (found < 0) found = find(cx + dx, cy, cz + dz, x, y, z);
    if (found < 0) found = find(cx, cy + dy, cz + dz, x, y, z);
    if (found < 0) found = find(cx + dx, cy + dy, cz + dz, x, y, z);
    cellX[i] = cx;
    cellY[i] = cy;
    cellZ[i] = cz;
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

export interface TopologyResult {
  report: TopologyReport;
  shells: number;
  /** Signed volume per shell (file units³), for inverted-shell detection. */
  watertight: boolean;
  issues: Issue[];
}

function ufFind(parent: Int32Array, a: number): number {
  let x = a;
  while (parent[x] !== x) {
    const p = parent[parent[x]!]!;
    parent[x] = p;
    x = p;
  }
  return x;
}

/** Weld, then classify every edge; count shells (union-find) and degenerate triangles. */
export function analyzeTopology(
  p: Soup,
  triangles: number,
  tol: number,
  totalVolume: number,
): TopologyResult {
  const weld = exactWeld(p, triangles);
  const tw = toleranceWeld(weld.verts, weld.count, tol);
  const ids = weld.ids;
  const remap = tw.remap;
  const V = tw.count;
  for (let c = 0; c < ids.length; c++) ids[c] = remap[ids[c]!]!;

  // union-find for shells, edge table for manifoldness
  const parent = new Int32Array(V);
  for (let i = 0; i < V; i++) parent[i] = i;
  const edgeSlots = nextPow2(triangles * 3);
  const emask = edgeSlots - 1;
  const eA = new Int32Array(edgeSlots).fill(-1);
  const eB = new Int32Array(edgeSlots);
  const eCount = new Int32Array(edgeSlots);
  const eFwd = new Int32Array(edgeSlots);
  let degenerate = 0;
  const addEdge = (a: number, b: number) => {
    const lo = Math.min(a, b);
    const hi = a + b - lo;
    let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca77);
    h ^= h >>> 16;
    let slot = h & emask;
    for (;;) {
      const k = eA[slot]!;
      if (k === -1) {
        eA[slot] = lo;
        eB[slot] = hi;
        eCount[slot] = 1;
        eFwd[slot] = a < b ? 1 : 0;
        return;
      }
      if (k === lo && eB[slot] === hi) {
        eCount[slot]!++;
        if (a < b) eFwd[slot]!++;
        return;
      }
      slot = (slot + 1) & emask;
    }
  };
  // area threshold for degenerate triangles: relative to the squared weld tolerance
  const areaEps = tol * tol * 1e-6;
  for (let t = 0; t < triangles; t++) {
    const a = ids[t * 3]!;
    const b = ids[t * 3 + 1]!;
    const c = ids[t * 3 + 2]!;
    if (a === b || b === c || a === c) {
      degenerate++;
      // a collapsed triangle contributes no edges; its distinct vertices still join the shell
      if (a !== b) {
        const ra = ufFind(parent, a);
        const rb = ufFind(parent, b);
        if (ra !== rb) parent[ra] = rb;
      }
      if (b !== c) {
        const rb = ufFind(parent, b);
        const rc = ufFind(parent, c);
        if (rb !== rc) parent[rb] = rc;
      }
      continue;
    }
    const o = t * 9;
    const ux = p[o + 3]! - p[o]!;
    const uy = p[o + 4]! - p[o + 1]!;
    const uz = p[o + 5]! - p[o + 2]!;
    const vx = p[o + 6]! - p[o]!;
    const vy = p[o + 7]! - p[o + 1]!;
    const vz = p[o + 8]! - p[o + 2]!;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    if (nx * nx + ny * ny + nz * nz <= areaEps * areaEps) degenerate++;
    addEdge(a, b);
    addEdge(b, c);
    addEdge(c, a);
    let ra = ufFind(parent, a);
    const rb = ufFind(parent, b);
    if (ra !== rb) {
      parent[ra] = rb;
      ra = rb;
    }
    const rc = ufFind(parent, c);
    if (ra !== rc) parent[ra] = rc;
  }
  let open = 0;
  let nonManifold = 0;
  let inconsistent = 0;
  for (let s = 0; s < edgeSlots; s++) {
    if (eA[s] === -1) continue;
    const n = eCount[s]!;
    if (n === 1) open++;
    else if (n > 2) nonManifold++;
    else if (eFwd[s] !== 1) inconsistent++;
  }
  // shells: roots among used vertices; per-shell signed volume and bbox
  const shellOf = new Int32Array(V).fill(-1);
  let shells = 0;
  for (let c = 0; c < ids.length; c++) {
    const r = ufFind(parent, ids[c]!);
    if (shellOf[r] === -1) shellOf[r] = shells++;
  }
  const shellVol = new Float64Array(shells);
  const shellBox = new Float64Array(shells * 6);
  for (let s = 0; s < shells; s++) {
    shellBox[s * 6] = Number.POSITIVE_INFINITY;
    shellBox[s * 6 + 1] = Number.POSITIVE_INFINITY;
    shellBox[s * 6 + 2] = Number.POSITIVE_INFINITY;
    shellBox[s * 6 + 3] = Number.NEGATIVE_INFINITY;
    shellBox[s * 6 + 4] = Number.NEGATIVE_INFINITY;
    shellBox[s * 6 + 5] = Number.NEGATIVE_INFINITY;
  }
  for (let t = 0; t < triangles; t++) {
    const s = shellOf[ufFind(parent, ids[t * 3]!)]!;
    const o = t * 9;
    const ax = p[o]!;
    const ay = p[o + 1]!;
    const az = p[o + 2]!;
    const bx = p[o + 3]!;
    const by = p[o + 4]!;
    const bz = p[o + 5]!;
    const cx = p[o + 6]!;
    const cy = p[o + 7]!;
    const cz = p[o + 8]!;
    shellVol[s]! += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
    const b = s * 6;
    for (let k = 0; k < 9; k += 3) {
      const x = p[o + k]!;
      const y = p[o + k + 1]!;
      const z = p[o + k + 2]!;
      if (x < shellBox[b]!) shellBox[b] = x;
      if (y < shellBox[b + 1]!) shellBox[b + 1] = y;
      if (z < shellBox[b + 2]!) shellBox[b + 2] = z;
      if (x > shellBox[b + 3]!) shellBox[b + 3] = x;
      if (y > shellBox[b + 4]!) shellBox[b + 4] = y;
      if (z > shellBox[b + 5]!) shellBox[b + 5] = z;
    }
  }
  // a negative shell is a cavity when another shell's box contains it; otherwise it is inverted
  let inverted = 0;
  if (shells <= 4096) {
    for (let s = 0; s < shells; s++) {
      if (!(shellVol[s]! < 0)) continue;
      let contained = false;
      for (let q = 0; q < shells && !contained; q++) {
        if (q === s || !(shellVol[q]! > 0)) continue;
        const a = s * 6;
        const b = q * 6;
        contained =
          shellBox[b]! <= shellBox[a]! &&
          shellBox[b + 1]! <= shellBox[a + 1]! &&
          shellBox[b + 2]! <= shellBox[a + 2]! &&
          shellBox[b + 3]! >= shellBox[a + 3]! &&
          shellBox[b + 4]! >= shellBox[a + 4]! &&
          shellBox[b + 5]! >= shellBox[a + 5]!;
      }
      if (!contained) inverted++;
    }
  }
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
