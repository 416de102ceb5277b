import { describe, expect, it } from "vitest";
import { allocate, computeTotals, mulDiv, type TotalsLine } from "./totals.ts";

const line = (over: Partial<TotalsLine> = {}): TotalsLine => ({
  quantity: 1,
  unitPriceMinor: 1000,
  discountBps: 0,
  taxRateBps: 0,
  taxInclusive: false,
  taxName: "",
  ...over,
});
const none = { discount: null, shippingMinor: 0, shippingTaxRateBps: 0, deposit: null };

describe("mulDiv and allocate", () => {
  it("rounds half up and stays exact beyond 2^53", () => {
    expect(mulDiv(5, 1, 2)).toBe(3);
    expect(mulDiv(4, 1, 3)).toBe(1);
    expect(mulDiv(2_000_000_000, 2_000_000_000, 4_000_000_000)).toBe(1_000_000_000);
  });
  it("splits exactly, by weight, remainders to the largest fractions", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [0, 5, 15])).toEqual([0, 3, 7]);
    expect(allocate(0, [3, 4])).toEqual([0, 0]);
    expect(allocate(7, [0, 0])).toEqual([0, 0]);
    for (let i = 0; i < 200; i++) {
      const weights = Array.from({ length: 1 + (i % 7) }, (_, k) => (i * 37 + k * 101) % 997);
      const amount = (i * 7919) % 10_000;
      const parts = allocate(amount, weights);
      const sum = weights.reduce((s, w) => s + w, 0);
      expect(parts.reduce((s, p) => s + p, 0)).toBe(sum === 0 ? 0 : amount);
      parts.forEach((p, k) => {
        const exact = sum === 0 ? 0 : (amount * (weights[k] ?? 0)) / sum;
        expect(Math.abs(p - exact)).toBeLessThan(1);
      });
    }
  });
});

describe("computeTotals", () => {
  it("adds exclusive tax per rate after discounts, plus shipping and its tax", () => {
    const t = computeTotals({
      lines: [
        line({ quantity: 3, unitPriceMinor: 1999, taxRateBps: 2000, taxName: "VAT 20 %" }),
        line({ quantity: 1, unitPriceMinor: 5000, discountBps: 1000, taxRateBps: 2000, taxName: "VAT 20 %" }),
        line({ quantity: 2, unitPriceMinor: 250, taxRateBps: 500, taxName: "Reduced" }),
      ],
      discount: { kind: "amount", minor: 1000 },
      shippingMinor: 700,
      shippingTaxRateBps: 2000,
      deposit: { kind: "percent", bps: 5000 },
    });
    // 5997 + 4500 + 500 = 10997; the 1000 discount spread 545/409/46.
    expect(t.subtotalMinor).toBe(10_997);
    expect(t.discountMinor).toBe(1000);
    expect(t.taxes).toEqual([
      { name: "VAT 20 %", rateBps: 2000, inclusive: false, baseMinor: 5452 + 4091 + 700, taxMinor: 2049 },
      { name: "Reduced", rateBps: 500, inclusive: false, baseMinor: 454, taxMinor: 23 },
    ]);
    expect(t.taxAddedMinor).toBe(2072);
    expect(t.totalMinor).toBe(10_997 - 1000 + 700 + 2072);
    expect(t.depositMinor).toBe(Math.round(t.totalMinor / 2));
  });

  it("shows inclusive tax without adding it", () => {
    const t = computeTotals({
      ...none,
      lines: [line({ unitPriceMinor: 1200, taxRateBps: 2000, taxInclusive: true })],
    });
    expect(t.totalMinor).toBe(1200);
    expect(t.taxIncludedMinor).toBe(200);
    expect(t.taxAddedMinor).toBe(0);
    expect(t.taxes[0]?.name).toBe("Tax 20 %");
  });

  it("caps discounts and deposits at what there is", () => {
    const t = computeTotals({
      ...none,
      lines: [line({ unitPriceMinor: 500 })],
      discount: { kind: "amount", minor: 9999 },
      deposit: { kind: "amount", minor: 50 },
    });
    expect(t.discountMinor).toBe(500);
    expect(t.totalMinor).toBe(0);
    expect(t.depositMinor).toBe(0);
    expect(
      computeTotals({ ...none, lines: [line()], deposit: { kind: "amount", minor: 300 } }).depositMinor,
    ).toBe(300);
  });

  it("holds its invariants over random documents", () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      const lines = Array.from({ length: 1 + rnd(6) }, () =>
        line({
          quantity: 1 + rnd(50),
          unitPriceMinor: rnd(100_000),
          discountBps: rnd(3) === 0 ? rnd(10_001) : 0,
          taxRateBps: [0, 500, 700, 1900, 2000][rnd(5)] ?? 0,
          taxInclusive: rnd(2) === 0,
        }),
      );
      const t = computeTotals({
        lines,
        discount:
          rnd(2) === 0 ? { kind: "percent", bps: rnd(10_001) } : { kind: "amount", minor: rnd(200_000) },
        shippingMinor: rnd(3000),
        shippingTaxRateBps: rnd(2) ? 2000 : 0,
        deposit: { kind: "percent", bps: rnd(10_001) },
      });
      const base = t.taxes.reduce((s, g) => s + g.baseMinor, 0);
      expect(Number.isInteger(t.totalMinor)).toBe(true);
      expect(t.totalMinor).toBe(t.subtotalMinor - t.discountMinor + t.shippingMinor + t.taxAddedMinor);
      expect(t.discountMinor).toBeLessThanOrEqual(t.subtotalMinor);
      expect(base).toBeLessThanOrEqual(t.subtotalMinor - t.discountMinor + t.shippingMinor);
      expect(t.taxIncludedMinor).toBeLessThanOrEqual(t.subtotalMinor);
      expect(t.depositMinor).toBeGreaterThanOrEqual(0);
      expect(t.depositMinor).toBeLessThanOrEqual(t.totalMinor);
    }
  });
});
