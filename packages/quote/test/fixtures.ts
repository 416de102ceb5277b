import { strToU8, zipSync } from "fflate";

export const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>
</Types>`;

export const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>
</Relationships>`;

export const CUBE_MESH = `<mesh><vertices>
<vertex x="0" y="0" z="0"/><vertex x="10" y="0" z="0"/><vertex x="10" y="10" z="0"/><vertex x="0" y="10" z="0"/>
<vertex x="0" y="0" z="10"/><vertex x="10" y="0" z="10"/><vertex x="10" y="10" z="10"/><vertex x="0" y="10" z="10"/>
</vertices><triangles>
<triangle v1="0" v2="2" v3="1"/><triangle v1="0" v2="3" v3="2"/><triangle v1="0" v2="1" v3="5"/><triangle v1="0" v2="5" v3="4"/>
<triangle v1="1" v2="2" v3="6"/><triangle v1="1" v2="6" v3="5"/><triangle v1="2" v2="3" v3="7"/><triangle v1="2" v2="7" v3="6"/>
<triangle v1="3" v2="0" v3="4"/><triangle v1="3" v2="4" v3="7"/><triangle v1="4" v2="5" v3="6"/><triangle v1="4" v2="6" v3="7"/>
</triangles></mesh>`;

export function modelXml(resources: string, build = '<item objectid="1"/>', attrs = ""): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<model unit="millimeter" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"${attrs}>
<resources>${resources}</resources><build>${build}</build></model>`;
}

export const CUBE_MODEL = modelXml(`<object id="1" type="model">${CUBE_MESH}</object>`);

/** A 3MF package; `model` may be text or bytes; extra entries are added as given. */
export function make3mf(
  model: string | Uint8Array,
  extra: Record<string, Uint8Array> = {},
  level: 0 | 6 = 6,
): Uint8Array {
  return zipSync(
    {
      "[Content_Types].xml": strToU8(CONTENT_TYPES),
      "_rels/.rels": strToU8(ROOT_RELS),
      "3D/3dmodel.model": typeof model === "string" ? strToU8(model) : model,
      ...extra,
    },
    { level },
  );
}

/** Binary STL of the given triangles (9 numbers each). */
export function binaryStl(tris: number[][], countOverride?: number): Uint8Array {
  const b = new Uint8Array(84 + 50 * tris.length);
  const dv = new DataView(b.buffer);
  dv.setUint32(80, countOverride ?? tris.length, true);
  tris.forEach((t, i) => {
    for (let k = 0; k < 9; k++) dv.setFloat32(84 + 50 * i + 12 + 4 * k, t[k]!, true);
  });
  return b;
}

export const TETRA = [
  [0, 0, 0, 0, 1, 0, 1, 0, 0],
  [0, 0, 0, 1, 0, 0, 0, 0, 1],
  [0, 0, 0, 0, 0, 1, 0, 1, 0],
  [1, 0, 0, 0, 1, 0, 0, 0, 1],
];

/** A binary STL torus with about `n` triangles (used by the bench and the pool test). */
export function torusStl(n: number, R = 30, r = 10): Uint8Array {
  const rings = Math.max(3, Math.round(Math.sqrt(n / 2)));
  const sides = Math.max(3, Math.round(n / 2 / rings));
  const count = rings * sides * 2;
  const b = new Uint8Array(84 + 50 * count);
  const dv = new DataView(b.buffer);
  dv.setUint32(80, count, true);
  const p = (i: number, j: number): [number, number, number] => {
    const u = (2 * Math.PI * (i % rings)) / rings;
    const v = (2 * Math.PI * (j % sides)) / sides;
    return [(R + r * Math.cos(v)) * Math.cos(u), (R + r * Math.cos(v)) * Math.sin(u), r * Math.sin(v)];
  };
  let o = 84;
  const put = (a: number[], c: number[], d: number[]) => {
    // the unit normal, as exporters write it (readers recompute it from the winding)
    const u = [c[0]! - a[0]!, c[1]! - a[1]!, c[2]! - a[2]!];
    const v = [d[0]! - a[0]!, d[1]! - a[1]!, d[2]! - a[2]!];
    const nrm = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
    const len = Math.hypot(nrm[0]!, nrm[1]!, nrm[2]!) || 1;
    for (const x of nrm) {
      dv.setFloat32(o, x / len, true);
      o += 4;
    }
    for (const q of [a, c, d])
      for (const x of q) {
        dv.setFloat32(o, x, true);
        o += 4;
      }
    o += 2;
  };
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < sides; j++) {
      const a = p(i, j);
      const c = p(i + 1, j);
      const d = p(i + 1, j + 1);
      const e = p(i, j + 1);
      put(a, c, d);
      put(a, d, e);
    }
  }
  return b;
}

/** C's "%e": six decimals, a two-digit exponent. */
const cExp6 = (x: number) => x.toExponential(6).replace(/e([+-])(\d)$/, "e$10$2");

/**
 * A binary STL written out as ASCII STL the way common exporters do: C's "%e" numbers (two-digit
 * exponents) unless `num` says otherwise, facet normals, two-space indentation. Yields pieces of about
 * `chunkChars` characters so a large file can be streamed to disk.
 */
export function* asciiStlChunks(
  binary: Uint8Array,
  name = "model",
  chunkChars = 1 << 20,
  num: (x: number) => string = cExp6,
): Generator<string> {
  const dv = new DataView(binary.buffer, binary.byteOffset, binary.byteLength);
  const n = dv.getUint32(80, true);
  const e = num;
  const f32 = (o: number) => dv.getFloat32(o, true);
  let out = `solid ${name}\n`;
  for (let t = 0; t < n; t++) {
    const o = 84 + 50 * t;
    out += `  facet normal ${e(f32(o))} ${e(f32(o + 4))} ${e(f32(o + 8))}\n    outer loop\n`;
    for (let v = 0; v < 3; v++) {
      const p = o + 12 + 12 * v;
      out += `      vertex ${e(f32(p))} ${e(f32(p + 4))} ${e(f32(p + 8))}\n`;
    }
    out += "    endloop\n  endfacet\n";
    if (out.length >= chunkChars) {
      yield out;
      out = "";
    }
  }
  yield `${out}endsolid ${name}\n`;
}

/** The whole ASCII STL of `asciiStlChunks` as one string. */
export function asciiStl(binary: Uint8Array, name = "model"): string {
  return [...asciiStlChunks(binary, name)].join("");
}
