/**
 * Money, the one way: amounts are integers in the currency's minor unit (cents for USD, yen for JPY, fils
 * for KWD). Every screen, email and CSV formats and parses them here, so a JPY shop never sees or stores
 * an amount 100× off. Browser-safe: no server imports.
 */

import { safeLocale } from "./locale.ts";

// ISO 4217 minor units that are not 2. A fixed table rather than the runtime's Intl data: the server's and
// the browser's ICU can disagree for a few currencies (IQD, IRR, LAK…), and the digits decide what is
// stored, so they must not depend on where the code runs. Metals and other codes without minor units
// ("N.A." in ISO 4217) count as 2, as Intl does.
const DIGITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** How many digits the currency's minor unit has: USD 2, JPY 0, KWD 3 (ISO 4217). */
export function currencyDigits(currency: string): number {
  return DIGITS[currency.toUpperCase()] ?? 2;
}

/** The largest amount, in minor units, that is exact in a JavaScript number. */
const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/**
 * Minor units as a plain decimal in the currency's digits: 123456 KWD → "123.456", 1200 JPY → "1200",
 * -5 USD → "-0.05". No grouping and "." as the separator: for CSV files and as Intl's exact input.
 * Integer arithmetic on the digits, never a float division.
 */
export function minorToDecimal(minor: number, currency: string): string {
  return scaledToDecimal(minor, currencyDigits(currency));
}

/** An integer count of 10^-places units as a plain decimal ("-0.05" for -5 at 2 places). */
function scaledToDecimal(scaled: number, places: number): string {
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`Not an amount in minor units: ${scaled}`);
  const sign = scaled < 0 ? "-" : "";
  const text = String(Math.abs(scaled));
  if (places === 0) return sign + text;
  const padded = text.padStart(places + 1, "0");
  return `${sign}${padded.slice(0, -places)}.${padded.slice(-places)}`;
}

/**
 * Prices per gram or per hour may carry finer steps than the currency has: a rate is minor units with up
 * to four more decimals (0.0250 USD/g is 2.5 minor units).
 */
const RATE_PLACES = 4;
const RATE_SCALE = 10 ** RATE_PLACES;

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, locale: string, grouping: boolean): Intl.NumberFormat | null {
  const key = `${locale}|${currency}|${grouping}`;
  let format = formatters.get(key);
  if (!format) {
    const digits = currencyDigits(currency);
    try {
      format = new Intl.NumberFormat(locale, {
        style: "currency",
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: grouping,
      });
    } catch {
      return null;
    }
    formatters.set(key, format);
  }
  return format;
}

/**
 * "$12.50", "1.234,50 €", "￥1,200", "KWD 1.500": minor units in the currency's digits and the given
 * locale (the visitor's, or the shop's for what a shop sends). Exact: Intl is given the decimal string.
 */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const code = currency.toUpperCase();
  const decimal = minorToDecimal(minor, code);
  const format = currencyFormat(code, safeLocale(locale), true);
  // Intl formats a decimal string exactly (no float in between); the lib typings still say number.
  return format ? format.format(decimal as unknown as number) : `${decimal} ${code}`;
}

/**
 * The value of a money input: the amount in the locale's decimal separator, without symbol or grouping
 * ("1234,50" in de-DE, "1200" for JPY), so parseMoney reads it back to the same minor units.
 */
export function moneyInputValue(minor: number, currency: string, locale?: string): string {
  return localDecimal(minorToDecimal(minor, currency), currency, locale);
}

/** A rate (minor units, maybe fractional) as an input's value: 2.5 USD → "0.025"; "" for null. */
export function rateInputValue(minor: number | null | undefined, currency: string, locale?: string): string {
  if (minor === null || minor === undefined) return "";
  const places = currencyDigits(currency) + RATE_PLACES;
  const decimal = scaledToDecimal(Math.round(minor * RATE_SCALE), places).replace(/\.?0+$/, "");
  return localDecimal(decimal, currency, locale);
}

function localDecimal(decimal: string, currency: string, locale: string | undefined): string {
  const separator = separators(safeLocale(locale), currency).decimal;
  return separator === "." ? decimal : decimal.replace(".", separator);
}

const separatorCache = new Map<string, { decimal: string; group: string }>();

/**
 * The locale's separators as it writes amounts of this currency (a locale may write money differently
 * from plain numbers: en-DE groups numbers as "12.345,6" but money as "€12,345.60").
 */
