/** A closed latitude-longitude sphere as binary STL with about `bytes` bytes (50 bytes a triangle). */
export function sphereStl(bytes: number): Uint8Array<ArrayBuffer> {
  const triangles = Math.floor((bytes - 84) / 50);
  const rows = Math.max(4, Math.floor(Math.sqrt(triangles / 2)));
  const cols = Math.max(4, Math.floor(triangles / 2 / rows));
  const point = (r: number, c: number): [number, number, number] => {
    const theta = (r / rows) * Math.PI;
    const phi = ((c % cols) / cols) * 2 * Math.PI;
    return [
      40 * Math.sin(theta) * Math.cos(phi),
      40 * Math.sin(theta) * Math.sin(phi),
      40 + 40 * Math.cos(theta),
    ];
  };
  const faces: Array<[number, number, number][]> = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const a = point(r, c);
      const b = point(r + 1, c);
      const d = point(r, c + 1);
      const e = point(r + 1, c + 1);
      if (r > 0) faces.push([a, b, d]);
      if (r < rows - 1) faces.push([d, b, e]);
    }
  }
  const out = new Uint8Array(84 + faces.length * 50);
  const view = new DataView(out.buffer);
  view.setUint32(80, faces.length, true);
  faces.forEach((face, i) => {
    const at = 84 + i * 50 + 12;
    face.forEach((v, j) => {
      for (let k = 0; k < 3; k++) view.setFloat32(at + j * 12 + k * 4, v[k]!, true);
    });
  });
  return out;
}
