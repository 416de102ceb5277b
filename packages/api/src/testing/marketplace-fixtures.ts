import { type Database, newId, type OrderStatus } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { analyzeModel } from "@ktizo/quote";
import { fixedClock, isTestModePayments, type Services, type TestModePayments } from "@ktizo/services";
import { seedMarketplace } from "../demo/marketplace.ts";
import { addToCart, checkout } from "../marketplace/cart.ts";
import type { Customer, UploadOwner } from "../marketplace/common.ts";
import { createQuote } from "../marketplace/quotes.ts";
import { createModelUpload, type UploadView } from "../marketplace/uploads.ts";
import { createTestUser, type TestActor, testServices } from "./index.ts";
import { boxStl, type ShopFixture, shopFixture } from "./shop-fixtures.ts";

/** Test helpers for the marketplace folder (not used by production code). */
export const T0 = new Date("2026-03-02T08:00:00Z");

/** A listed shop (FDM + resin, stock of both) with two shipping options. */
export async function listedShop(
  db: Database,
  name: string,
  slug: string,
  leadDays = 5,
): Promise<ShopFixture & { slug: string }> {
  const shop = await shopFixture(db, name);
  await db.updateTable("organization").set({ slug }).where("id", "=", shop.organizationId).execute();
  await db
    .insertInto("shopSettings")
    .values({
      organizationId: shop.organizationId,
      listed: true,
      technologies: JSON.stringify(["fdm", "resin"]),
      standardLeadDays: leadDays,
      shippingOptions: JSON.stringify([
        { name: "Standard", priceMinor: 500, days: 5 },
        { name: "Express", priceMinor: 1500, days: 1 },
      ]),
    })
    .onConflict((oc) =>
      oc.column("organizationId").doUpdateSet({
        listed: true,
        technologies: JSON.stringify(["fdm", "resin"]),
        standardLeadDays: leadDays,
        shippingOptions: JSON.stringify([
          { name: "Standard", priceMinor: 500, days: 5 },
          { name: "Express", priceMinor: 1500, days: 1 },
        ]),
      }),
    )
    .execute();
  return { ...shop, slug };
}

/** A shipping address in the fixtures' shops' own country (US). */
export const usAddress = {
  name: "Cora Customer",
  line1: "1 Main St",
  line2: null,
  city: "Springfield",
  postalCode: "12345",
  region: null,
  country: "US",
};

export function customerOf(actor: TestActor): Customer {
  return { userId: actor.userId, email: actor.email, name: actor.name };
}

export async function testCustomer(db: Database, name = "Cora Customer", email?: string): Promise<TestActor> {
  return createTestUser(db, { name, ...(email ? { email } : {}) });
}

/** Local services (test-mode payments, outbox, temp-dir storage) on a clock the test moves. */
export function marketplaceServices(db: Database) {
  const clock = fixedClock(T0);
  const services: Services = testServices(db, clock);
  if (!isTestModePayments(services.payments)) throw new Error("expected test-mode payments");
  const payments: TestModePayments = services.payments;
  return { clock, services, payments };
}

/**
 * A fresh test database with the local services and the shop `slug` listed (lead time 5 days) among the
 * demo marketplace's: the world of most marketplace tests. The caller closes `handle`.
 */
export async function marketplaceWorld(name: string, slug: string) {
  const handle = await createTestDb();
  const env = marketplaceServices(handle.db);
  const shop = await listedShop(handle.db, name, slug, 5);
  await seedMarketplace(handle.db, { shopSlugs: [slug] });
  return { handle, env, shop };
}

/** A new customer `name` who has uploaded a box (a 20 mm cube, part.stl, unless told). */
export async function buyerWithUpload(
  db: Database,
  env: ReturnType<typeof marketplaceServices>,
  name: string,
  fileName = "part.stl",
  box: [number, number, number] = [20, 20, 20],
) {
  const buyer = customerOf(await testCustomer(db, name));
  const upload = await uploadTestBox(db, env.services.storage, { userId: buyer.userId }, fileName, box);
  return { buyer, upload };
}

/** The quote engine's analysis, synchronously (the web app uses the worker pool). */
export const analyze = async (bytes: Uint8Array) => analyzeModel(bytes);

/** An upload of an `x × y × z` mm box by `owner`, analysed here, under the web app's 5 MB limit, at T0. */
export function uploadTestBox(
  db: Database,
  storage: Services["storage"],
  owner: UploadOwner,
  fileName: string,
  [x, y, z]: [number, number, number],
): Promise<UploadView> {
  return createModelUpload(
    db,
    { storage, analyze },
    owner,
    { fileName, bytes: new Uint8Array(boxStl(x, y, z)) },
    { maxBytes: 5 * 1024 * 1024, now: T0 },
  );
}

