import { describe, expect, it } from "vitest";
import { currencyDigits, minorToDecimal } from "../browser-safe/money.ts";
import { formatAmount } from "./money.ts";

describe("billing money", () => {
  it("follows the currency's digits", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("KWD")).toBe(3);
    expect(formatAmount(123456, "USD")).toBe("$1,234.56");
    expect(formatAmount(1500, "JPY")).toBe("¥1,500");
    expect(minorToDecimal(123456, "EUR")).toBe("1234.56");
    expect(minorToDecimal(-5, "USD")).toBe("-0.05");
    expect(minorToDecimal(1500, "JPY")).toBe("1500");
    expect(minorToDecimal(1, "KWD")).toBe("0.001");
  });
});
