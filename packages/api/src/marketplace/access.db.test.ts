import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, type TestActor, uncoveredProcedures } from "../testing/index.ts";
import {
  analyze,
  customerOf,
  listedShop,
  marketplaceServices,
  T0,
  testCustomer,
} from "../testing/marketplace-fixtures.ts";
import { boxStl } from "../testing/shop-fixtures.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import { addToCart, checkout, saveAddress } from "./cart.ts";
import { sendMessage } from "./messages.ts";
import { createQuote } from "./quotes.ts";
import { marketplaceRouter } from "./router.ts";
import { createModelUpload } from "./uploads.ts";

/**
 * P9: order data is visible only to the customer and the shop that fulfils the order. Every marketplace
 * procedure is called by another customer and by another shop with the victim's ids: NOT_FOUND (or the
 * caller's own, empty data), and the victim's rows are unchanged.
 */
let handle: DbHandle;
let env: ReturnType<typeof marketplaceServices>;
let victim: TestActor;
let otherCustomer: TestActor;
let otherShopOwner: TestActor;
let fulfillingShopOwner: TestActor;
const ids = {
  orderId: "",
  uploadId: "",
  quoteId: "",
  cartQuoteId: "",
  addressId: "",
  shopOrgId: "",
  messageId: "",
};
const anonSession = "victim-anon-session-0000001";

beforeAll(async () => {
  handle = await createTestDb();
  env = marketplaceServices(handle.db);
  const shop = await listedShop(handle.db, "Victim Shop", "victim-shop");
  const other = await listedShop(handle.db, "Other Shop", "other-shop");
  fulfillingShopOwner = shop.owner;
  otherShopOwner = other.owner;
  ids.shopOrgId = shop.organizationId;
  victim = await testCustomer(handle.db, "Victim Customer", "victim@example.test");
  otherCustomer = await testCustomer(handle.db, "Other Customer");
  const customer = customerOf(victim);
  const owner = { userId: victim.userId };
  const deps = { storage: env.services.storage, analyze };
  const upload = await createModelUpload(
    handle.db,
    deps,
    owner,
    { fileName: "secret-part.stl", bytes: new Uint8Array(boxStl(20, 20, 20)) },
    { maxBytes: 1e7, now: T0 },
  );
  ids.uploadId = upload.id;
  const quote = await createQuote(
    handle.db,
    owner,
    { uploadId: upload.id, shopSlug: shop.slug, materialId: shop.plaId, quantity: 1 },
    T0,
  );
  ids.quoteId = quote.id;
  await addToCart(handle.db, customer, quote.id);
  const address = await saveAddress(handle.db, customer, {
    name: "Victim",
    line1: "42 Secret Rd",
    line2: null,
    city: "Hidden",
    postalCode: "99999",
    region: null,
    country: "US",
  });
  ids.addressId = address.id;
  const { orderId } = await checkout(
    handle.db,
    env.payments,
    customer,
    { organizationId: shop.organizationId, addressId: address.id, shippingOption: "Standard" },
    "http://localhost:3000/",
    T0,
  );
  ids.orderId = orderId;
  const o = await handle.db
    .selectFrom("marketplaceOrder")
    .select("checkoutSessionId")
    .where("id", "=", orderId)
    .executeTakeFirstOrThrow();
  const signed = await env.payments.completeCheckout(o.checkoutSessionId ?? "");
  await handleStripeWebhook(handle.db, env.services, signed.payload, signed.signature, T0);
  const msg = await sendMessage(
    handle.db,
    notifying(env.services),
    { side: "customer", userId: victim.userId },
    { orderId, body: "my secret message" },
    T0,
  );
  ids.messageId = msg.id;
  // A second quote in the victim's cart, and an anonymous upload of the victim.
  const q2 = await createQuote(
    handle.db,
    owner,
    { uploadId: upload.id, shopSlug: shop.slug, materialId: shop.plaId, quantity: 3 },
    T0,
  );
  await addToCart(handle.db, customer, q2.id);
  ids.cartQuoteId = q2.id;
  await createModelUpload(
    handle.db,
    deps,
    { userId: null, uploadSessionId: anonSession },
    { fileName: "anon.stl", bytes: new Uint8Array(boxStl(5, 5, 5)) },
    { maxBytes: 1e7, now: T0 },
  );
});
afterAll(() => handle.close());