function separators(locale: string, currency: string): { decimal: string; group: string } {
  const key = `${locale}|${currency}`;
  let found = separatorCache.get(key);
  if (!found) {
    let parts: Intl.NumberFormatPart[];
    try {
      // One decimal whatever the currency has, so that the decimal separator shows.
      const options = {
        style: "currency",
        currency,
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      } as const;
      parts = new Intl.NumberFormat(locale, options).formatToParts(12345.6);
    } catch {
      parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
    }
    found = {
      decimal: normalizeSeparator(parts.find((p) => p.type === "decimal")?.value ?? "."),
      group: normalizeSeparator(parts.find((p) => p.type === "group")?.value ?? ","),
    };
    separatorCache.set(key, found);
  }
  return found;
}

// Arabic separators count as their Latin counterparts; spaces and apostrophes only ever group.
function normalizeSeparator(s: string): string {
  if (s === "\u066b") return ".";
  if (s === "\u066c") return ",";
  return /^[\s\u00a0\u202f'’]$/.test(s) ? " " : s;
}

// Zero of each decimal-digit run a locale may type in (Arabic-Indic, Persian, Devanagari, Bengali,
// Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Thai, Lao, Tibetan, Myanmar, Khmer,
// Mongolian); full-width and other compatibility digits become ASCII through NFKC already.
const DIGIT_ZEROS = [
  0x660, 0x6f0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xe50, 0xed0, 0xf20, 0x1040,
  0x17e0, 0x1810,
];

/** Digits of the scripts above as ASCII digits. */
function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const code = d.codePointAt(0) ?? 0;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
    return zero === undefined ? d : String(code - zero);
  });
}

export type MoneyParse = { ok: true; minor: number } | { ok: false; error: string };

/**
 * Reads what a person typed as an amount of `currency`: "12.50", "1,234.5", "¥1200", "1.234,50" (de-DE),
 * "1 234,50 €", "-3". Exact integer arithmetic on the digits, never a float multiplication. The last of
 * "." and "," is the decimal separator when both appear; a lone one is a group separator only where it
 * is the locale's and is followed by groups of exactly three digits. More decimals than the currency has
 * are refused (unless they are zeros), as is anything that is not an amount.
 */
export function readMoney(text: string, currency: string, locale?: string): MoneyParse {
  return readDecimal(text, currencyDigits(currency), currency.toUpperCase(), locale);
}

/** readMoney for a rate: minor units with up to four more decimals (see RATE_PLACES). */
export function readRate(text: string, currency: string, locale?: string): MoneyParse {
  const read = readDecimal(text, currencyDigits(currency) + RATE_PLACES, currency.toUpperCase(), locale);
  return read.ok ? { ok: true, minor: read.minor / RATE_SCALE } : read;
}

