import type { Mesh } from "./mesh.ts";

/**
 * The only model file the slicer ever reads: a binary STL written here from Ktizo's own parsed mesh,
 * moved so its bounding box starts at the origin (the same shape always gives the same bytes, so its
 * hash is the cache key whatever the upload's placement). Normals are zero: PrusaSlicer recomputes them.
 */
export function writeBinaryStl(mesh: Mesh): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(84 + mesh.triangles * 50);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode("binary STL written by Ktizo"), 0);
  view.setUint32(80, mesh.triangles, true);
  const [mx, my, mz] = mesh.min;
  const p = mesh.positions;
  for (let t = 0; t < mesh.triangles; t++) {
    const o = 84 + t * 50 + 12;
    for (let k = 0; k < 9; k += 3) {
      view.setFloat32(o + k * 4, p[t * 9 + k]! - mx, true);
      view.setFloat32(o + (k + 1) * 4, p[t * 9 + k + 1]! - my, true);
      view.setFloat32(o + (k + 2) * 4, p[t * 9 + k + 2]! - mz, true);
    }
  }
  return bytes;
}
