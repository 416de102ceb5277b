import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, testServices } from "../testing/index.ts";

let handle: DbHandle;
let shop: BillingShop;
const clock = fixedClock("2026-05-04T09:00:00Z");
beforeAll(async () => {
  handle = await createTestDb();
  shop = await billingShop(handle.db, "Ledger Shop");
});
afterAll(() => handle.close());

/** A small deterministic generator, so a failure names the seed that reproduces it. */
function generator(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s % n;
  };
}

describe("invoice balance over random sequences", () => {
  for (const seed of [7, 1234, 99_991]) {
    it(`balance = total − credits − payments + refunds after every step (seed ${seed})`, async () => {
      const api = callerFor(handle, shop.owner, { clock, services: testServices(handle.db, clock) });
      const rnd = generator(seed);
      const inv = await api.billing.invoices.issue({
        id: (await api.billing.invoices.create({ jobId: shop.jobId })).id,
      });
      const total = inv.totalMinor;
      const model = { paid: 0, refunded: 0, credited: 0, payments: [] as { id: string; left: number }[] };
      for (let step = 0; step < 25; step++) {
        const due = total - model.credited - model.paid + model.refunded;
        const op = rnd(3);
        if (op === 0) {
          const amount = 1 + rnd(Math.max(1, Math.floor(due * 1.3)));
          const attempt = api.billing.payments.record({
            invoiceId: inv.id,
            amountMinor: amount,
            method: "cash",
          });
          if (amount > due) {
            await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
          } else {
            const { id } = await attempt;
            model.paid += amount;
            model.payments.push({ id, left: amount });
          }
        } else if (op === 1 && model.payments.length > 0) {
          const p = model.payments[rnd(model.payments.length)];
          if (!p) continue;
          const amount = 1 + rnd(Math.max(1, Math.floor(p.left * 1.3)));
          const attempt = api.billing.payments.refund({
            paymentId: p.id,
            amountMinor: amount,
            reason: "Step",
          });
          if (amount > p.left) {
            await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
          } else {
            await attempt;
            p.left -= amount;
            model.refunded += amount;
          }
        } else if (op === 2) {
          const left = total - model.credited;
          const amount = 1 + rnd(Math.max(1, Math.floor(left * 0.6)));
          const attempt = api.billing.invoices.creditNote({
            invoiceId: inv.id,
            reason: "Step credit",
            lines: [{ description: "Credit", quantity: 1, unitPriceMinor: amount }],
          });
          if (amount > left) {
            await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
          } else {
            await attempt;
            model.credited += amount;
          }
        }
        const view = await api.billing.invoices.get({ id: inv.id });
        expect(view.balance).toEqual({
          paidMinor: model.paid,
          refundedMinor: model.refunded,
          creditedMinor: model.credited,
          dueMinor: total - model.credited - model.paid + model.refunded,
        });
        const listed = (await api.billing.invoices.list({ kind: "invoice" })).find((i) => i.id === inv.id);
        expect(listed?.balance.dueMinor).toBe(view.balance.dueMinor);
        expect(listed?.displayStatus).toBe(view.displayStatus);
        expect(view.displayStatus).toBe(
          view.balance.dueMinor <= 0 ? "paid" : model.paid - model.refunded > 0 ? "partly_paid" : "sent",
        );
      }
    });
  }
});
