import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor } from "../testing/index.ts";

let handle: DbHandle;
let shop: BillingShop;
let other: BillingShop;
beforeAll(async () => {
  handle = await createTestDb();
  shop = await billingShop(handle.db, "Estimate Shop");
  other = await billingShop(handle.db, "Other Shop");
});
afterAll(() => handle.close());

const counts = async () => ({
  estimates: (await handle.db.selectFrom("estimate").select("id").execute()).length,
  versions: (await handle.db.selectFrom("estimateVersion").select("id").execute()).length,
});

describe("estimates", () => {
  it("prices the job's items, keeps every version, and computes totals on the server", async () => {
    const api = callerFor(handle, shop.owner);
    const created = await api.billing.estimates.create({ jobId: shop.jobId, validUntil: "2026-04-01" });
    expect(created.current.version).toBe(1);
    expect(created.current.lines.map((l) => [l.description, l.quantity, l.unitPriceMinor])).toEqual([
      ["Bracket", 4, 1250],
      ["Cover", 1, 3000],
    ]);
    expect(created.current.totalMinor).toBe(8000);
    expect(created.currency).toBe("USD");

    const revised = await api.billing.estimates.revise({
      id: created.id,
      lines: [
        // A job item's price comes from the job, whatever the browser sends.
        {
          description: "Bracket",
          quantity: 4,
          unitPriceMinor: 1,
          taxRateId: shop.vatId,
          jobItemId: shop.itemIds[0] ?? null,
        },
        { description: "Rush fee", quantity: 1, unitPriceMinor: 2000, taxRateId: shop.vatId },
      ],
      discount: { kind: "percent", bps: 1000 },
      shippingMinor: 800,
      deposit: { kind: "percent", bps: 5000 },
      validUntil: "2026-04-15",
      notes: "Black PLA",
    });
    expect(revised.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(revised.current.lines[0]?.unitPriceMinor).toBe(1250);
    // 5000 + 2000 = 7000, −10 % = 6300, +800 shipping (untaxed), +20 % VAT on 6300 = 1260.
    expect(revised.current.totals).toMatchObject({
      subtotalMinor: 7000,
      discountMinor: 700,
      taxAddedMinor: 1260,
      totalMinor: 8360,
      depositMinor: 4180,
    });
    expect(revised.versions[1]?.totalMinor).toBe(8000);
    expect((await api.billing.estimates.list({ jobId: shop.jobId })).map((e) => e.totalMinor)).toEqual([
      8360,
    ]);
    await expect(api.billing.estimates.get({ id: created.id })).resolves.toMatchObject({ currentVersion: 2 });
  });

  it("refuses bad input with a field message and changes nothing", async () => {
    const api = callerFor(handle, shop.owner);
    const before = await counts();
    await expect(
      api.billing.estimates.create({
        jobId: shop.jobId,
        lines: [{ description: "X", quantity: 1, unitPriceMinor: 100, taxRateId: other.vatId }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      api.billing.estimates.create({
        jobId: shop.jobId,
        lines: [{ description: "X", quantity: 1, unitPriceMinor: 100, jobItemId: other.itemIds[0] ?? null }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      api.billing.estimates.create({ jobId: shop.jobId, lines: [{ description: "", quantity: 0 }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      api.billing.estimates.create({ jobId: shop.jobId, validUntil: "2026-02-30" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      api.billing.estimates.create({
        jobId: shop.jobId,
        lines: Array.from({ length: 3 }, () => ({
          description: "Big",
          quantity: 100_000,
          unitPriceMinor: 10_000_000,
        })),
      }),
    ).rejects.toThrow(/too large/);
    await expect(api.billing.estimates.create({ jobId: other.jobId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await counts()).toEqual(before);
  });

  it("keeps tax rates in the shop's settings (admins and owners)", async () => {
    const api = callerFor(handle, shop.owner);
    const s = await api.billing.settings.update({
      taxRates: [
        { id: shop.vatId, name: "VAT 20 %", rateBps: 2000, inclusive: false },
        { name: "VAT incl.", rateBps: 1900, inclusive: true },
      ],
      invoicePrefix: "inv",
    });
    expect(s.invoicePrefix).toBe("INV");
    expect(s.taxRates).toHaveLength(2);
    expect((await api.billing.settings.get({})).taxRates[1]?.id).toMatch(/^tax_/);
    await expect(api.billing.settings.update({ retentionYears: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