/** Everything of the victim's that a procedure could read or change. */
async function victimState(): Promise<string> {
  const db = handle.db;
  const [order, lines, messages, cart, addresses, uploads, quotes, reviews, notes, job, outbox] =
    await Promise.all([
      db.selectFrom("marketplaceOrder").selectAll().where("id", "=", ids.orderId).execute(),
      db.selectFrom("orderLine").selectAll().where("orderId", "=", ids.orderId).execute(),
      db.selectFrom("orderMessage").selectAll().where("orderId", "=", ids.orderId).orderBy("id").execute(),
      db.selectFrom("cartItem").selectAll().where("userId", "=", victim.userId).orderBy("id").execute(),
      db.selectFrom("shippingAddress").selectAll().where("userId", "=", victim.userId).execute(),
      db.selectFrom("modelUpload").selectAll().orderBy("id").execute(),
      db
        .selectFrom("marketplaceQuote")
        .select(["id", "totalMinor"])
        .where("uploadId", "=", ids.uploadId)
        .orderBy("id")
        .execute(),
      db.selectFrom("shopReview").selectAll().orderBy("id").execute(),
      db
        .selectFrom("customerNotification")
        .selectAll()
        .where("userId", "=", victim.userId)
        .orderBy("id")
        .execute(),
      db.selectFrom("job").select(["id", "status", "updatedAt"]).where("orderId", "=", ids.orderId).execute(),
      db.selectFrom("outboxMessage").select("id").orderBy("id").execute(),
    ]);
  return JSON.stringify({
    order,
    lines,
    messages,
    cart,
    addresses,
    uploads,
    quotes,
    reviews,
    notes,
    job,
    outbox,
  });
}

