import type { DbHandle } from "@ktizo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateShopProfile, updateShopProfileInput } from "../shop/profile.ts";
import { updateWidgetSettings, widgetSettingsSchema } from "../shop/widget.ts";
import {
  analyze,
  checkoutTestCart,
  customerOf,
  type listedShop,
  type marketplaceServices,
  marketplaceWorld,
  T0,
  testCustomer,
  uploadTestBox,
  usAddress,
} from "../testing/marketplace-fixtures.ts";
import { boxStl } from "../testing/shop-fixtures.ts";
import { cancelOrder } from "../workflows/order-fulfilment.ts";
import { completeTestPayment } from "../workflows/test-payment.ts";
import { addToCart, getCart } from "./cart.ts";
import { embedCheckout, embedQuote, storeEmbedUpload } from "./embed.ts";
import { createQuote } from "./quotes.ts";

// Issue 18, req. 3 (one currency per order) and issue 19, req. 4 (one checkout, one test payment):
// cart and widget orders go through placeOrder, so both refuse quotes in another currency.

let handle: DbHandle;
let env: ReturnType<typeof marketplaceServices>;
let shop: Awaited<ReturnType<typeof listedShop>>;
const guest = "currency-guest-session-00000001";

beforeAll(async () => {
  ({ handle, env, shop } = await marketplaceWorld("Currency Prints", "currency-prints"));
  await updateWidgetSettings(handle.db, shop.actor, widgetSettingsSchema.parse({ enabled: true }), T0);
});
afterAll(() => handle.close());

async function cartQuote(name: string) {
  const actor = await testCustomer(handle.db, name);
  const customer = customerOf(actor);
  const upload = await uploadTestBox(
    handle.db,
    env.services.storage,
    { userId: actor.userId },
    `${name}.stl`,
    [15, 15, 15],
  );
  const quote = () =>
    createQuote(
      handle.db,
      { userId: actor.userId },
      { uploadId: upload.id, shopSlug: shop.slug, materialId: shop.plaId, quantity: 1 },
      T0,
    );
  return { customer, quote };
}

const order = (customer: ReturnType<typeof customerOf>) =>
  checkoutTestCart(handle.db, env.payments, customer, shop.organizationId);

const setCurrency = (currency: string) =>
  updateShopProfile(handle.db, shop.actor, updateShopProfileInput.parse({ currency }), T0);

const orderCount = async () => (await handle.db.selectFrom("marketplaceOrder").select("id").execute()).length;

