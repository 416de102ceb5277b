import { fail } from "../errors.ts";
import { measureSoup } from "../geometry.ts";
import { numEnd, parseNumber } from "../numbers.ts";

// a local alias: reading an imported binding in a hot loop can cost a getter call per access
const NE = numEnd;

import type { SoupResult } from "./stl.ts";

function isSp(c: number): boolean {
  // a backslash-newline continues a line; inside a logical line both count as blanks
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 92 || c === 10;
}

/**
 * Wavefront OBJ: "v" positions and "f" polygons (fan-triangulated, negative indices relative to the
 * vertices read so far, "v/vt/vn" forms). Normals, texture coordinates, groups and materials are ignored.
 */
export function parseObj(b: Uint8Array, maxTriangles: number): SoupResult {
  let verts = new Float64Array(3 * 1024);
  let nv = 0;
  let soup = new Float64Array(9 * 1024);
  let nt = 0;
  let shortFaces = 0;
  let line = 0;
  const n = b.length;
  let i = 0;
  const face: number[] = [];
  const err = (msg: string): never => fail("OBJ_PARSE_ERROR", `OBJ, line ${line}: ${msg}`);
  while (i < n) {
    line++;
    // find line end
    let e = i;
    for (;;) {
      while (e < n && b[e] !== 10) e++;
      let q = e - 1;
      while (q > i && (b[q] === 13 || b[q] === 32 || b[q] === 9)) q--;
      if (e < n && q >= i && b[q] === 92) {
        e++;
        line++;
        continue;
      }
      break;
    }
    let p = i;
    while (p < e && isSp(b[p]!)) p++;
    const c0 = p < e ? b[p]! : 0;
    const c1 = p + 1 < e ? b[p + 1]! : 0;
    if (c0 === 118 /* v */ && isSp(c1)) {
      p += 2;
      if ((nv + 1) * 3 > verts.length) {
        const nvv = new Float64Array(verts.length * 2);
        nvv.set(verts);
        verts = nvv;
      }
      for (let k = 0; k < 3; k++) {
        while (p < e && isSp(b[p]!)) p++;
        const v = parseNumber(b, p, e);
        if (NE.pos === p) {
          const c = b[p] === 45 || b[p] === 43 ? (b[p + 1] ?? 0) | 0x20 : (b[p] ?? 0) | 0x20;
          if (c === 110 || c === 105)
            fail("NON_FINITE_COORDINATE", `OBJ, line ${line}: coordinate is not finite.`);
          err("a vertex needs three numbers");
        }
        if (!Number.isFinite(v))
          fail("NON_FINITE_COORDINATE", `OBJ, line ${line}: coordinate is not finite.`);
        verts[nv * 3 + k] = v;
        p = NE.pos;
        if (p < e && !isSp(b[p]!)) err("malformed number in vertex");
      }
      nv++;
    } else if (c0 === 102 /* f */ && isSp(c1)) {
      p += 2;
      face.length = 0;
      for (;;) {
        while (p < e && isSp(b[p]!)) p++;
        if (p >= e) break;
        const v = parseNumber(b, p, e);
        const q = NE.pos;
        if (q === p || !Number.isInteger(v)) err("malformed face index");
        let idx = v > 0 ? v - 1 : v < 0 ? nv + v : -1;
        if (idx < 0 || idx >= nv) {
          fail(
            "INDEX_OUT_OF_RANGE",
            `OBJ, line ${line}: face refers to vertex ${v} but ${nv} vertices are defined so far.`,
          );
        }
        idx |= 0;
        face.push(idx);
        p = q;
        // skip /vt/vn
        while (p < e && !isSp(b[p]!)) p++;
      }
      if (face.length < 3) {
        shortFaces++;
      } else {
        const tris = face.length - 2;
        if (nt + tris > maxTriangles)
          fail("TOO_MANY_TRIANGLES", `The model has more than ${maxTriangles} triangles.`);
        if ((nt + tris) * 9 > soup.length) {
          let cap = soup.length * 2;
          while (cap < (nt + tris) * 9) cap *= 2;
          const ns = new Float64Array(cap);
          ns.set(soup);
          soup = ns;
        }
        const a = face[0]! * 3;
        for (let k = 1; k + 1 < face.length; k++) {
          const bb = face[k]! * 3;
          const cc = face[k + 1]! * 3;
          const o = nt * 9;
          soup[o] = verts[a]!;
          soup[o + 1] = verts[a + 1]!;
          soup[o + 2] = verts[a + 2]!;
          soup[o + 3] = verts[bb]!;
          soup[o + 4] = verts[bb + 1]!;
          soup[o + 5] = verts[bb + 2]!;
          soup[o + 6] = verts[cc]!;
          soup[o + 7] = verts[cc + 1]!;
          soup[o + 8] = verts[cc + 2]!;
          nt++;
        }
      }
    }
    i = e + 1;
  }
  const out = soup.subarray(0, nt * 9);
  const warnings: SoupResult["warnings"] = [];
  if (shortFaces > 0) {
    warnings.push({
      code: "OBJ_SHORT_FACE",
      message: `${shortFaces} face${shortFaces === 1 ? "" : "s"} with fewer than 3 vertices ignored.`,
    });
  }
  return { soup: out, triangles: nt, measures: measureSoup(out, nt), warnings };
}

/** Does this look like an OBJ file? First meaningful line starts with an OBJ keyword. */
export function looksLikeObj(b: Uint8Array): boolean {
  const n = Math.min(b.length, 64 * 1024);
  let i = 0;
  let _line = 0;
  const keywords = new Set(["v", "vt", "vn", "vp", "f", "o", "g", "s", "l", "p", "mtllib", "usemtl", "#"]);
  while (i < n) {
    let e = i;
    for (;;) {
      while (e < n && b[e] !== 10) e++;
      let q = e - 1;
      while (q > i && (b[q] === 13 || b[q] === 32 || b[q] === 9)) q--;
      if (e < n && q >= i && b[q] === 92) {
        e++;
        _line++;
        continue;
      }
      break;
    }
    let p = i;
    while (p < e && (isSp(b[p]!) || b[p] === 10)) p++;
    if (p < e) {
      if (b[p] === 35 /* # */) {
        i = e + 1;
        continue;
      }
      let q = p;
      while (q < e && !isSp(b[q]!)) q++;
      let w = "";
      for (let k = p; k < q && k - p < 8; k++) w += String.fromCharCode(b[k]!);
      return keywords.has(w);
    }
    i = e + 1;
  }
  // only comments / blank: treat as an (empty) OBJ when it has at least one comment
  return b.length > 0 && b[0] === 35;
}
