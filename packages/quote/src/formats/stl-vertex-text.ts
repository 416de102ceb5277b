/**
 * Recently read vertex texts of an ASCII STL and what they were read as: in a closed mesh each vertex
 * is written ~6 times, byte for byte the same in practice, mostly by facets close together. A vertex
 * whose three numbers are the same bytes as a recent one's has the same value and the same vertex id,
 * so the reader takes both from here without parsing its numbers or welding it again. Texts that
 * differ but mean the same number ("1.0" and "1.00", "-0" and "0", exponents) are simply not found
 * here: they are parsed and go through the exact weld by value, which merges them.
 *
 * Direct-mapped: slot = hash of the vertex's line (up to its newline, at most 64 bytes). A slot holds
 * the three tokens' bytes (the text from the first number to the end of the third, at most 96 bytes),
 * the float32 bits of x, y and z, and the vertex id. A hit compares the stored bytes with the bytes at
 * the vertex and checks that a blank follows them, so a hash collision can only cost a miss.
 */
const SLOTS = 8192;

const SLOT_WORDS = 32; // 8 words of header, then the text (24 words = 96 bytes)
const HEAD = 8;
export const MAX_VERTEX_TEXT = (SLOT_WORDS - HEAD) * 4;

export class VertexTextCache {
  /** Per slot: text length (0: empty), vertex id, x y z float32 bits, 3 spare, the text's bytes. */
  readonly c: Uint32Array;
  /** The float32 values of the slots' x, y and z (the same words as `c`). */
  readonly f: Float32Array;
  private readonly mask: number;
  /** After `find`: the slot's first word, where `add` stores the vertex on a miss (-1: none). */
  base = -1;
  /** How many vertices were found here. */
  hits = 0;

  /** `slots`: a power of two (fewer only in tests, to make every text collide). */
  constructor(slots = SLOTS) {
    this.c = new Uint32Array(slots * SLOT_WORDS);
    this.f = new Float32Array(this.c.buffer);
    this.mask = slots - 1;
  }

  /**
   * The length of the vertex text at `s` (its three numbers) if it is in the cache, with the slot's
   * first word in `base` (x, y, z are f[base + 2…4], the id c[base + 1]); otherwise -1.
   */
  find(dv: DataView, b: Uint8Array, s: number, end: number): number {
    let h = 0x2545f491;
    let p = s;
    for (let n = 0; ; n++) {
      if (p + 4 > end) {
        this.base = -1;
        return -1;
      }
      let w = dv.getUint32(p, true);
      const x = w ^ 0x0a0a0a0a;
      // a newline byte in the word: keep the bytes before the first one (borrows only flag bytes above it)
      const nl = (x - 0x01010101) & ~x & 0x80808080;
      if (nl !== 0) {
        const bit = 31 - Math.clz32(nl & -nl);
        w = bit < 8 ? 0 : w & ((1 << (bit - 7)) - 1);
        h = Math.imul(h ^ w, 0x9e3779b1);
        break;
      }
      h = Math.imul(h ^ w, 0x9e3779b1);
      h ^= h >>> 15;
      p += 4;
      if (n === 15) break;
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    const base = ((h >>> 13) & this.mask) * SLOT_WORDS;
    this.base = base;
    const c = this.c;
    const len = c[base]!;
    if (len === 0 || s + len >= end || b[s + len]! > 32) return -1;
    const full = len >>> 2;
    for (let t = 0; t < full; t++) if (dv.getUint32(s + t * 4, true) !== c[base + HEAD + t]) return -1;
    const rest = len & 3;
    if (rest !== 0) {
      const w = dv.getUint32(s + full * 4, true) & ((1 << (rest * 8)) - 1);
      if (w !== c[base + HEAD + full]) return -1;
    }
    this.hits++;
    return len;
  }

  /**
   * Stores the vertex text b[s, s + len) read as float32 bits x, y, z with vertex `id` in the slot
   * `find` chose (does nothing if it chose none or the text is too long).
   */
  add(dv: DataView, s: number, len: number, end: number, x: number, y: number, z: number, id: number) {
    const base = this.base;
    const full = len >>> 2;
    if (base < 0 || len > MAX_VERTEX_TEXT || s + full * 4 + 4 > end) return;
    const c = this.c;
    c[base] = len;
    c[base + 1] = id;
    c[base + 2] = x;
    c[base + 3] = y;
    c[base + 4] = z;
    for (let t = 0; t < full; t++) c[base + HEAD + t] = dv.getUint32(s + t * 4, true);
    const rest = len & 3;
    if (rest !== 0) c[base + HEAD + full] = dv.getUint32(s + full * 4, true) & ((1 << (rest * 8)) - 1);
  }
}