type Caller = ReturnType<typeof callerFor>;
type Expect = "NOT_FOUND" | "OWN_DATA";
/** path → the call made with the victim's ids, and what must come back. */
const cases: Record<string, { call: (c: Caller) => Promise<unknown>; expect: Expect }> = {
  searchShops: { call: (c) => c.marketplace.searchShops({}), expect: "OWN_DATA" },
  shopPage: { call: (c) => c.marketplace.shopPage({ slug: "victim-shop" }), expect: "OWN_DATA" },
  "uploads.list": { call: (c) => c.marketplace.uploads.list({}), expect: "OWN_DATA" },
  "uploads.claim": {
    call: (c) => c.marketplace.uploads.claim({ uploadSessionId: "guessed-session-00000000" }),
    expect: "OWN_DATA",
  },
  "quotes.options": {
    call: (c) => c.marketplace.quotes.options({ uploadId: ids.uploadId }),
    expect: "NOT_FOUND",
  },
  "quotes.create": {
    call: (c) =>
      c.marketplace.quotes.create({
        uploadId: ids.uploadId,
        shopSlug: "victim-shop",
        materialId: "x",
        quantity: 1,
      }),
    expect: "NOT_FOUND",
  },
  "quotes.get": { call: (c) => c.marketplace.quotes.get({ quoteId: ids.quoteId }), expect: "NOT_FOUND" },
  "cart.get": { call: (c) => c.marketplace.cart.get(), expect: "OWN_DATA" },
  "cart.add": { call: (c) => c.marketplace.cart.add({ quoteId: ids.cartQuoteId }), expect: "NOT_FOUND" },
  "cart.remove": {
    call: (c) => c.marketplace.cart.remove({ quoteId: ids.cartQuoteId }),
    expect: "NOT_FOUND",
  },
  "addresses.list": { call: (c) => c.marketplace.addresses.list(), expect: "OWN_DATA" },
  "addresses.save": {
    call: (c) =>
      c.marketplace.addresses.save({
        name: "Me",
        line1: "1 St",
        line2: null,
        city: "C",
        postalCode: "1",
        region: null,
        country: "US",
      }),
    expect: "OWN_DATA",
  },
  "addresses.delete": {
    call: (c) => c.marketplace.addresses.delete({ id: ids.addressId }),
    expect: "NOT_FOUND",
  },
  checkout: {
    call: (c) =>
      c.marketplace.checkout({
        organizationId: ids.shopOrgId,
        addressId: ids.addressId,
        shippingOption: "Standard",
      }),
    expect: "NOT_FOUND",
  },
  "orders.list": { call: (c) => c.marketplace.orders.list(), expect: "OWN_DATA" },
  "orders.get": { call: (c) => c.marketplace.orders.get({ orderId: ids.orderId }), expect: "NOT_FOUND" },
  "orders.cancel": {
    call: (c) => c.marketplace.orders.cancel({ orderId: ids.orderId }),
    expect: "NOT_FOUND",
  },
  "orders.confirmDelivery": {
    call: (c) => c.marketplace.orders.confirmDelivery({ orderId: ids.orderId }),
    expect: "NOT_FOUND",
  },
  "orders.reorder": {
    call: (c) => c.marketplace.orders.reorder({ orderId: ids.orderId }),
    expect: "NOT_FOUND",
  },
  "orders.messages": {
    call: (c) => c.marketplace.orders.messages({ orderId: ids.orderId }),
    expect: "NOT_FOUND",
  },
  "orders.sendMessage": {
    call: (c) => c.marketplace.orders.sendMessage({ orderId: ids.orderId, body: "hi" }),
    expect: "NOT_FOUND",
  },
  "orders.review": {
    call: (c) => c.marketplace.orders.review({ orderId: ids.orderId, rating: 1 }),
    expect: "NOT_FOUND",
  },
  "notifications.list": { call: (c) => c.marketplace.notifications.list(), expect: "OWN_DATA" },
  "notifications.markRead": { call: (c) => c.marketplace.notifications.markRead(), expect: "OWN_DATA" },
  "shop.orders": { call: (c) => c.marketplace.shop.orders(), expect: "OWN_DATA" },
  "shop.order": { call: (c) => c.marketplace.shop.order({ orderId: ids.orderId }), expect: "NOT_FOUND" },
  "shop.markShipped": {
    call: (c) => c.marketplace.shop.markShipped({ orderId: ids.orderId, trackingNumber: "X" }),
    expect: "NOT_FOUND",
  },
  "shop.messages": {
    call: (c) => c.marketplace.shop.messages({ orderId: ids.orderId }),
    expect: "NOT_FOUND",
  },
  "shop.sendMessage": {
    call: (c) => c.marketplace.shop.sendMessage({ orderId: ids.orderId, body: "hi" }),
    expect: "NOT_FOUND",
  },
  // The shop widget (guests): the victim shop's widget is off, and the ids are the victim's.
  "embed.shop": { call: (c) => c.marketplace.embed.shop({ slug: "victim-shop" }), expect: "NOT_FOUND" },
  "embed.options": {
    call: (c) =>
      c.marketplace.embed.options({
        slug: "victim-shop",
        uploadSessionId: "guessed-session-00000000",
        uploadId: ids.uploadId,
      }),
    expect: "NOT_FOUND",
  },
  "embed.quote": {
    call: (c) =>
      c.marketplace.embed.quote({
        slug: "victim-shop",
        uploadSessionId: "guessed-session-00000000",
        uploadId: ids.uploadId,
        materialId: "x",
        quantity: 1,
      }),
    expect: "NOT_FOUND",
  },
  "embed.checkout": {
    call: (c) =>
      c.marketplace.embed.checkout({
        slug: "victim-shop",
        uploadSessionId: "guessed-session-00000000",
        quoteId: ids.quoteId,
        email: "thief@example.test",
        address: {
          name: "T",
          line1: "1 St",
          line2: null,
          city: "C",
          postalCode: "1",
          region: null,
          country: "US",
        },
        shippingOption: "Standard",
      }),
    expect: "NOT_FOUND",
  },
  "embed.order": {
    call: (c) => c.marketplace.embed.order({ orderId: ids.orderId, token: "guessed-token-000000000000" }),
    expect: "NOT_FOUND",
  },
  "shop.paymentAccount": { call: (c) => c.marketplace.shop.paymentAccount(), expect: "OWN_DATA" },
  "shop.connectStripe": { call: (c) => c.marketplace.shop.connectStripe(), expect: "OWN_DATA" },
  "shop.refreshStripeAccount": {
    call: (c) => c.marketplace.shop.refreshStripeAccount(),
    expect: "OWN_DATA",
  },
};

