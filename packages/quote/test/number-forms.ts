/**
 * Number formats that mesh exporters write, for the exactness tests of the number readers: JavaScript's
 * shortest round-trip, Python's repr, C's printf (%.17g, %e, %E, %f) and long or odd decimal strings.
 * Random values come from a seeded PRNG, so a failure names a reproducible token.
 */

/** mulberry32: a small seeded PRNG returning uint32s. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export type Rand = ReturnType<typeof prng>;
const unit = (r: Rand) => r() / 2 ** 32;
const int = (r: Rand, lo: number, hi: number) => lo + (r() % (hi - lo + 1));

const bits = new DataView(new ArrayBuffer(8));
/** Any finite double, uniform over bit patterns: every exponent, subnormals, both zeros. */
function anyDouble(r: Rand): number {
  for (;;) {
    bits.setUint32(0, r());
    bits.setUint32(4, r());
    const x = bits.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}

const SPECIAL = [
  0,
  -0,
  1,
  -1,
  0.1,
  0.5,
  1e22,
  1e23,
  -1e-22,
  1e-23,
  2 ** 53,
  2 ** 53 - 1,
  2 ** 53 + 2,
  2 ** 54 - 2,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  3.4028234663852886e38,
  123456789012345680000,
  0.30000000000000004,
];

/** A random double, mostly the kind a mesh holds (coordinates of either sign, float32 values). */
export function randomDouble(r: Rand): number {
  const k = r() % 100;
  const sign = r() & 1 ? -1 : 1;
  if (k < 40) return sign * 10 ** (unit(r) * 7 - 3) * (1 + unit(r)); // coordinates, 1e-3 … 2e4
  if (k < 55) return Math.fround(sign * 10 ** (unit(r) * 7 - 3) * (1 + unit(r))); // float32 data
  if (k < 80) return anyDouble(r); // tiny and huge exponents, subnormals
  if (k < 95) {
    // what short formats leave: few digits
    const d = 10 ** int(r, 0, 8);
    return (sign * Math.round(unit(r) * 10 ** int(r, 1, 9))) / d;
  }
  return SPECIAL[r() % SPECIAL.length]!;
}

const signOf = (x: number) => (x < 0 || Object.is(x, -0) ? "-" : "");
const expPart = (e: number) => (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
const stripZeros = (s: string) => (s.includes(".") ? s.replace(/\.?0+$/, "") : s);

/** C's %.{p}e: p digits after the point, an exponent of at least two digits. */
export function cE(x: number, p: number): string {
  const s = Math.abs(x).toExponential(p);
  const at = s.indexOf("e");
  return `${signOf(x)}${s.slice(0, at)}e${expPart(Number(s.slice(at + 1)))}`;
}

/** C's %.{p}g: p significant digits, fixed or exponential by the exponent, trailing zeros dropped. */
export function cG(x: number, p: number): string {
  const a = Math.abs(x);
  if (a === 0) return `${signOf(x)}0`;
  const s = a.toExponential(p - 1);
  const at = s.indexOf("e");
  const e = Number(s.slice(at + 1));
  if (e < -4 || e >= p) return `${signOf(x) + stripZeros(s.slice(0, at))}e${expPart(e)}`;
  return signOf(x) + stripZeros(a.toFixed(p - 1 - e));
}

/** Python's repr(float) (shortest round-trip; numpy-stl, trimesh and friends write this). */
export function pyRepr(x: number): string {
  const a = Math.abs(x);
  if (a === 0) return `${signOf(x)}0.0`;
  const s = a.toExponential();
  const at = s.indexOf("e");
  const e = Number(s.slice(at + 1));
  if (e < -4 || e >= 16) return `${signOf(x) + s.slice(0, at)}e${expPart(e)}`;
  const f = String(a);
  return signOf(x) + (f.includes(".") ? f : `${f}.0`);
}

/** Strings at the edges: the fast path's limits, ties, the subnormal and overflow thresholds. */
const HARD = [
  "9007199254740991",
  "9007199254740992",
  "9007199254740993",
  "9007199254740992.5",
  "9007199254740991e22",
  "9007199254740991e-22",
  "9007199254740993e-22",
  "1e22",
  "1e-22",
  "1e23",
  "123456789012345e22",
  "2.2250738585072011e-308",
  "2.4703282292062327e-324",
  "2.4703282292062328e-324",
  "4.9406564584124654e-324",
  "1.7976931348623157e308",
  "1.7976931348623158e308",
  "1.7976931348623159e308",
  "0.1e-999999",
  "1e1000000000",
  "-0e-1000000000",
  "0.000000000000000000000000000001e30",
  "7.038531e-26",
  "00000000000000000000000000000000000000001.5",
];

/** A decimal string that no double printed: 1 to 40 digits, a point anywhere, an exponent up to ±400. */
function digitString(r: Rand): string {
  if (r() % 50 === 0) return HARD[r() % HARD.length]!;
  const n = int(r, 1, 40);
  let s = "";
  for (let k = 0; k < n; k++) s += String(r() % 10);
  const dot = int(r, -1, n);
  if (dot >= 0) s = `${s.slice(0, dot)}.${s.slice(dot)}`;
  const e = r() % 3 === 0 ? "" : `${r() & 1 ? "e" : "E"}${["", "+", "-"][r() % 3]}${int(r, 0, 400)}`;
  return ["", "+", "-"][r() % 3] + s + e;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/**
 * A double within a few double ulps of the midpoint between two neighbouring float32s: where rounding
 * to float32 is decided by the last bits, so a reader that only approximates must notice and defer.
 */
function nearFloat32Midpoint(r: Rand): number {
  let a: number;
  let mid: number;
  do {
    f32[0] = randomDouble(r);
    a = f32[0]!;
    u32[0] = u32[0]! + 1;
    mid = (a + f32[0]!) / 2; // exact in float64
  } while (!Number.isFinite(mid));
  f64[0] = mid;
  u64[0] = u64[0]! + BigInt(int(r, 0, 6)) - 3n;
  return f64[0]!;
}

/** Each form: a name and how it writes a random value. */
export const FORMS: Record<string, (r: Rand) => string> = {
  "shortest round-trip (JavaScript)": (r) => String(randomDouble(r)),
  "shortest round-trip (Python repr)": (r) => pyRepr(randomDouble(r)),
  "%.17g": (r) => cG(randomDouble(r), 17),
  "%.9g (float32 round-trip)": (r) => cG(randomDouble(r), 9),
  "%.18e (numpy savetxt)": (r) => cE(randomDouble(r), 18),
  "%e / %E, precision 0–20": (r) => {
    const s = cE(randomDouble(r), int(r, 0, 20));
    return r() & 1 ? s.toUpperCase() : s;
  },
  "fixed %f, 0–20 decimals": (r) => {
    const x = randomDouble(r);
    return signOf(x) + Math.abs(x).toFixed(int(r, 0, 20));
  },
  "leading + or -, -0": (r) => {
    const x = randomDouble(r);
    const k = r() % 8;
    if (k === 0) return ["-0", "+0", "-0.0", "-0e0", "-0.000000e+00", "+0.0E-5", "-.0", "-0."][r() % 8]!;
    const s = k < 4 ? String(Math.abs(x)) : cG(Math.abs(x), 17);
    return (signOf(x) || "+") + s;
  },
  "long mantissas (20–60 digits)": (r) => {
    const x = randomDouble(r);
    return r() & 1 ? x.toPrecision(int(r, 20, 60)) : signOf(x) + Math.abs(x).toFixed(int(r, 20, 60));
  },
  "digit strings, exponents to ±400": digitString,
  "near float32 rounding midpoints": (r) => {
    const x = nearFloat32Midpoint(r);
    return r() & 1 ? String(x) : cG(x, 17);
  },
};
