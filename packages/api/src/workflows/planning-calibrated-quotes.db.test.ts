import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateCalibration } from "../shop/calibration.ts";
import {
  buyerWithUpload,
  listedShop,
  marketplaceServices,
  placeTestOrder,
  T0,
} from "../testing/marketplace-fixtures.ts";
import { printedJob, walkInCustomer } from "../testing/print-history.ts";
import { proposePlan } from "./planning.ts";
import { completeTestPayment } from "./test-payment.ts";

// Issue 15: print times are corrected by the shop's calibration once. A marketplace quote made while
// calibration was on already carries the correction; the job made from it is planned with those minutes.
let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const HOUR = 3_600_000;

describe("a job quoted with calibration on", () => {
  it("is planned with its quoted minutes, not corrected a second time", async () => {
    const db = handle.db;
    const env = marketplaceServices(db);
    const shop = await listedShop(db, "Calibrated Market", "calibrated-market");
    const customerId = await walkInCustomer(db, shop.organizationId);
    // Five prints on the printer in PLA took 1.5 times their estimate; the shop switches calibration on.
    for (let i = 0; i < 5; i++) {
      await printedJob(db, {
        organizationId: shop.organizationId,
        customerId,
        number: 7001 + i,
        printerId: shop.printerId,
        materialId: shop.plaId,
        estimateMinutes: 60,
        printingAt: new Date(T0.getTime() - (200 - i * 5) * HOUR),
        actualMinutes: 90,
      });
    }
    await updateCalibration(db, shop.actor, { enabled: true }, T0);

    const { buyer, upload } = await buyerWithUpload(db, env, "Calla Brate", "block.stl", [40, 40, 40]);
    const order = await placeTestOrder(db, env, buyer, shop, upload.id);
    await completeTestPayment(db, env.services, order.checkoutSessionId ?? "", T0);
    const { jobId } = await db
      .selectFrom("marketplaceOrder")
      .select("jobId")
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    const quote = await db
      .selectFrom("orderLine as l")
      .innerJoin("marketplaceQuote as q", "q.id", "l.quoteId")
      .select(["q.inputs"])
      .where("l.orderId", "=", order.id)
      .executeTakeFirstOrThrow();
    expect(quote.inputs).toMatchObject({ calibrated: true, basis: "estimated" });
    const items = await db
      .selectFrom("jobItem")
      .select(["minutesPerUnit", "quantity"])
      .where("jobId", "=", jobId!)
      .execute();
    const quoted = items.reduce((sum, i) => sum + i.minutesPerUnit * i.quantity, 0);
    expect(quoted).toBeGreaterThan(0);

    const plan = await proposePlan(db, shop.organizationId, {}, T0);
    const planned = plan.assignments.find((a) => a.jobId === jobId);
    expect(planned).toBeDefined();
    const minutes = (planned!.endAt.getTime() - planned!.startAt.getTime()) / 60_000;
    // Corrected again it would be about 1.5 times longer.
    expect(minutes).toBeCloseTo(quoted, 0);
  });
});
