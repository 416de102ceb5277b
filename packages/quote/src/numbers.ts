// Exact powers of ten: 10^22 is the largest that a double holds exactly (5^22 < 2^53).
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const TWO53 = 9007199254740992;

/** Result slot for parseNumber: the end offset of the last parsed number. */
export const numEnd = { pos: 0 };

const asciiDecoder = new TextDecoder("latin1");

/*
 * Both readers return exactly the double that Number() gives for the token.
 *
 * The fast path is Clinger's: the decimal digits are accumulated as an integer m, and when m < 2^53 and
 * the decimal exponent e is within ±22, both m and 10^|e| are exact doubles, so the one IEEE multiply
 * (or divide) m × 10^e is correctly rounded, which is what Number() returns. The check on m is on the
 * computed value: the accumulation m = 10m + d is monotone, so a computed m below 2^53 means every
 * step stayed below 2^53 and was exact (leading zeros cost nothing; 16-digit mantissas below 2^53
 * qualify). Anything else (17+ significant digits, |e| > 22) is handed to Number() on the token's own
 * text, sign included.
 */

/** Number() of the token b[pos, end): the exact fallback. */
function slow(b: Uint8Array, pos: number, end: number): number {
  numEnd.pos = end;
  return Number(asciiDecoder.decode(b.subarray(pos, end)));
}

/**
 * Parses a decimal number (sign, digits, fraction, exponent) from bytes at `pos`, stopping at `end`.
 * Returns NaN when there is no number there (numEnd.pos = pos). Sets numEnd.pos to the first byte
 * after it. An "e" not followed by a digit is not part of the number.
 */
export function parseNumber(b: Uint8Array, pos: number, end: number): number {
  let i = pos;
  let c = i < end ? b[i]! : 0;
  const neg = c === 45; /* - */
  if (neg || c === 43 /* + */) c = ++i < end ? b[i]! : 0;
  let m = 0;
  let nd = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    nd++;
    c = ++i < end ? b[i]! : 0;
  }
  let exp = 0;
  if (c === 46 /* . */) {
    c = ++i < end ? b[i]! : 0;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      nd++;
      exp--;
      c = ++i < end ? b[i]! : 0;
    }
  }
  if (nd === 0) {
    numEnd.pos = pos;
    return Number.NaN;
  }
  if ((c | 0x20) === 101 /* e E */) {
    let j = i + 1;
    let ec = j < end ? b[j]! : 0;
    const eneg = ec === 45;
    if (eneg || ec === 43) ec = ++j < end ? b[j]! : 0;
    if (ec >= 48 && ec <= 57) {
      let e = 0;
      while (ec >= 48 && ec <= 57) {
        e = e * 10 + (ec - 48); // saturates to Infinity, never wraps: a huge exponent stays huge
        ec = ++j < end ? b[j]! : 0;
      }
      exp += eneg ? -e : e;
      i = j;
    }
  }
  if (m >= TWO53 || exp < -22 || exp > 22) return slow(b, pos, i);
  numEnd.pos = i;
  const v = exp >= 0 ? m * POW10[exp]! : m / POW10[-exp]!;
  return neg ? -v : v;
}

/**
 * The hot-path variant of parseNumber for buffers where reading on is harmless (the caller checks
 * numEnd.pos against its own limit): fewer branches, the same results.
 *
 * `float32`: the caller stores the value in a Float32Array (ASCII STL), so the result only has to
 * round to the same float32 as Number() would: 16 to 19 significant digits and exponents up to ±44
 * (full-precision exporter output) then skip Number() whenever the float32 is certain (float32Of).
 */
export function parseNumberFast(b: Uint8Array, pos: number, float32 = false): number {
  let i = pos;
  let c = b[i]!;
  const neg = c === 45;
  if (neg || c === 43) c = b[++i]!;
  let m = 0;
  let d = c - 48;
  const s0 = i;
  // past the end b[i] is undefined: d is NaN and the comparison is false
  while (d >= 0 && d <= 9) {
    m = m * 10 + d;
    d = b[++i]! - 48;
  }
  let nd = i - s0;
  let exp = 0;
  if (d === -2 /* . */) {
    const f0 = ++i;
    d = b[i]! - 48;
    while (d >= 0 && d <= 9) {
      m = m * 10 + d;
      d = b[++i]! - 48;
    }
    exp = f0 - i;
    nd -= exp;
  }
  if (nd === 0) {
    numEnd.pos = pos;
    return Number.NaN;
  }
  if ((d | 0x20) === 53 /* e or E, minus 48 */) {
    let j = i + 1;
    let ec = b[j]!;
    const eneg = ec === 45;
    if (eneg || ec === 43) ec = b[++j]!;
    let ed = ec - 48;
    if (ed >= 0 && ed <= 9) {
      let e = 0;
      while (ed >= 0 && ed <= 9) {
        e = e * 10 + ed;
        ed = b[++j]! - 48;
      }
      exp += eneg ? -e : e;
      i = j;
    }
  }
  // kept out of line, so this function stays small enough to inline into the per-facet loop
  if (m >= TWO53 || exp < -22 || exp > 22) return beyondExact(b, pos, i, m, exp, neg, float32);
  numEnd.pos = i;
  const v = exp >= 0 ? m * POW10[exp]! : m / POW10[-exp]!;
  return neg ? -v : v;
}

/** parseNumberFast's token b[pos, end) outside the exact path: float32Of when allowed, else Number(). */
function beyondExact(
  b: Uint8Array,
  pos: number,
  end: number,
  m: number,
  exp: number,
  neg: boolean,
  float32: boolean,
): number {
  if (float32) {
    const f = float32Of(m, exp);
    if (!Number.isNaN(f)) {
      numEnd.pos = end;
      return neg ? -f : f;
    }
  }
  return slow(b, pos, end);
}

const BELOW = 1 - 2 ** -49;
const ABOVE = 1 + 2 ** -49;

/**
 * fround(Number(token)) for the token m × 10^exp (m as accumulated by the readers, not exact beyond
 * 2^53), or NaN when that float32 is not certain. Why it is exact: m < 1e19 (1e19 is a double, and
 * rounding is monotone, so the true mantissa is below it too) means at most 4 accumulation steps ran
 * above 2^53, each off by at most 2 units of 2^-53 relative; one or two multiplies or divides by exact
 * powers of ten add at most 2 more. So v is within 10·2^-53 of the true value, and Number(token), the
 * double nearest to it, within 11·2^-53 of v: inside [v·(1 − 2^-49), v·(1 + 2^-49)] (16·2^-53 each
 * side, less one rounding). Math.fround is monotone, so when both ends round to the same float32,
 * fround(Number(token)) is that float32. Float32 data printed in full (every Python or numpy export of
 * a float32 mesh) lies far from a float32 rounding boundary, so this almost never says NaN.
 */
function float32Of(m: number, exp: number): number {
  if (!(m < 1e19) || exp < -44 || exp > 44) return Number.NaN;
  let v: number;
  if (exp > 22) v = m * 1e22 * POW10[exp - 22]!;
  else if (exp >= 0) v = m * POW10[exp]!;
  else if (exp >= -22) v = m / POW10[-exp]!;
  else v = m / 1e22 / POW10[-exp - 22]!;
  // near the float32 range's end, Number() decides (the caller refuses what is out of range)
  if (!(v < 1e38)) return Number.NaN;
  const lo = Math.fround(v * BELOW);
  return lo === Math.fround(v * ABOVE) ? lo : Number.NaN;
}
