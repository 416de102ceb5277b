import type { BillingDeposit, BillingDiscount, BillingLine, BillingTaxLine, BillingTotals } from "@ktizo/db";

/**
 * The one place estimate and invoice totals are computed (pure, integer minor units throughout).
 *
 * Order: each line's amount is quantity × unit price less its own discount; the document discount is
 * spread over the lines in proportion to their amounts (largest remainder, so the parts add up
 * exactly); tax is computed once per rate on the discounted amounts, not per line, so rounding happens
 * once per rate; exclusive tax is added, inclusive tax is only shown. Shipping is taxed at its own rate
 * (exclusive). Every division rounds half up.
 */
export type TotalsLine = Pick<
  BillingLine,
  "quantity" | "unitPriceMinor" | "discountBps" | "taxRateBps" | "taxInclusive" | "taxName"
>;

export interface TotalsInput {
  lines: readonly TotalsLine[];
  discount: BillingDiscount | null;
  shippingMinor: number;
  shippingTaxRateBps: number;
  deposit: BillingDeposit | null;
}

/** a × b / c, rounded half up, exact for any integers a, b ≥ 0 and c > 0 (BigInt inside). */
export function mulDiv(a: number, b: number, c: number): number {
  const n = BigInt(a) * BigInt(b) * 2n + BigInt(c);
  return Number(n / (2n * BigInt(c)));
}

/** Splits `amount` over `weights` in proportion, parts summing to exactly `amount` (largest remainder). */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0 || amount === 0) return weights.map(() => 0);
  const exact = weights.map((w) => {
    const whole = (BigInt(amount) * BigInt(w)) / BigInt(sum);
    const rest = (BigInt(amount) * BigInt(w)) % BigInt(sum);
    return { whole: Number(whole), rest };
  });
  let left = amount - exact.reduce((s, e) => s + e.whole, 0);
  const order = exact
    .map((_e, i) => i)
    .sort((i, j) => {
      const a = exact[i]?.rest ?? 0n;
      const b = exact[j]?.rest ?? 0n;
      return a === b ? i - j : a > b ? -1 : 1;
    });
  const parts = exact.map((e) => e.whole);
  for (const i of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

const pct = (bps: number) => `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)} %`;

/** Line amount before the document discount: quantity × unit price less the line's discount. */
export function lineAmount(line: Pick<TotalsLine, "quantity" | "unitPriceMinor" | "discountBps">): number {
  const gross = line.quantity * line.unitPriceMinor;
  return gross - mulDiv(gross, line.discountBps, 10_000);
}

export function computeTotals(input: TotalsInput): BillingTotals {
  const amounts = input.lines.map(lineAmount);
  const subtotal = amounts.reduce((s, a) => s + a, 0);
  const discount = !input.discount
    ? 0
    : input.discount.kind === "percent"
      ? mulDiv(subtotal, Math.min(input.discount.bps, 10_000), 10_000)
      : Math.min(input.discount.minor, subtotal);
  const shares = allocate(discount, amounts);

  const groups = new Map<string, BillingTaxLine>();
  const addBase = (name: string, rateBps: number, inclusive: boolean, base: number) => {
    if (rateBps === 0) return;
    const key = `${rateBps}|${inclusive}|${name}`;
    const g = groups.get(key) ?? { name, rateBps, inclusive, baseMinor: 0, taxMinor: 0 };
    g.baseMinor += base;
    groups.set(key, g);
  };
  input.lines.forEach((line, i) => {
    const base = (amounts[i] ?? 0) - (shares[i] ?? 0);
    addBase(line.taxName || `Tax ${pct(line.taxRateBps)}`, line.taxRateBps, line.taxInclusive, base);
  });
  if (input.shippingMinor > 0 && input.shippingTaxRateBps > 0) {
    const same = [...groups.values()].find((g) => !g.inclusive && g.rateBps === input.shippingTaxRateBps);
    addBase(
      same?.name ?? `Tax ${pct(input.shippingTaxRateBps)}`,
      input.shippingTaxRateBps,
      false,
      input.shippingMinor,
    );
  }
  let taxAdded = 0;
  let taxIncluded = 0;
  const taxes = [...groups.values()].map((g) => {
    if (g.inclusive) {
      const tax = g.baseMinor - mulDiv(g.baseMinor, 10_000, 10_000 + g.rateBps);
      taxIncluded += tax;
      return { ...g, taxMinor: tax };
    }
    const tax = mulDiv(g.baseMinor, g.rateBps, 10_000);
    taxAdded += tax;
    return { ...g, taxMinor: tax };
  });
  const total = subtotal - discount + input.shippingMinor + taxAdded;
  const deposit = !input.deposit
    ? 0
    : input.deposit.kind === "percent"
      ? mulDiv(total, Math.min(input.deposit.bps, 10_000), 10_000)
      : Math.min(input.deposit.minor, total);
  return {
    subtotalMinor: subtotal,
    discountMinor: discount,
    shippingMinor: input.shippingMinor,
    taxAddedMinor: taxAdded,
    taxIncludedMinor: taxIncluded,
    taxes,
    totalMinor: total,
    depositMinor: deposit,
  };
}
