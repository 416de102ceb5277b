import { constants, inflateRawSync } from "node:zlib";

/** zlib raw inflate that stops at maxOutputBytes (zlib enforces it while decompressing). */
export function zlibInflateRaw(data: Uint8Array, maxOutputBytes: number): Uint8Array | null {
  try {
    const out = inflateRawSync(data, { maxOutputLength: Math.max(1, maxOutputBytes) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return null;
    if ((e as { errno?: number }).errno === constants.Z_BUF_ERROR) throw new Error("truncated data");
    throw e;
  }
}