/** The number in `text` as an integer count of 10^-digits units. */
function readDecimal(text: string, digits: number, currency: string, locale?: string): MoneyParse {
  const fail = (error: string): MoneyParse => ({ ok: false, error });
  let t = asciiDigits(text.normalize("NFKC").replace(/\p{Cf}/gu, ""))
    .replace(/[\u066b]/g, ".")
    .replace(/[\u066c]/g, ",")
    .trim();
  // A currency symbol or code before or after the number (and a sign on either side of a prefix).
  let negative = false;
  const sign = () => {
    if (/^[-\u2212]/.test(t)) {
      negative = !negative;
      t = t.slice(1).trim();
    } else if (t.startsWith("+")) t = t.slice(1).trim();
  };
  sign();
  const prefix = /^[\p{L}\p{Sc}]+(?:\.[\p{L}\p{Sc}]+)*(?:(?<=\p{L})\.)?(?=[\s\d.,+\-\u2212])/u.exec(t);
  if (prefix) {
    t = t.slice(prefix[0].length).trim();
    if (!negative) sign();
  }
  t = t.replace(/(?<=\d)\s*[\p{L}\p{Sc}][\p{L}\p{Sc}.]*$/u, "").trim();
  if (t === "") return fail("Enter an amount");
  if (/^[.,]\d+$/.test(t)) t = `0${t}`;
  if (!/^\d[\d.,\s\u00a0\u202f'’]*$/.test(t) || /[.,\s'’\u00a0\u202f]$/.test(t)) {
    return fail("Enter an amount, like 12.50");
  }
  t = t.replace(/[\s\u00a0\u202f'’]/g, "");
  const localeGroup = separators(safeLocale(locale), currency).group;
  const lastDot = t.lastIndexOf(".");
  const lastComma = t.lastIndexOf(",");
  let decimalSep: string | null = null;
  if (lastDot >= 0 && lastComma >= 0) decimalSep = lastDot > lastComma ? "." : ",";
  else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? "." : ",";
    const chunks = t.split(sep);
    const grouped = chunks.slice(1).every((c) => c.length === 3);
    if (chunks.length > 2) decimalSep = null;
    else if (sep === localeGroup && grouped) decimalSep = null;
    else decimalSep = sep;
  }
  let whole = t;
  let fraction = "";
  if (decimalSep) {
    const at = t.lastIndexOf(decimalSep);
    whole = t.slice(0, at);
    fraction = t.slice(at + 1);
    if (fraction.includes(".") || fraction.includes(",")) return fail("Enter an amount, like 12.50");
  }
  const groupSep = decimalSep === "." ? "," : decimalSep === "," ? "." : null;
  const groups = groupSep ? whole.split(groupSep) : whole.split(/[.,]/);
  if (groups.length > 1 && (groups[0] === "" || groups.slice(1).some((g) => g.length !== 3))) {
    return fail("Enter an amount, like 12.50");
  }
  whole = groups.join("");
  if (!/^\d+$/.test(whole) || (decimalSep !== null && !/^\d+$/.test(fraction))) {
    return fail("Enter an amount, like 12.50");
  }
  if (fraction.length > digits) {
    if (/[1-9]/.test(fraction.slice(digits))) {
      return fail(
        digits === 0
          ? `${currency} amounts have no decimals`
          : `${currency} amounts have at most ${digits} decimals`,
      );
    }
    fraction = fraction.slice(0, digits);
  }
  const minorText = (whole + fraction.padEnd(digits, "0")).replace(/^0+(?=\d)/, "");
  if (minorText.length > String(MAX_MINOR).length || Number(minorText) > MAX_MINOR) {
    return fail("The amount is too large");
  }
  const minor = Number(minorText);
  return { ok: true, minor: negative && minor !== 0 ? -minor : minor };
}

/**
 * readMoney for form actions: the minor units, or NaN when the text is not an amount (the API's input
 * schema then refuses it with the field's own message, so a bad amount changes nothing).
 */
export function parseMoney(text: string, currency: string, locale?: string): number {
  const read = readMoney(text, currency, locale);
  return read.ok ? read.minor : Number.NaN;
}

/** readRate for form actions: "" → null, not a rate → NaN (refused by the API with a message). */
export function parseRate(text: string, currency: string, locale?: string): number | null {
  if (text.trim() === "") return null;
  const read = readRate(text, currency, locale);
  return read.ok ? read.minor : Number.NaN;
}

/**
 * An amount converted into another currency at `rate` (units of `to` per unit of `from`), in `to`'s own
 * minor units and rounded half away from zero: 1234 USD cents at 0.925 EUR/USD → 1141 EUR cents;
 * 1000 USD cents at 150 JPY/USD → 1500 yen. For comparing prices only: nothing is charged converted.
 */
export function convertMinor(minor: number, from: string, to: string, rate: number): number {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Not an amount in minor units: ${minor}`);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`Not an exchange rate: ${rate}`);
  if (from.toUpperCase() === to.toUpperCase()) return minor;
  const exact = minor * rate * 10 ** (currencyDigits(to) - currencyDigits(from));
  // Products like 1234 × 0.925 land a hair off .5 in binary: round to 15 significant digits first.
  const cleaned = Number(Math.abs(exact).toPrecision(15));
  const rounded = Math.round(cleaned);
  const result = exact < 0 ? -rounded : rounded;
  if (!Number.isSafeInteger(result)) throw new RangeError("The converted amount is too large");
  return result;
}

/** Euro area members (the currency of their region is EUR). */
const EURO_REGIONS = new Set(
  "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK AD MC SM VA ME XK".split(" "),
);
const REGION_CURRENCY: Record<string, string> = {
  US: "USD",
  GB: "GBP",
  CH: "CHF",
  LI: "CHF",
  JP: "JPY",
  CA: "CAD",
  AU: "AUD",
  NZ: "NZD",
  SE: "SEK",
  NO: "NOK",
  DK: "DKK",
  PL: "PLN",
  CZ: "CZK",
  HU: "HUF",
  RO: "RON",
  BG: "BGN",
  IS: "ISK",
  KR: "KRW",
  CN: "CNY",
  IN: "INR",
  BR: "BRL",
  MX: "MXN",
  SG: "SGD",
  HK: "HKD",
  ZA: "ZAR",
  TR: "TRY",
  IL: "ILS",
};

/**
 * The currency a visitor most likely thinks in, from their locale's region (a bare language takes its
 * likely region: "de" → DE → EUR, "en" → US → USD). Null when the region's currency is not known here.
 */
export function currencyForLocale(locale: string | null | undefined): string | null {
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale || "en").maximize().region;
  } catch {
    return null;
  }
  if (!region) return null;
  if (EURO_REGIONS.has(region)) return "EUR";
  return REGION_CURRENCY[region] ?? null;
}