/** Procedures that only make sense inside a shop: a plain customer has no organization. */
const shopOnly = (path: string) => path.startsWith("shop.");

describe("marketplace access", () => {
  it("covers every marketplace procedure", () => {
    expect(uncoveredProcedures(marketplaceRouter, Object.keys(cases))).toEqual([]);
  });

  for (const who of ["another customer", "another shop"] as const) {
    for (const [path, c] of Object.entries(cases)) {
      it(`${path}: ${who} gets ${c.expect === "NOT_FOUND" || (who === "another customer" && shopOnly(path)) ? "NOT_FOUND" : "only their own data"}, no side effect`, async () => {
        const actor = who === "another customer" ? otherCustomer : otherShopOwner;
        const caller = callerFor(handle, actor, { clock: env.clock, services: env.services });
        const before = await victimState();
        const expectNotFound = c.expect === "NOT_FOUND" || (who === "another customer" && shopOnly(path));
        let result: unknown;
        let error: unknown;
        try {
          result = await c.call(caller);
        } catch (e) {
          error = e;
        }
        if (expectNotFound) {
          expect(error).toBeInstanceOf(TRPCError);
          expect((error as TRPCError).code).toBe("NOT_FOUND");
        } else {
          expect(error).toBeUndefined();
          const text = JSON.stringify(result);
          for (const secret of [
            ids.orderId,
            ids.uploadId,
            ids.quoteId,
            ids.addressId,
            "42 Secret Rd",
            "my secret message",
            "secret-part.stl",
            victim.email,
          ]) {
            expect(text).not.toContain(secret);
          }
        }
        expect(await victimState()).toBe(before);
      });
    }
  }

  it("the fulfilling shop sees only the allow-listed fields of its order", async () => {
    const caller = callerFor(handle, fulfillingShopOwner, { clock: env.clock, services: env.services });
    const order = await caller.marketplace.shop.order({ orderId: ids.orderId });
    expect(Object.keys(order).sort()).toEqual(
      [
        "createdAt",
        "currency",
        "customerEmail",
        "customerName",
        "id",
        "jobId",
        "lines",
        "number",
        "paidAt",
        "platformFeeBps",
        "platformFeeMinor",
        "refundConfirmed",
        "refundMinor",
        "shippingAddress",
        "shippingMinor",
        "shippingOption",
        "shopShareMinor",
        "status",
        "totalMinor",
        "trackingNumber",
      ].sort(),
    );
    const text = JSON.stringify(order);
    expect(text).not.toContain(victim.userId);
    expect(text).not.toMatch(/cs_test_|pi_test_/);
    const list = await caller.marketplace.shop.orders();
    expect(list.map((o) => o.id)).toEqual([ids.orderId]);
    expect(JSON.stringify(list)).not.toContain(victim.userId);
  });

  it("anonymous visitors reach only public procedures and their own upload session", async () => {
    const anon = callerFor(handle, null, { clock: env.clock, services: env.services });
    await expect(anon.marketplace.orders.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anon.marketplace.quotes.options({ uploadId: ids.uploadId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      anon.marketplace.quotes.options({
        uploadId: ids.uploadId,
        uploadSessionId: "someone-elses-session-000",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const mine = await anon.marketplace.uploads.list({ uploadSessionId: anonSession });
    expect(mine.map((u) => u.fileName)).toEqual(["anon.stl"]);
  });
});
