import { describe, expect, it } from "vitest";
import {
  convertMinor,
  currencyDigits,
  currencyForLocale,
  formatMoney,
  minorToDecimal,
  moneyInputValue,
  parseMoney,
  parseRate,
  rateInputValue,
  readMoney,
} from "./money.ts";

describe("currency digits", () => {
  it("follows ISO 4217: USD and EUR 2, JPY 0, KWD 3", () => {
    expect([
      currencyDigits("USD"),
      currencyDigits("eur"),
      currencyDigits("JPY"),
      currencyDigits("KWD"),
    ]).toEqual([2, 2, 0, 3]);
  });

  it("agrees with Intl for the currencies the tests use", () => {
    for (const code of ["USD", "EUR", "JPY", "KWD", "BHD", "KRW", "CLP"]) {
      const intl = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions();
      expect(currencyDigits(code), code).toBe(intl.maximumFractionDigits);
    }
  });
});

describe("minorToDecimal", () => {
  it("writes the currency's digits exactly", () => {
    expect(minorToDecimal(1250, "USD")).toBe("12.50");
    expect(minorToDecimal(5, "EUR")).toBe("0.05");
    expect(minorToDecimal(-5, "EUR")).toBe("-0.05");
    expect(minorToDecimal(1200, "JPY")).toBe("1200");
    expect(minorToDecimal(1500, "KWD")).toBe("1.500");
    expect(minorToDecimal(7, "KWD")).toBe("0.007");
    expect(minorToDecimal(9_007_199_254_740_991, "USD")).toBe("90071992547409.91");
  });

  it("refuses what is not a whole number of minor units", () => {
    expect(() => minorToDecimal(1.5, "USD")).toThrow(RangeError);
  });
});

describe("formatMoney", () => {
  it("formats in the currency's digits and the locale", () => {
    expect(formatMoney(1250, "USD", "en-US")).toBe("$12.50");
    expect(formatMoney(123450, "EUR", "de-DE")).toBe("1.234,50\u00a0€");
    expect(formatMoney(1200, "JPY", "en-US")).toBe("¥1,200");
    expect(formatMoney(1200, "JPY", "ja-JP")).toBe("￥1,200");
    expect(formatMoney(1500, "KWD", "en-US")).toBe("KWD\u00a01.500");
    expect(formatMoney(1234567, "KWD", "en-US")).toBe("KWD\u00a01,234.567");
  });

  it("is exact where a float division is not", () => {
    // 0.1 + 0.2 style errors cannot appear: the digits go to Intl as text.
    expect(formatMoney(9_007_199_254_740_991, "USD", "en-US")).toBe("$90,071,992,547,409.91");
    expect(formatMoney(-1, "KWD", "en-US")).toBe("-KWD\u00a00.001");
  });

  it("falls back to English for an unknown locale", () => {
    expect(formatMoney(1250, "USD", "not a locale")).toBe("$12.50");
    expect(formatMoney(1250, "USD")).toBe("$12.50");
  });
});

describe("parseMoney", () => {
  const cases: [string, string, string, number][] = [
    ["12.50", "USD", "en-US", 1250],
    ["12.5", "USD", "en-US", 1250],
    ["12", "USD", "en-US", 1200],
    ["1,234.5", "USD", "en-US", 123450],
    ["$1,234,567.89", "USD", "en-US", 123456789],
    ["0.07", "USD", "en-US", 7],
    [".5", "USD", "en-US", 50],
    ["US$ -1.25", "USD", "en-US", -125],
    ["-3", "USD", "en-US", -300],
    ["1.234,50", "EUR", "de-DE", 123450],
    ["1.234,50 €", "EUR", "de-DE", 123450],
    ["12,5", "EUR", "de-DE", 1250],
    ["12.50", "EUR", "de-DE", 1250],
    ["1 234,50", "EUR", "fr-FR", 123450],
    ["1\u202f234,50\u00a0€", "EUR", "fr-FR", 123450],
    ["1'234.50", "EUR", "de-CH", 123450],
    ["¥1200", "JPY", "en-US", 1200],
    ["￥１２００", "JPY", "ja-JP", 1200],
    ["1,200", "JPY", "en-US", 1200],
    ["1.200", "JPY", "de-DE", 1200],
    ["1200.00", "JPY", "en-US", 1200],
    ["1.5", "KWD", "en-US", 1500],
    ["1.500", "KWD", "en-US", 1500],
    ["1,500", "KWD", "en-US", 1_500_000],
    ["KWD 0.125", "KWD", "en-US", 125],
    ["١٫٥٠٠", "KWD", "ar-KW", 1500],
    ["1,5", "KWD", "de-DE", 1500],
    ["90071992547409.91", "USD", "en-US", 9_007_199_254_740_991],
  ];
  for (const [text, currency, locale, minor] of cases) {
    it(`${JSON.stringify(text)} ${currency} in ${locale} → ${minor}`, () => {
      expect(readMoney(text, currency, locale)).toEqual({ ok: true, minor });
      expect(parseMoney(text, currency, locale)).toBe(minor);
    });
  }

  it("refuses more decimals than the currency has, and what is not an amount", () => {
    expect(readMoney("1200.5", "JPY", "en-US")).toEqual({ ok: false, error: "JPY amounts have no decimals" });
    expect(readMoney("1.2345", "KWD", "en-US")).toEqual({
      ok: false,
      error: "KWD amounts have at most 3 decimals",
    });
    expect(readMoney("12.505", "USD", "en-US")).toMatchObject({ ok: false });
    for (const bad of ["", " ", "abc", "12a50", "1,23,4", "1.2.3,4.5", "12.", "1e3", "0x10", "--5"]) {
      expect(readMoney(bad, "USD", "en-US").ok, bad).toBe(false);
      expect(parseMoney(bad, "USD", "en-US"), bad).toBeNaN();
    }
    expect(readMoney("90071992547409.92", "USD", "en-US")).toEqual({
      ok: false,
      error: "The amount is too large",
    });
  });

  it("reads back what moneyInputValue writes, in every locale and currency", () => {
    for (const locale of ["en-US", "en-DE", "en-NZ", "de-DE", "fr-FR", "de-CH", "ja-JP", "ar-KW", "hi-IN"]) {
      for (const [minor, currency] of [
        [123456, "USD"],
        [123456, "EUR"],
        [1200, "JPY"],
        [1234567, "KWD"],
        [1, "KWD"],
        [0, "JPY"],
      ] as const) {
        const text = moneyInputValue(minor, currency, locale);
        expect(parseMoney(text, currency, locale), `${text} ${currency} ${locale}`).toBe(minor);
        expect(parseMoney(formatMoney(minor, currency, locale), currency, locale), locale).toBe(minor);
      }
    }
    expect(moneyInputValue(123450, "EUR", "de-DE")).toBe("1234,50");
    expect(moneyInputValue(1200, "JPY", "en-US")).toBe("1200");
  });
});

