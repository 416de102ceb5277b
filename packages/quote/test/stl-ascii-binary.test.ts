import { describe, expect, it } from "vitest";
import { AsciiStlParser, parseBinaryStl } from "../src/formats/stl.ts";
import { analyzeModel, analyzeStream, type ModelAnalysis } from "../src/index.ts";
import { corpusFile } from "./corpus.ts";
import { cG, prng, pyRepr, type Rand } from "./number-forms.ts";

/**
 * The same meshes written as binary STL and as ASCII STL at full double precision (as Python, numpy and
 * JavaScript exporters write them) must give the same analysis: the ASCII numbers are the binary's
 * float32 values or doubles that round to them, so exact reading leaves nothing to differ.
 */

type Soup = ArrayLike<number>;

function soupOf(bytes: Uint8Array): Soup {
  if (analyzeModel(bytes, { topology: false }).format === "stl-binary") {
    return parseBinaryStl(bytes, Number.MAX_SAFE_INTEGER).soup;
  }
  const p = new AsciiStlParser(Number.MAX_SAFE_INTEGER);
  p.push(bytes);
  p.finish();
  return p.result().soup;
}

function binaryOf(soup: Soup): Uint8Array {
  const n = soup.length / 9;
  const b = new Uint8Array(84 + 50 * n);
  const dv = new DataView(b.buffer);
  dv.setUint32(80, n, true);
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < 9; k++) dv.setFloat32(84 + 50 * t + 12 + 4 * k, soup[t * 9 + k]!, true);
  }
  return b;
}

function asciiOf(soup: Soup, fmt: (x: number) => string): Uint8Array {
  const out = ["solid mesh\n"];
  for (let o = 0; o < soup.length; o += 9) {
    const p = (k: number) => soup[o + k]!;
    // the normal, in double precision, as exporters write it (readers recompute it)
    const ux = p(3) - p(0);
    const uy = p(4) - p(1);
    const uz = p(5) - p(2);
    const vx = p(6) - p(0);
    const vy = p(7) - p(1);
    const vz = p(8) - p(2);
    const n = [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
    const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1;
    const v = (k: number) => `      vertex ${fmt(p(k))} ${fmt(p(k + 1))} ${fmt(p(k + 2))}\n`;
    out.push(
      `  facet normal ${n.map((x) => fmt(x / len)).join(" ")}\n    outer loop\n${v(0)}${v(3)}${v(6)}` +
        "    endloop\n  endfacet\n",
    );
  }
  out.push("endsolid mesh\n");
  return new TextEncoder().encode(out.join(""));
}

/** A closed torus, rotated, scaled and moved by random amounts, in double precision (every digit used). */
function randomTorus(r: Rand, rings: number, sides: number): number[] {
  const u = () => r() / 2 ** 32;
  const scale = 10 ** (u() * 5 - 2); // 0.01 … 1000
  const [R, rr] = [scale * (2 + u()), scale * (0.3 + u() * 0.5)];
  const c = [(u() - 0.7) * 50 * scale, (u() - 0.5) * 50 * scale, -u() * 50 * scale];
  const [a, b, g] = [u() * 6.3, u() * 6.3, u() * 6.3];
  const rot = (p: number[]): number[] => {
    let [x, y, z] = p as [number, number, number];
    [y, z] = [y * Math.cos(a) - z * Math.sin(a), y * Math.sin(a) + z * Math.cos(a)];
    [x, z] = [x * Math.cos(b) + z * Math.sin(b), -x * Math.sin(b) + z * Math.cos(b)];
    [x, y] = [x * Math.cos(g) - y * Math.sin(g), x * Math.sin(g) + y * Math.cos(g)];
    return [x + c[0]!, y + c[1]!, z + c[2]!];
  };
  const pts: number[][] = [];
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < sides; j++) {
      const s = (2 * Math.PI * i) / rings;
      const t = (2 * Math.PI * j) / sides;
      pts.push(
        rot([(R + rr * Math.cos(t)) * Math.cos(s), (R + rr * Math.cos(t)) * Math.sin(s), rr * Math.sin(t)]),
      );
    }
  }
  const at = (i: number, j: number) => pts[(i % rings) * sides + (j % sides)]!;
  const soup: number[] = [];
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < sides; j++) {
      soup.push(...at(i, j), ...at(i + 1, j), ...at(i + 1, j + 1));
      soup.push(...at(i, j), ...at(i + 1, j + 1), ...at(i, j + 1));
    }
  }
  return soup;
}

