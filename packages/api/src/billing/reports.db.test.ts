import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, testServices } from "../testing/index.ts";
import { agingBucket } from "./reports.ts";

let handle: DbHandle;
let shop: BillingShop;
const clock = fixedClock("2026-01-05T10:00:00Z");
beforeAll(async () => {
  handle = await createTestDb();
  shop = await billingShop(handle.db, "Report Shop");
});
afterAll(() => handle.close());

describe("billing reports", () => {
  it("buckets by days past due", () => {
    expect(agingBucket("2026-03-01", "2026-03-01")).toBe("current");
    expect(agingBucket("2026-03-01", "2026-03-31")).toBe("1-30");
    expect(agingBucket("2026-03-01", "2026-04-01")).toBe("31-60");
    expect(agingBucket("2026-01-01", "2026-03-31")).toBe("61-90");
    expect(agingBucket("2026-01-01", "2026-04-02")).toBe("90+");
  });

  it("ages open balances, sums revenue per month and exports for a bookkeeper", async () => {
    const api = callerFor(handle, shop.owner, { clock, services: testServices(handle.db, clock) });
    const issueOn = async (day: string, terms: "net_15" | "net_30") => {
      clock.set(`${day}T10:00:00Z`);
      return api.billing.invoices.issue({
        id: (await api.billing.invoices.create({ jobId: shop.jobId, terms })).id,
      });
    };
    const jan = await issueOn("2026-01-05", "net_15"); // due 01-20
    const feb = await issueOn("2026-02-10", "net_30"); // due 03-12
    const mar = await issueOn("2026-03-20", "net_30"); // due 04-19
    await api.billing.payments.record({
      invoiceId: feb.id,
      amountMinor: 3000,
      method: "check",
      reference: "#12",
    });
    await api.billing.invoices.creditNote({
      invoiceId: mar.id,
      reason: "Returned cover",
      lines: [{ description: "Cover", quantity: 1, unitPriceMinor: 3000 }],
    });
    clock.set("2026-03-31T10:00:00Z");

    const aging = await api.billing.reports.aging({});
    expect(aging.asOf).toBe("2026-03-31");
    expect(aging.currencies).toEqual([
      {
        currency: "USD",
        buckets: {
          current: { minor: 5000, count: 1 },
          "1-30": { minor: 5000, count: 1 },
          "31-60": { minor: 0, count: 0 },
          "61-90": { minor: 8000, count: 1 },
          "90+": { minor: 0, count: 0 },
        },
      },
    ]);
    expect(jan.dueDate).toBe("2026-01-20");

    expect(await api.billing.reports.revenue({ from: "2026-01-01", to: "2026-03-31" })).toEqual([
      { month: "2026-01", currency: "USD", invoicedMinor: 8000, receivedMinor: 0 },
      { month: "2026-02", currency: "USD", invoicedMinor: 8000, receivedMinor: 0 },
      { month: "2026-03", currency: "USD", invoicedMinor: 5000, receivedMinor: 3000 },
    ]);
    await expect(api.billing.reports.revenue({ from: "2026-03-01", to: "2026-01-01" })).rejects.toMatchObject(
      {
        code: "BAD_REQUEST",
      },
    );

    const plain = await api.billing.reports.exportCsv({ format: "plain" });
    const plainRows = plain.csv.trim().split("\r\n");
    expect(plainRows[0]).toBe(
      "Number,Type,Customer,Issue date,Due date,Currency,Total,Paid,Balance due,Status",
    );
    expect(plainRows).toContain("INV-2026-0002,Invoice,Bea Buyer,2026-02-10,2026-03-12,USD,80,30,50,overdue");
    expect(plainRows).toHaveLength(5);

    const qb = (await api.billing.reports.exportCsv({ format: "quickbooks" })).csv.trim().split("\r\n");
    expect(qb[0]).toBe(
      "InvoiceNo,Customer,InvoiceDate,DueDate,Terms,Memo,ItemDescription,ItemQuantity,ItemRate,ItemAmount,Taxable,TaxRate,Currency",
    );
    expect(qb).toContain("INV-2026-0001,Bea Buyer,01/05/2026,01/20/2026,Net 15,,Bracket,4,12.5,50,N,,USD");
    expect(qb).toContain(
      "CN-2026-0001,Bea Buyer,03/20/2026,03/20/2026,Due on receipt,Returned cover,Cover,-1,30,-30,N,,USD",
    );

    const xero = (await api.billing.reports.exportCsv({ format: "xero" })).csv.trim().split("\r\n");
    expect(xero[0]?.startsWith("*ContactName,EmailAddress,*InvoiceNumber")).toBe(true);
    expect(xero).toContain(
      `Bea Buyer,${shop.customerEmail},INV-2026-0003,,20/03/2026,19/04/2026,Cover,1,30,,200,Tax Exempt,USD`,
    );
  });
});
