import { Inflate } from "fflate";
import { fail } from "../errors.ts";

export interface ZipLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
  /**
   * Optional native raw-DEFLATE decoder (the Node entry passes zlib). It must stop producing output at
   * maxOutputBytes and return null in that case; the pure-TypeScript fallback is fflate.
   */
  inflateRaw?: ((data: Uint8Array, maxOutputBytes: number) => Uint8Array | null) | undefined;
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  localHeaderOffset: number;
}

export function isZip(b: Uint8Array): boolean {
  return (
    b.length >= 4 &&
    b[0] === 0x50 &&
    b[1] === 0x4b &&
    (b[2] === 3 || b[2] === 5) &&
    (b[3] === 4 || b[3] === 6)
  );
}

const utf8 = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");

function checkName(name: string): void {
  const parts = name.split("/");
  if (
    name.startsWith("/") ||
    name.includes("\\") ||
    name.includes("\0") ||
    /^[a-zA-Z]:/.test(name) ||
    parts.some((p) => p === "..")
  ) {
    fail(
      "ZIP_PATH_TRAVERSAL",
      `Zip entry "${name.slice(0, 200)}" has an unsafe path (absolute or with "..").`,
    );
  }
}

/**
 * Reads the central directory (never trusting its declared sizes for limits) and validates names.
 * Hand-written around fflate's streaming `Inflate` on purpose: fflate's `unzip` inflates each entry
 * whole and believes the declared sizes, so it cannot stop a zip bomb at a byte budget or ratio while
 * inflating; test/bad-input.test.ts ("zip bomb: compression ratio limit, while inflating") shows why.
 */