/** Separate random tetrahedra (one shell each) with coordinates of mixed sign and magnitude. */
function randomTetrahedra(r: Rand, count: number): number[] {
  const u = () => r() / 2 ** 32;
  const soup: number[] = [];
  for (let k = 0; k < count; k++) {
    const s = 10 ** (u() * 6 - 3);
    const o = [(u() - 0.5) * 1e3, (u() - 0.5) * 1e3, (u() - 0.5) * 1e3];
    const p = [0, 1, 2, 3].map(() => o.map((x) => x + (u() - 0.5) * s));
    const [a, b, c, d] = p as [number[], number[], number[], number[]];
    // orient outward: positive signed volume of (a, b, c, d)
    const vol =
      (b[0]! - a[0]!) * ((c[1]! - a[1]!) * (d[2]! - a[2]!) - (c[2]! - a[2]!) * (d[1]! - a[1]!)) -
      (b[1]! - a[1]!) * ((c[0]! - a[0]!) * (d[2]! - a[2]!) - (c[2]! - a[2]!) * (d[0]! - a[0]!)) +
      (b[2]! - a[2]!) * ((c[0]! - a[0]!) * (d[1]! - a[1]!) - (c[1]! - a[1]!) * (d[0]! - a[0]!));
    const [B, C] = vol > 0 ? [b, c] : [c, b];
    soup.push(...a, ...C, ...B, ...a, ...B, ...d, ...a, ...d, ...C, ...B, ...C, ...d);
  }
  return soup;
}

const r = prng(4);
const MESHES: Record<string, Soup> = {
  "3DBenchy wheel (binary)": soupOf(corpusFile("stl/3DBenchy_part_Wheel.stl")),
  "trimesh teapot (binary)": soupOf(corpusFile("stl/trimesh_teapot.stl")),
  "trimesh unit sphere (binary)": soupOf(corpusFile("stl/trimesh_unit_sphere.STL")),
  "trimesh busted (binary, open)": soupOf(corpusFile("stl/trimesh_busted.STL")),
  "trimesh 20 mm cube (binary)": soupOf(corpusFile("stl/trimesh_20mm-xyz-cube.stl")),
  "numpy-stl Moon (ASCII)": soupOf(corpusFile("stl/numpy-stl_stl_ascii_Moon.stl")),
  "admesh hourglass (ASCII)": soupOf(corpusFile("stl/admesh_hourglass_basic.stl")),
  "random torus, small": randomTorus(r, 40, 24),
  "random torus, large": randomTorus(r, 90, 50),
  "random tetrahedra": randomTetrahedra(r, 300),
};

const FORMATS: Record<string, (x: number) => string> = {
  "shortest round-trip (JavaScript)": String,
  "shortest round-trip (Python repr)": pyRepr,
  "%.17g": (x) => cG(x, 17),
};

const withoutFormat = ({ format: _, ...rest }: ModelAnalysis) => rest;

describe("the same mesh as binary and as full-precision ASCII STL gives the same analysis", () => {
  for (const [mesh, soup] of Object.entries(MESHES)) {
    it(mesh, async () => {
      const binary = analyzeModel(binaryOf(soup));
      expect(binary.triangles).toBe(soup.length / 9);
      if (mesh.startsWith("random")) {
        expect(binary.watertight).toBe(true);
        expect(binary.volumeMm3).toBeGreaterThan(0);
      }
      for (const [form, fmt] of Object.entries(FORMATS)) {
        const bytes = asciiOf(soup, fmt);
        const ascii = analyzeModel(bytes);
        expect(ascii.format, form).toBe("stl-ascii");
        expect(withoutFormat(ascii), form).toEqual(withoutFormat(binary));
        // streamed in pieces, so facets cut at a chunk edge go through the general state machine
        const pieces = (function* () {
          for (let i = 0; i < bytes.length; i += 4093) yield bytes.subarray(i, i + 4093);
        })();
        expect(withoutFormat(await analyzeStream(pieces)), `${form}, streamed`).toEqual(
          withoutFormat(binary),
        );
      }
    });
  }
});