describe("rates (per gram, per hour)", () => {
  it("carry up to four decimals past the currency's, in and out", () => {
    expect(parseRate("0.025", "USD", "en-US")).toBe(2.5);
    expect(parseRate("0,0255", "EUR", "de-DE")).toBe(2.55);
    expect(parseRate("3.5", "JPY", "en-US")).toBe(3.5);
    expect(parseRate("0.0015", "KWD", "en-US")).toBe(1.5);
    expect(parseRate("", "USD", "en-US")).toBeNull();
    expect(parseRate("0.0000001", "USD", "en-US")).toBeNaN();
    expect(rateInputValue(2.5, "USD", "en-US")).toBe("0.025");
    expect(rateInputValue(2.55, "EUR", "de-DE")).toBe("0,0255");
    expect(rateInputValue(3.5, "JPY", "en-US")).toBe("3.5");
    expect(rateInputValue(1200, "JPY", "en-US")).toBe("1200");
    expect(rateInputValue(1500, "KWD", "en-US")).toBe("1.5");
    expect(rateInputValue(null, "KWD", "en-US")).toBe("");
  });
});

describe("conversion for comparison", () => {
  it("converts into the target currency's own digits, rounding half away from zero", () => {
    expect(convertMinor(1234, "USD", "EUR", 0.925)).toBe(1141); // 11.4145 → 11.41
    expect(convertMinor(1000, "USD", "JPY", 150)).toBe(1500); // 10.00 USD → ¥1500
    expect(convertMinor(1500, "JPY", "USD", 1 / 150)).toBe(1000);
    expect(convertMinor(1000, "EUR", "KWD", 0.33)).toBe(3300); // 3.300 KWD
    expect(convertMinor(100, "USD", "EUR", 0.125)).toBe(13); // 12.5 cents → 13
    expect(convertMinor(-100, "USD", "EUR", 0.125)).toBe(-13);
    expect(convertMinor(105, "USD", "EUR", 0.1)).toBe(11); // 10.5 (10.500000000000002 in binary)
    expect(convertMinor(777, "eur", "EUR", 3)).toBe(777);
  });

  it("refuses what is not an amount or a rate", () => {
    expect(() => convertMinor(1.5, "USD", "EUR", 1)).toThrow(RangeError);
    expect(() => convertMinor(100, "USD", "EUR", 0)).toThrow(RangeError);
    expect(() => convertMinor(100, "USD", "EUR", Number.NaN)).toThrow(RangeError);
  });

  it("takes the visitor's currency from the locale's region", () => {
    expect(currencyForLocale("de-DE")).toBe("EUR");
    expect(currencyForLocale("de")).toBe("EUR");
    expect(currencyForLocale("en-US")).toBe("USD");
    expect(currencyForLocale("en-GB")).toBe("GBP");
    expect(currencyForLocale("fr-CH")).toBe("CHF");
    expect(currencyForLocale("ja")).toBe("JPY");
    expect(currencyForLocale("en-AQ")).toBeNull();
    expect(currencyForLocale("not a locale!")).toBeNull();
  });
});