describe("one currency per order", () => {
  it("a shop's currency change expires its open quotes: the cart refuses them with a message", async () => {
    const { customer, quote } = await cartQuote("Usd Buyer");
    const first = await quote();
    const second = await quote();
    await addToCart(handle.db, customer, first.id);
    expect(first.currency).toBe("USD");
    await setCurrency("EUR");
    const stored = await handle.db
      .selectFrom("marketplaceQuote")
      .select(["id", "expiresAt", "createdAt"])
      .where("id", "in", [first.id, second.id])
      .execute();
    expect(stored.every((q) => q.expiresAt.getTime() === q.createdAt.getTime())).toBe(true);
    const [cart] = await getCart(handle.db, customer, T0);
    expect(cart).toMatchObject({ currency: "EUR", hasExpired: true });
    const before = await orderCount();
    await expect(order(customer)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/quoted in USD, but Currency Prints now charges in EUR/),
    });
    await expect(addToCart(handle.db, customer, second.id)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/This quote is in USD, but Currency Prints now charges in EUR/),
    });
    expect(await orderCount()).toBe(before);
    expect((await getCart(handle.db, customer, T0))[0]?.items.map((q) => q.id)).toEqual([first.id]);

    // A new quote is in the shop's new currency; the order and its payment are in it alone.
    const fresh = await quote();
    expect(fresh.currency).toBe("EUR");
    await handle.db.deleteFrom("cartItem").where("quoteId", "=", first.id).execute();
    await addToCart(handle.db, customer, fresh.id);
    const { orderId } = await order(customer);
    const row = await handle.db
      .selectFrom("marketplaceOrder")
      .select(["currency", "totalMinor", "checkoutSessionId"])
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ currency: "EUR", totalMinor: fresh.totalMinor + 500 });
    expect(await env.payments.getTestSession(row.checkoutSessionId ?? "")).toMatchObject({
      currency: "eur",
      amountTotalMinor: row.totalMinor,
    });
    await setCurrency("USD");
  });

  it("never sums quotes in two currencies into one order, even an unexpired one", async () => {
    const { customer, quote } = await cartQuote("Mixed Buyer");
    const usd = await quote();
    const other = await quote();
    await addToCart(handle.db, customer, usd.id);
    await addToCart(handle.db, customer, other.id);
    // A quote stored in another currency (before the trigger existed, or written by hand).
    await handle.db
      .updateTable("marketplaceQuote")
      .set({ currency: "GBP" })
      .where("id", "=", other.id)
      .execute();
    expect((await getCart(handle.db, customer, T0))[0]).toMatchObject({ currency: "USD", hasExpired: true });
    const before = await orderCount();
    await expect(order(customer)).rejects.toThrow(/quoted in GBP, but Currency Prints now charges in USD/);
    expect(await orderCount()).toBe(before);
  });

  it("the widget refuses a quote from before the shop's currency change", async () => {
    const upload = await storeEmbedUpload(
      handle.db,
      { storage: env.services.storage, analyze },
      guest,
      { fileName: "widget.stl", bytes: new Uint8Array(boxStl(12, 12, 12)) },
      { maxBytes: 5 * 1024 * 1024, now: T0 },
    );
    const q = await embedQuote(
      handle.db,
      { slug: shop.slug, uploadSessionId: guest, uploadId: upload.id, materialId: shop.plaId, quantity: 1 },
      "203.0.113.50",
      T0,
    );
    await setCurrency("EUR");
    const before = await orderCount();
    await expect(
      embedCheckout(
        handle.db,
        env.payments,
        {
          slug: shop.slug,
          uploadSessionId: guest,
          quoteId: q.id,
          email: "guest@example.test",
          address: usAddress,
          shippingOption: "Standard",
        },
        "203.0.113.50",
        "http://localhost:3000/",
        T0,
      ),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/now charges in EUR/),
    });
    expect(await orderCount()).toBe(before);
    await setCurrency("USD");
  });
});

describe("one test-payment completion", () => {
  it("pays an open session through the webhook path once; an expired one stays unpaid", async () => {
    const { customer, quote } = await cartQuote("Test Payer");
    await addToCart(handle.db, customer, (await quote()).id);
    const paid = await order(customer);
    const sessionOf = async (orderId: string) =>
      await handle.db
        .selectFrom("marketplaceOrder")
        .select(["checkoutSessionId", "status", "jobId"])
        .where("id", "=", orderId)
        .executeTakeFirstOrThrow();
    const a = await sessionOf(paid.orderId);
    expect(await completeTestPayment(handle.db, env.services, a.checkoutSessionId ?? "", T0)).toEqual({
      orderId: paid.orderId,
      status: "complete",
    });
    expect(await sessionOf(paid.orderId)).toMatchObject({ status: "paid", jobId: expect.any(String) });
    expect(await completeTestPayment(handle.db, env.services, a.checkoutSessionId ?? "", T0)).toMatchObject({
      status: "complete",
    });

    await addToCart(handle.db, customer, (await quote()).id);
    const cancelled = await order(customer);
    await cancelOrder(handle.db, env.services, customer, cancelled.orderId, T0);
    const b = await sessionOf(cancelled.orderId);
    expect(await completeTestPayment(handle.db, env.services, b.checkoutSessionId ?? "", T0)).toEqual({
      orderId: cancelled.orderId,
      status: "expired",
    });
    expect(await sessionOf(cancelled.orderId)).toMatchObject({ status: "cancelled", jobId: null });
    await expect(completeTestPayment(handle.db, env.services, "cs_test_unknown", T0)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
