import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJob } from "../job/job-detail.ts";
import {
  customerOf,
  listedShop,
  marketplaceServices,
  placeTestOrder,
  T0,
  testCustomer,
  uploadTestBox,
} from "../testing/marketplace-fixtures.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { completeTestPayment } from "../workflows/test-payment.ts";
import { addToCart, getCart } from "./cart.ts";
import { getMyOrder } from "./customer-orders.ts";
import { createQuote, quoteOptions, readQuotes } from "./quotes.ts";
import { reorder } from "./reorder.ts";

// Issue 20: a model exported in inches is quoted at the customer's unit and scale, and that choice travels
// with the quote into the cart, the order line and the shop's job item.
let handle: DbHandle;
let shop: Awaited<ReturnType<typeof listedShop>>;
let env: ReturnType<typeof marketplaceServices>;
let uploadId: string;
let buyer: Awaited<ReturnType<typeof testCustomer>>;

beforeAll(async () => {
  handle = await createTestDb();
  env = marketplaceServices(handle.db);
  shop = await listedShop(handle.db, "Scale Prints", "scale-prints");
  buyer = await testCustomer(handle.db, "Ines Inch");
  // 2 × 3 × 0.5: a part drawn in inches, read as millimetres.
  const upload = await uploadTestBox(
    handle.db,
    env.services.storage,
    { userId: buyer.userId },
    "bracket-inches.stl",
    [2, 3, 0.5],
  );
  uploadId = upload.id;
});
afterAll(() => handle.close());

const owner = () => ({ userId: buyer.userId });
const pla = async (input: { unit?: "mm" | "cm" | "m" | "in"; scalePercent?: number } = {}) => {
  const shops = await quoteOptions(handle.db, owner(), { uploadId, ...input });
  return shops.find((s) => s.slug === shop.slug)?.options.find((o) => o.materialId === shop.plaId);
};

describe("units and scale", () => {
  it("prices the model at the chosen unit: more material, a higher price, the size checks on the scaled size", async () => {
    const raw = await pla();
    const inches = await pla({ unit: "in" });
    expect(raw && inches).toBeTruthy();
    expect(raw?.printability.issues.map((i) => i.code)).toContain("TOO_SMALL");
    expect(inches?.printability.issues.map((i) => i.code)).not.toContain("TOO_SMALL");
    expect(inches!.totalMinor).toBeGreaterThan(raw!.totalMinor);
    // A scaled model is not the file the slicer sliced: its price says it is estimated, and why.
    expect(inches).toMatchObject({ basis: "estimated", sliceNote: expect.stringMatching(/file's own size/) });
    // 250 % of inches (127 × 190.5 × 31.75 mm) still fits the 250 × 210 × 220 mm printer.
    expect(await pla({ unit: "in", scalePercent: 250 })).toBeTruthy();
    // 400 % of inches is 304.8 mm across: no printer of the shop fits it in any orientation.
    expect(await pla({ unit: "in", scalePercent: 400 })).toBeUndefined();
  });

  it("refuses scales out of bounds and models out of limits, beside the scale field", async () => {
    await expect(quoteOptions(handle.db, owner(), { uploadId, scalePercent: 0.5 })).rejects.toThrow(
      /between 1% and 10,000%/,
    );
    await expect(quoteOptions(handle.db, owner(), { uploadId, scalePercent: 20_000 })).rejects.toThrow();
    // 3 mm × 100 (m) × 10 = 3 km.
    await expect(
      quoteOptions(handle.db, owner(), { uploadId, unit: "m", scalePercent: 1000 }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { scalePercent: expect.stringMatching(/at most 2,000 mm/) },
    });
    await expect(
      createQuote(
        handle.db,
        owner(),
        { uploadId, shopSlug: shop.slug, materialId: shop.plaId, quantity: 1, scalePercent: 5 },
        T0,
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", fieldErrors: { scalePercent: expect.any(String) } });
    expect(await handle.db.selectFrom("marketplaceQuote").select("id").execute()).toEqual([]);
  });

  it("stores the unit and scale with the quote, the cart, the order line and the shop's job item", async () => {
    const inches = await pla({ unit: "in" });
    const order = await placeTestOrder(handle.db, env, customerOf(buyer), shop, uploadId, { unit: "in" });
    expect(order.totalMinor).toBe(inches!.totalMinor + 500); // the price shown, plus Standard shipping
    const line = await handle.db
      .selectFrom("orderLine")
      .select(["scaleUnit", "scalePercent", "quoteId"])
      .where("orderId", "=", order.id)
      .executeTakeFirstOrThrow();
    expect(line).toMatchObject({ scaleUnit: "in", scalePercent: 100 });
    const quote = await handle.db
      .selectFrom("marketplaceQuote")
      .select("inputs")
      .where("id", "=", line.quoteId)
      .executeTakeFirstOrThrow();
    expect(quote.inputs).toMatchObject({ scale: { unit: "in", percent: 100 } });
    expect((quote.inputs.bbox as { y: number }).y).toBeCloseTo(76.2, 6);

    const view = await getMyOrder(handle.db, notifying(env.services), customerOf(buyer), order.id, T0);
    expect(view.lines[0]).toMatchObject({ scale: { unit: "in", percent: 100 } });

    const session = order.checkoutSessionId ?? "";
    await completeTestPayment(handle.db, env.services, session, T0);
    const paid = await handle.db
      .selectFrom("marketplaceOrder")
      .select("jobId")
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    const job = await getJob(handle.db, shop.organizationId, paid.jobId ?? "", T0);
    expect(job.items[0]?.scale).toEqual({ unit: "in", percent: 100 });
    expect(job.items[0]?.sizeMm?.x).toBeCloseTo(50.8, 1);

    // Ordering again quotes the same size again.
    const again = await reorder(handle.db, customerOf(buyer), order.id, T0);
    const [requoted] = await readQuotes(handle.db, again.quoteIds, T0);
    expect(requoted).toMatchObject({ scale: { unit: "in", percent: 100 }, totalMinor: inches!.totalMinor });
  });

  it("keeps a scaled quote in the cart with its scale and size", async () => {
    const q = await createQuote(
      handle.db,
      owner(),
      { uploadId, shopSlug: shop.slug, materialId: shop.plaId, quantity: 2, unit: "in", scalePercent: 50 },
      T0,
    );
    expect(q.scale).toEqual({ unit: "in", percent: 50 });
    expect(q.sizeMm?.x).toBeCloseTo(25.4, 6);
    await addToCart(handle.db, customerOf(buyer), q.id);
    const cart = await getCart(handle.db, customerOf(buyer), T0);
    const item = cart.flatMap((s) => s.items).find((i) => i.id === q.id);
    expect(item).toMatchObject({ scale: { unit: "in", percent: 50 } });
  });
});