export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();
  private readonly dv: DataView;
  private inflated = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly limits: ZipLimits,
  ) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const n = b.length;
    let eocd = -1;
    for (let i = n - 22; i >= Math.max(0, n - 22 - 65535); i--) {
      if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0)
      fail("ZIP_INVALID", "The file looks like a zip archive but has no central directory (truncated?).");
    let cdSize = this.dv.getUint32(eocd + 12, true);
    let cdOffset = this.dv.getUint32(eocd + 16, true);
    const loc = eocd - 20;
    if (loc >= 0 && this.dv.getUint32(loc, true) === 0x07064b50) {
      // ZIP64 end of central directory locator -> record
      const rec = Number(this.dv.getBigUint64(loc + 8, true));
      if (rec + 56 > eocd || this.dv.getUint32(rec, true) !== 0x06064b50)
        fail("ZIP_INVALID", "Corrupt ZIP64 directory.");
      cdSize = Number(this.dv.getBigUint64(rec + 40, true));
      cdOffset = Number(this.dv.getBigUint64(rec + 48, true));
    }
    if (cdOffset + cdSize > eocd) fail("ZIP_INVALID", "The zip central directory points outside the file.");
    let p = cdOffset;
    const end = cdOffset + cdSize;
    let count = 0;
    while (p + 46 <= end) {
      if (this.dv.getUint32(p, true) !== 0x02014b50) fail("ZIP_INVALID", "Corrupt zip central directory.");
      if (++count > limits.maxEntries) {
        fail("ZIP_TOO_MANY_ENTRIES", `The archive has more than ${limits.maxEntries} entries.`);
      }
      const flags = this.dv.getUint16(p + 8, true);
      const method = this.dv.getUint16(p + 10, true);
      let compressedSize = this.dv.getUint32(p + 20, true);
      const uncompressed32 = this.dv.getUint32(p + 24, true);
      const nameLen = this.dv.getUint16(p + 28, true);
      const extraLen = this.dv.getUint16(p + 30, true);
      const commentLen = this.dv.getUint16(p + 32, true);
      let localHeaderOffset = this.dv.getUint32(p + 42, true);
      if (p + 46 + nameLen + extraLen > end) fail("ZIP_INVALID", "Corrupt zip central directory.");
      if (
        compressedSize === 0xffffffff ||
        localHeaderOffset === 0xffffffff ||
        uncompressed32 === 0xffffffff
      ) {
        // ZIP64 extended information extra field (id 1): the 64-bit values that overflowed, in order
        let x = p + 46 + nameLen;
        const xe = x + extraLen;
        while (x + 4 <= xe) {
          const id = this.dv.getUint16(x, true);
          const sz = this.dv.getUint16(x + 2, true);
          if (id === 1) {
            let q = x + 4;
            const read = () => {
              if (q + 8 > x + 4 + sz) fail("ZIP_INVALID", "Corrupt ZIP64 extra field.");
              const v = Number(this.dv.getBigUint64(q, true));
              q += 8;
              return v;
            };
            if (uncompressed32 === 0xffffffff) read();
            if (compressedSize === 0xffffffff) compressedSize = read();
            if (localHeaderOffset === 0xffffffff) localHeaderOffset = read();
            break;
          }
          x += 4 + sz;
        }
      }
      const raw = b.subarray(p + 46, p + 46 + nameLen);
      const name = (flags & 0x800 ? utf8 : latin1).decode(raw);
      checkName(name);
      if (!name.endsWith("/")) {
        const key = name.toLowerCase();
        if (this.entries.has(key)) fail("ZIP_INVALID", `The archive has two entries named "${name}".`);
        this.entries.set(key, { name, method, flags, compressedSize, localHeaderOffset });
      }
      p += 46 + nameLen + extraLen + commentLen;
    }
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** Inflates one entry, enforcing the limits on the bytes actually produced, while they are produced. */
  read(name: string): Uint8Array {
    const e = this.entries.get(name.toLowerCase());
    if (!e) fail("MISSING_3MF_PART", `The package has no part "${name}".`);
    if (e.flags & 1) fail("ZIP_UNSUPPORTED", `Zip entry "${e.name}" is encrypted.`);
    const lh = e.localHeaderOffset;
    if (lh + 30 > this.b.length || this.dv.getUint32(lh, true) !== 0x04034b50) {
      fail("ZIP_INVALID", `Corrupt local header for zip entry "${e.name}".`);
    }
    const start = lh + 30 + this.dv.getUint16(lh + 26, true) + this.dv.getUint16(lh + 28, true);
    const stop = start + e.compressedSize;
    if (stop > this.b.length)
      fail("ZIP_INVALID", `Zip entry "${e.name}" runs past the end of the file (truncated).`);
    const data = this.b.subarray(start, stop);
    const { maxUncompressedBytes, maxCompressionRatio } = this.limits;
    if (e.method === 0) {
      this.inflated += data.length;
      if (this.inflated > maxUncompressedBytes) {
        fail("ZIP_BOMB", `The archive expands to more than ${maxUncompressedBytes} bytes.`);
      }
      return data;
    }
    if (e.method !== 8) fail("ZIP_UNSUPPORTED", `Zip entry "${e.name}" uses compression method ${e.method}.`);
    if (this.limits.inflateRaw) {
      const budget = Math.min(
        maxUncompressedBytes - this.inflated,
        Math.max(1 << 20, maxCompressionRatio * data.length),
      );
      let out: Uint8Array | null;
      try {
        out = this.limits.inflateRaw(data, Math.max(0, budget));
      } catch (err) {
        fail(
          "ZIP_INVALID",
          `Zip entry "${e.name}" is corrupt (${err instanceof Error ? err.message : "inflate failed"}).`,
        );
      }
      if (out === null) {
        fail(
          "ZIP_BOMB",
          `Zip entry "${e.name}" expands beyond the limits (${maxUncompressedBytes} bytes in total, ${maxCompressionRatio}× its compressed size); refused as a zip bomb.`,
        );
      }
      this.inflated += out.length;
      return out;
    }
    const chunks: Uint8Array[] = [];
    let out = 0;
    let consumed = 0;
    let done = false;
    const inf = new Inflate((chunk, final) => {
      out += chunk.length;
      this.inflated += chunk.length;
      if (this.inflated > maxUncompressedBytes) {
        fail(
          "ZIP_BOMB",
          `The archive expands to more than ${maxUncompressedBytes} bytes; refused as a zip bomb.`,
        );
      }
      if (out > 1 << 20 && out > maxCompressionRatio * Math.max(consumed, 1)) {
        fail(
          "ZIP_BOMB",
          `Zip entry "${e.name}" expands more than ${maxCompressionRatio}× its compressed size; refused as a zip bomb.`,
        );
      }
      chunks.push(chunk);
      if (final) done = true;
    });
    const SLICE = 64 * 1024;
    try {
      for (let p = 0; p < data.length; p += SLICE) {
        const last = p + SLICE >= data.length;
        consumed = Math.min(data.length, p + SLICE);
        inf.push(data.subarray(p, Math.min(data.length, p + SLICE)), last);
      }
      if (data.length === 0) inf.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof Error && err.name === "QuoteError") throw err;
      fail(
        "ZIP_INVALID",
        `Zip entry "${e.name}" is corrupt (${err instanceof Error ? err.message : "inflate failed"}).`,
      );
    }
    if (!done && data.length > 0) fail("ZIP_INVALID", `Zip entry "${e.name}" is truncated.`);
    if (chunks.length === 1) return chunks[0]!;
    const result = new Uint8Array(out);
    let o = 0;
    for (const c of chunks) {
      result.set(c, o);
      o += c.length;
    }
    return result;
  }
}
