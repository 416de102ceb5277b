// ExactWelder32 keeps (hash, id) pairs in its table and the points in a list: points whose hashes are
// equal must still be told apart by their coordinates.
import { describe, expect, it } from "vitest";
import { ExactWelder32 } from "../src/geometry.ts";

const A = 0x9e3779b1;
const B = 0x85ebca77;

/** The inverse of an odd number modulo 2^32 (Newton's iteration). */
function inverse(a: number): number {
  let x = a;
  for (let k = 0; k < 5; k++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x;
}

/** A point with the same hash as (x, y, z) and another x: y chosen so the sum in `hash3` is the same. */
function collider(x: number, y: number, z: number, x2: number): [number, number, number] {
  const y2 = Math.imul((Math.imul(x, A) - Math.imul(x2, A) + Math.imul(y, B)) | 0, inverse(B)) >>> 0;
  return [x2, y2, z];
}

describe("ExactWelder32's table", () => {
  it("inverse() inverts", () => {
    expect(Math.imul(B, inverse(B))).toBe(1);
  });

  it("tells apart points whose hashes are equal, and finds each again, across table growth", () => {
    const w = new ExactWelder32(4);
    const base: [number, number, number] = [0x3f800000, 0x40000000, 0x40400000];
    const points = [base, ...Array.from({ length: 3000 }, (_v, k) => collider(...base, 0x3f800001 + k))];
    const sums = new Set(points.map(([x, y]) => (Math.imul(x, A) + Math.imul(y, B)) | 0));
    expect(sums.size).toBe(1);
    expect(new Set(points.map((p) => p.join())).size).toBe(points.length);
    const ids = points.map(([x, y, z]) => w.weldOne(x, y, z));
    expect(ids).toEqual(points.map((_p, k) => k));
    expect(points.map(([x, y, z]) => w.weldOne(x, y, z))).toEqual(ids);
    expect(w.count).toBe(points.length);
    const u = new Uint32Array(w.vertices().buffer, 0, w.count * 3);
    expect(Array.from(u.subarray(3, 6))).toEqual(points[1]);
  });
  it("release() lets go of the table and the points, leaving what state() gave as it was", () => {
    const w = new ExactWelder32(4);
    const points = Array.from({ length: 5000 }, (_v, k) => [0x3f800000 + k, 0x40000000, k] as const);
    for (const [x, y, z] of points) w.weldOne(x, y, z);
    const state = w.state();
    const table = state.table.slice();
    const verts = state.verts.slice();
    w.release();
    expect(w.count).toBe(0);
    expect(state.count).toBe(5000);
    expect(state.table).toEqual(table);
    expect(state.verts).toEqual(verts);
    expect(w.vertices().length).toBe(0);
    // empty and usable: the next points are numbered from 0 again
    expect(w.weldOne(...points[4999]!)).toBe(0);
    expect(w.weldOne(...points[0]!)).toBe(1);
    expect(w.weldOne(...points[4999]!)).toBe(0);
  });
});
