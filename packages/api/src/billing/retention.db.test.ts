import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, testServices } from "../testing/index.ts";
import { billingRetentionJob } from "./jobs.ts";

// Issue 12, req. 8: financial records are deleted once their retention date has passed, not before.

let handle: DbHandle;
let shop: BillingShop;
let services: Services;
const clock = fixedClock("2026-05-01T04:00:00Z");
beforeAll(async () => {
  handle = await createTestDb();
  services = testServices(handle.db, clock);
  shop = await billingShop(handle.db, "Retention Shop");
});
afterAll(() => handle.close());

const line = (unitPriceMinor: number) => [{ description: "Part", quantity: 1, unitPriceMinor }];

describe("retention purge job (fixed clock)", () => {
  it("deletes invoices, credit notes and payments past their date (credit notes first), keeps the rest", async () => {
    const api = callerFor(handle, shop.owner, { clock, services });
    await api.billing.settings.update({ retentionYears: 10 });
    /** An invoice issued on `day` (kept ten years from it), paid `paid` minor units by check. */
    const issued = async (day: string, totalMinor: number, paid: number) => {
      const draft = await api.billing.invoices.create({ jobId: shop.jobId, lines: line(totalMinor) });
      const inv = await api.billing.invoices.issue({ id: draft.id, issueDate: day });
      if (paid) await api.billing.payments.record({ invoiceId: inv.id, amountMinor: paid, method: "check" });
      return inv;
    };
    const old = await issued("2014-03-01", 5000, 2000);
    const oldCredited = await issued("2014-06-01", 3000, 0);
    const recent = await issued("2020-01-10", 4000, 4000);
    // A credit note on an old invoice, made today (kept until 2036): the invoice waits for it.
    const note = await api.billing.invoices.creditNote({ invoiceId: oldCredited.id, reason: "Goodwill" });
    expect(old.retainUntil).toBe("2024-03-01");
    expect(recent.retainUntil).toBe("2030-01-10");
    // The database refuses to delete a record still within its date, whatever asks.
    await expect(handle.db.deleteFrom("invoice").where("id", "=", recent.id).execute()).rejects.toThrow(
      /kept until 2030-01-10/,
    );

    const deps = { db: handle.db, clock };
    clock.set("2023-12-31T04:00:00Z");
    await billingRetentionJob.run({}, deps);
    const ids = async () =>
      (await handle.db.selectFrom("invoice").select("id").orderBy("id").execute()).map((r) => r.id);
    expect(await ids()).toEqual([old.id, oldCredited.id, recent.id, note.id].sort());

    clock.set("2026-05-01T04:00:00Z");
    await billingRetentionJob.run({}, deps);
    await billingRetentionJob.run({}, deps);
    expect(await ids()).toEqual([oldCredited.id, recent.id, note.id].sort());
    const payments = await handle.db
      .selectFrom("billingPayment")
      .select(["invoiceId", "amountMinor"])
      .execute();
    expect(payments).toEqual([{ invoiceId: recent.id, amountMinor: 4000 }]);
    const audit = await handle.db
      .selectFrom("auditLog")
      .select(["data"])
      .where("action", "=", "billing.records.purged")
      .execute();
    expect(audit.map((a) => a.data)).toEqual([{ documents: 1, payments: 1, retainedBefore: "2026-05-01" }]);
    expect((await api.billing.invoices.get({ id: recent.id })).balance.dueMinor).toBe(0);

    // A clock running ahead of the database's own date deletes nothing early: the guard refuses the
    // batch (the credit note first) and the whole batch stays.
    clock.set("2036-06-01T04:00:00Z");
    await expect(billingRetentionJob.run({}, deps)).rejects.toThrow(/CN-2026-0001 is kept until 2036-05-01/);
    expect(await ids()).toEqual([oldCredited.id, recent.id, note.id].sort());
  });
});