/** `buyer`'s quote from `shop` (its PLA, one unless told) for the upload, put in their cart. */
export async function cartTestQuote(
  db: Database,
  buyer: Customer,
  shop: { slug: string; plaId: string },
  uploadId: string,
  /** More of the quote's choices (a quantity, a unit and scale, a color…). */
  choices: Partial<Parameters<typeof createQuote>[2]> = {},
  now = T0,
) {
  const quote = await createQuote(
    db,
    { userId: buyer.userId },
    { uploadId, shopSlug: shop.slug, materialId: shop.plaId, quantity: 1, ...choices },
    now,
  );
  await addToCart(db, buyer, quote.id);
  return quote;
}

/** `buyer` checks out their cart at the shop `organizationId`, to the US address (Standard unless told). */
export function checkoutTestCart(
  db: Database,
  payments: Services["payments"],
  buyer: Customer,
  organizationId: string,
  { shippingOption = "Standard", now = T0 }: { shippingOption?: string; now?: Date } = {},
) {
  return checkout(
    db,
    payments,
    buyer,
    { organizationId, address: usAddress, shippingOption },
    "http://localhost:3000/",
    now,
  );
}

/**
 * One cart checkout of `quantity` 1 of the shop's PLA for `buyer`, through the real domain steps
 * (quote, cart, checkout): the order row as it stands, waiting for its payment.
 */
export async function placeTestOrder(
  db: Database,
  env: ReturnType<typeof marketplaceServices>,
  buyer: Customer,
  shop: Awaited<ReturnType<typeof listedShop>>,
  uploadId: string,
  /** More of the quote's choices (a quantity, a unit and scale, a color…). */
  choices: Partial<Parameters<typeof createQuote>[2]> = {},
) {
  await cartTestQuote(db, buyer, shop, uploadId, choices);
  const { orderId } = await checkoutTestCart(db, env.payments, buyer, shop.organizationId);
  return db.selectFrom("marketplaceOrder").selectAll().where("id", "=", orderId).executeTakeFirstOrThrow();
}

/**
 * A marketplace order of `organizationId` for `buyer`, written directly (no quote or payment steps): paid
 * unless told otherwise, for the buyer's address unless told otherwise, fulfilled by `jobId` when given.
 */
export async function insertTestOrder(
  db: Database,
  organizationId: string,
  buyer: { userId: string; name: string; email: string },
  options: { status?: OrderStatus; customerEmail?: string; jobId?: string | null; paidAt?: Date | null } = {},
): Promise<string> {
  const orderId = newId("ord");
  await db
    .insertInto("marketplaceOrder")
    .values({
      id: orderId,
      userId: buyer.userId,
      organizationId,
      checkoutId: newId("chk"),
      status: options.status ?? "paid",
      currency: "USD",
      subtotalMinor: 1000,
      shippingMinor: 500,
      taxMinor: 0,
      totalMinor: 1500,
      shippingOption: JSON.stringify({ name: "Standard", priceMinor: 500, days: 5 }),
      shippingAddress: JSON.stringify({ ...usAddress, name: buyer.name }),
      customerName: buyer.name,
      customerEmail: options.customerEmail ?? buyer.email,
      checkoutSessionId: null,
      paymentIntentId: null,
      connectedAccountId: null,
      refundId: null,
      jobId: options.jobId ?? null,
      trackingNumber: null,
      paidAt: options.paidAt === undefined ? T0 : options.paidAt,
      guestAccessToken: null,
    })
    .execute();
  return orderId;
}

/**
 * A paid marketplace order of `organizationId` for `buyer`, written directly (no quote or payment
 * steps), with the customer's first message: for tests of what a shop does with an order's thread.
 */
export async function insertPaidTestOrder(
  db: Database,
  organizationId: string,
  buyer: { userId: string; name: string; email: string },
  firstMessage: string,
  /** A stored file the first message carries. */
  attachment: { key: string; name: string; type: string } | null = null,
): Promise<string> {
  const orderId = await insertTestOrder(db, organizationId, buyer);
  await db
    .insertInto("orderMessage")
    .values({
      id: newId("msg"),
      orderId,
      authorUserId: buyer.userId,
      authorSide: "customer",
      body: firstMessage,
      attachmentKey: attachment?.key ?? null,
      attachmentName: attachment?.name ?? null,
      attachmentType: attachment?.type ?? null,
    })
    .execute();
  return orderId;
}
