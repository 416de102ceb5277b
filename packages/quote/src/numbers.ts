const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Result slot for parseNumber: the end offset of the last parsed number. */
export const numEnd = { pos: 0 };

const asciiDecoder = new TextDecoder("latin1");

/**
 * Parses a decimal number (sign, digits, fraction, exponent) from bytes at `pos`, stopping at `end`.
 * Returns NaN when there is no number there. Sets numEnd.pos to the first byte after it.
 * Exact (correctly rounded) on the fast path; falls back to Number() for long mantissas or big exponents.
 */
export function parseNumber(b: Uint8Array, pos: number, end: number): number {
  let i = pos;
  let neg = false;
  let c = i < end ? b[i]! : 0;
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    i++;
    c = i < end ? b[i]! : 0;
  }
  let mant = 0;
  let digits = 0;
  let exp = 0;
  let any = false;
  while (c >= 48 && c <= 57) {
    if (mant < 1e15) {
      mant = mant * 10 + (c - 48);
      if (mant !== 0) digits++;
    } else {
      exp++;
      digits++;
    }
    any = true;
    i++;
    c = i < end ? b[i]! : 0;
  }
  if (c === 46 /* . */) {
    i++;
    c = i < end ? b[i]! : 0;
    while (c >= 48 && c <= 57) {
      if (mant < 1e15) {
        mant = mant * 10 + (c - 48);
        exp--;
        if (mant !== 0) digits++;
      } else {
        digits++;
      }
      any = true;
      i++;
      c = i < end ? b[i]! : 0;
    }
  }
  if (!any) {
    numEnd.pos = pos;
    return Number.NaN;
  }
  if (c === 101 || c === 69 /* e E */) {
    let j = i + 1;
    let ec = j < end ? b[j]! : 0;
    let eneg = false;
    if (ec === 45 || ec === 43) {
      eneg = ec === 45;
      j++;
      ec = j < end ? b[j]! : 0;
    }
    if (ec >= 48 && ec <= 57) {
      let e = 0;
      while (ec >= 48 && ec <= 57) {
        if (e < 100000) e = e * 10 + (ec - 48);
        j++;
        ec = j < end ? b[j]! : 0;
      }
      exp += eneg ? -e : e;
      i = j;
    }
  }
  numEnd.pos = i;
  let v: number;
  if (digits <= 15 && exp >= -22 && exp <= 22) {
    v = exp >= 0 ? mant * POW10[exp]! : mant / POW10[-exp]!;
  } else {
    v = Number(asciiDecoder.decode(b.subarray(pos, i)));
  }
  return neg ? -v : v;
}

/**
 * The hot-path variant of parseNumber for buffers where reading on is harmless (the caller checks
 * numEnd.pos against its own limit): fewer branches, same results (falls back for long mantissas or
 * big exponents).
 */
export function parseNumberFast(b: Uint8Array, pos: number): number {
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
  // no digits, or more than 15 (not exact in a double): the general parser decides
  if (nd === 0 || nd > 15) return parseNumber(b, pos, b.length);
  if ((d | 0x20) === 53 /* e or E, minus 48 */) {
    let j = i + 1;
    let ec = b[j]!;
    const eneg = ec === 45;
    if (eneg || ec === 43) ec = b[++j]!;
    let ed = ec - 48;
    if (ed >= 0 && ed <= 9) {
      let e = 0;
      while (ed >= 0 && ed <= 9) {
        if (e < 100000) e = e * 10 + ed;
        ed = b[++j]! - 48;
      }
      exp += eneg ? -e : e;
      i = j;
    }
  }
  numEnd.pos = i;
  if (exp < -22 || exp > 22) return parseNumber(b, pos, b.length);
  const v = exp >= 0 ? m * POW10[exp]! : m / POW10[-exp]!;
  return neg ? -v : v;
}
