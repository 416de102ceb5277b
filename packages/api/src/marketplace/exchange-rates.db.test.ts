import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createFixedExchangeRates, FIXED_RATES, ProviderError } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateShopProfile, updateShopProfileInput } from "../shop/profile.ts";
import { listedShop, marketplaceServices, T0, uploadTestBox } from "../testing/marketplace-fixtures.ts";
import {
  convertForComparison,
  exchangeRatesJob,
  ratesForComparison,
  refreshExchangeRates,
  storedRates,
} from "./exchange-rates.ts";
import { quoteOptions } from "./quotes.ts";

// Issue 20: prices in several currencies are compared in the customer's, at stored reference rates that
// a background job refreshes; the charge stays in the shop's currency.
let handle: DbHandle;
let usd: Awaited<ReturnType<typeof listedShop>>;
let eur: Awaited<ReturnType<typeof listedShop>>;
let uploadId: string;
const owner = { userId: null, uploadSessionId: "anon-session-rates-0000001" };

beforeAll(async () => {
  handle = await createTestDb();
  // Same rules in both shops: only the currency differs, so only the rates decide the order.
  usd = await listedShop(handle.db, "Alpha Dollars", "alpha-dollars");
  eur = await listedShop(handle.db, "Beta Euros", "beta-euros");
  await updateShopProfile(handle.db, eur.actor, updateShopProfileInput.parse({ currency: "EUR" }), T0);
  const env = marketplaceServices(handle.db);
  const upload = await uploadTestBox(handle.db, env.services.storage, owner, "part.stl", [30, 20, 10]);
  uploadId = upload.id;
});
afterAll(() => handle.close());

const later = new Date(T0.getTime() + 86_400_000);

describe("exchange rates", () => {
  it("stores the provider's rates with their day and replaces them on the next refresh", async () => {
    expect(await storedRates(handle.db)).toEqual(new Map());
    // Before any refresh, the first comparison fetches once (the stand-in's dated table).
    const first = await ratesForComparison(handle.db, createFixedExchangeRates(), T0);
    expect(first.get("USD")).toEqual({ perEur: FIXED_RATES.perEur.USD, rateDate: FIXED_RATES.date });
    await exchangeRatesJob.run(
      {},
      {
        db: handle.db,
        services: {
          exchangeRates: createFixedExchangeRates({
            date: "2026-12-05",
            source: "test",
            perEur: { EUR: 1, USD: 1.1, bad: 3, GBP: Number.NaN },
          }),
        },
        clock: { now: () => later },
      },
    );
    const rates = await storedRates(handle.db);
    expect(rates.get("USD")).toEqual({ perEur: 1.1, rateDate: "2026-12-05" });
    expect(rates.has("BAD")).toBe(false);
    // A currency the new answer lacks keeps its older rate and says so by its date.
    expect(rates.get("GBP")).toEqual({ perEur: FIXED_RATES.perEur.GBP, rateDate: FIXED_RATES.date });
    // A provider that fails leaves the stored rates alone.
    const down = {
      latest: async () => {
        throw new ProviderError("exchange-rates", "down");
      },
    };
    await expect(refreshExchangeRates(handle.db, down, later)).rejects.toBeInstanceOf(ProviderError);
    expect((await storedRates(handle.db)).get("USD")?.perEur).toBe(1.1);
    expect((await ratesForComparison(handle.db, down, later)).size).toBeGreaterThan(1);
  });

  it("converts through the euro in the target's digits and states the older rate's day", () => {
    const rates = new Map([
      ["EUR", { perEur: 1, rateDate: "2026-12-04" }],
      ["USD", { perEur: 1.08, rateDate: "2026-12-04" }],
      ["JPY", { perEur: 162, rateDate: "2026-12-03" }],
    ]);
    expect(convertForComparison(rates, 1234, "USD", "EUR")).toEqual({
      amountMinor: 1143, // 12.34 / 1.08 = 11.4259…
      currency: "EUR",
      rateDate: "2026-12-04",
    });
    expect(convertForComparison(rates, 1000, "USD", "JPY")).toEqual({
      amountMinor: 1500, // $10 × 162 / 1.08 = ¥1500
      currency: "JPY",
      rateDate: "2026-12-03",
    });
    expect(convertForComparison(rates, 1000, "EUR", "EUR")).toBeNull();
    expect(convertForComparison(rates, 1000, "CHF", "EUR")).toBeNull();
  });

  it("shows each foreign price in the customer's currency and sorts by the converted price", async () => {
    const table = (usdPerEur: number) =>
      new Map([
        ["EUR", { perEur: 1, rateDate: "2026-12-04" }],
        ["USD", { perEur: usdPerEur, rateDate: "2026-12-04" }],
      ]);
    // A euro is worth two dollars: the dollar shop's equal number is half the price.
    const cheapDollar = await quoteOptions(handle.db, owner, { uploadId, currency: "eur" }, table(2));
    expect(cheapDollar.map((s) => s.slug)).toEqual(["alpha-dollars", "beta-euros"]);
    expect(cheapDollar[0]?.organizationId).toBe(usd.organizationId);
    const dollarOption = cheapDollar[0]!.options[0]!;
    expect(dollarOption.converted).toEqual({
      amountMinor: Math.round(dollarOption.totalMinor / 2),
      currency: "EUR",
      rateDate: "2026-12-04",
    });
    expect(cheapDollar[1]!.options[0]!.converted).toBeNull(); // already in euros
    // A euro is worth half a dollar: now the euro shop is cheaper for the same customer.
    const cheapEuro = await quoteOptions(handle.db, owner, { uploadId, currency: "EUR" }, table(0.5));
    expect(cheapEuro.map((s) => s.slug)).toEqual(["beta-euros", "alpha-dollars"]);
    // The charge stays in the shop's currency: totals are the shop's own either way.
    expect(cheapEuro[1]!.currency).toBe("USD");
    expect(cheapEuro[1]!.options[0]!.totalMinor).toBe(dollarOption.totalMinor);
    // No customer currency: nothing converted.
    const plain = await quoteOptions(handle.db, owner, { uploadId }, table(2));
    expect(plain.flatMap((s) => s.options.map((o) => o.converted))).toEqual(
      plain.flatMap((s) => s.options.map(() => null)),
    );
    await expect(quoteOptions(handle.db, owner, { uploadId, currency: "euro" })).rejects.toThrow(
      /three letters/,
    );
  });
});
