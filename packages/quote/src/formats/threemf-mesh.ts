// The 3MF fast path: runs of <vertex>/<triangle> elements read straight from the bytes. Anything
// unusual (other attributes, entities, a bad number) stops the scan and the generic XML path reads
// the element, so errors are reported there.
import { fail } from "../errors.ts";
import { numEnd, parseNumberFast } from "../numbers.ts";

// a local alias: reading an imported binding in a hot loop can cost a getter call per access
const NE = numEnd;

export interface MeshBuf {
  verts: Float64Array<ArrayBuffer>;
  nv: number;
  tris: Int32Array<ArrayBuffer>;
  nt: number;
}

export function isWsB(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function readIndex(b: Uint8Array, j: number): number {
  let v = 0;
  let k = j;
  while (k < b.length && b[k]! >= 48 && b[k]! <= 57 && k - j < 10) {
    v = v * 10 + (b[k]! - 48);
    k++;
  }
  NE.pos = k;
  return k === j ? -1 : v;
}

/** <vertex x=".." y=".." z=".."/> repeated, parsed straight from the bytes (locals, no closure state). */
export function scanVertices(b: Uint8Array, pos: number, buf: MeshBuf, _maxTriangles: number): number {
  let i = pos;
  let verts = buf.verts;
  let nv = buf.nv;
  const n = b.length;
  outer: for (;;) {
    let j = i;
    while (j < n && isWsB(b[j]!)) j++;
    // "<vertex" + whitespace
    if (
      b[j] !== 60 ||
      b[j + 1] !== 118 ||
      b[j + 2] !== 101 ||
      b[j + 3] !== 114 ||
      b[j + 4] !== 116 ||
      b[j + 5] !== 101 ||
      b[j + 6] !== 120 ||
      !isWsB(b[j + 7] ?? 0)
    ) {
      break;
    }
    j += 8;
    let x = Number.NaN;
    let y = Number.NaN;
    let z = Number.NaN;
    let seen = 0;
    for (;;) {
      while (j < n && isWsB(b[j]!)) j++;
      const c = b[j];
      if (c === 47 && b[j + 1] === 62) {
        j += 2;
        break;
      }
      // single-letter x / y / z followed by ="
      const bit = c === 120 ? 1 : c === 121 ? 2 : c === 122 ? 4 : 0;
      if (bit === 0 || seen & bit || b[j + 1] !== 61 || (b[j + 2] !== 34 && b[j + 2] !== 39)) break outer;
      const q = b[j + 2]!;
      const v = parseNumberFast(b, j + 3);
      const e = NE.pos;
      if (e === j + 3 || b[e] !== q || !Number.isFinite(v)) break outer; // generic path reports it
      if (bit === 1) x = v;
      else if (bit === 2) y = v;
      else z = v;
      seen |= bit;
      j = e + 1;
      if (!isWsB(b[j] ?? 0) && b[j] !== 47) break outer;
    }
    if (seen !== 7) break;
    if (nv * 3 + 3 > verts.length) {
      const nvv = new Float64Array(verts.length * 2);
      nvv.set(verts);
      verts = nvv;
    }
    verts[nv * 3] = x;
    verts[nv * 3 + 1] = y;
    verts[nv * 3 + 2] = z;
    nv++;
    i = j;
  }

  buf.verts = verts;
  buf.nv = nv;
  return i;
}

/** <triangle v1=".." v2=".." v3=".."/> repeated (no properties), parsed straight from the bytes. */
export function scanTriangles(b: Uint8Array, pos: number, buf: MeshBuf, maxTriangles: number): number {
  let i = pos;
  let tris = buf.tris;
  let nt = buf.nt;
  const nv = buf.nv;
  const n = b.length;
  outer: for (;;) {
    let j = i;
    while (j < n && isWsB(b[j]!)) j++;
    // "<triangle" + whitespace
    if (
      b[j] !== 60 ||
      b[j + 1] !== 116 ||
      b[j + 2] !== 114 ||
      b[j + 3] !== 105 ||
      b[j + 4] !== 97 ||
      b[j + 5] !== 110 ||
      b[j + 6] !== 103 ||
      b[j + 7] !== 108 ||
      b[j + 8] !== 101 ||
      !isWsB(b[j + 9] ?? 0)
    ) {
      break;
    }
    j += 10;
    let v1 = -1;
    let v2 = -1;
    let v3 = -1;
    for (;;) {
      while (j < n && isWsB(b[j]!)) j++;
      const c = b[j];
      if (c === 47 && b[j + 1] === 62) {
        j += 2;
        break;
      }
      if (c !== 118 || b[j + 2] !== 61 || (b[j + 3] !== 34 && b[j + 3] !== 39)) break outer;
      const which = b[j + 1];
      const q = b[j + 3]!;
      const v = readIndex(b, j + 4);
      const e = NE.pos;
      if (v < 0 || b[e] !== q || v >= nv) break outer; // generic path reports it
      if (which === 49 && v1 < 0) v1 = v;
      else if (which === 50 && v2 < 0) v2 = v;
      else if (which === 51 && v3 < 0) v3 = v;
      else break outer;
      j = e + 1;
      if (!isWsB(b[j] ?? 0) && b[j] !== 47) break outer;
    }
    if (v1 < 0 || v2 < 0 || v3 < 0) break;
    if (nt * 3 + 3 > tris.length) {
      const nt2 = new Int32Array(tris.length * 2);
      nt2.set(tris);
      tris = nt2;
    }
    tris[nt * 3] = v1;
    tris[nt * 3 + 1] = v2;
    tris[nt * 3 + 2] = v3;
    nt++;
    if (nt > maxTriangles) fail("TOO_MANY_TRIANGLES", `The model has more than ${maxTriangles} triangles.`);
    i = j;
  }

  buf.tris = tris;
  buf.nt = nt;
  buf.nv = nv;
  return i;
}
