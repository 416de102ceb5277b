import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { signTestWebhook } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMarketplace } from "../demo/marketplace.ts";
import { RATE_LIMITS, rateLimitKey } from "../kernel/index.ts";
import { updateShopProfile, updateShopProfileInput } from "../shop/profile.ts";
import { callerFor } from "../testing/index.ts";
import {
  analyze,
  buyerWithUpload,
  cartTestQuote,
  checkoutTestCart,
  listedShop,
  marketplaceServices,
  T0,
  testCustomer,
  uploadTestBox,
} from "../testing/marketplace-fixtures.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { cancelOrder, confirmDelivery, markShipped } from "../workflows/order-fulfilment.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import { getCart } from "./cart.ts";
import { QUOTE_TTL_MS } from "./common.ts";
import { getMyOrder, listMyOrders } from "./customer-orders.ts";
import { listMessages, sendMessage } from "./messages.ts";
import { createQuote, quoteOptions } from "./quotes.ts";
import { reorder } from "./reorder.ts";
import { createReview } from "./reviews.ts";
import { getShopPage, searchShops } from "./search.ts";
import { getShopOrder } from "./shop-orders.ts";
import { admitMarketplaceUpload, claimUploads, createModelUpload, listUploads } from "./uploads.ts";

let handle: DbHandle;
let env: ReturnType<typeof marketplaceServices>;
let alpha: Awaited<ReturnType<typeof listedShop>>;
let beta: Awaited<ReturnType<typeof listedShop>>;
const limit = { maxBytes: 5 * 1024 * 1024, now: T0 };

beforeAll(async () => {
  handle = await createTestDb();
  env = marketplaceServices(handle.db);
  alpha = await listedShop(handle.db, "Alpha Prints", "alpha-prints", 5);
  beta = await listedShop(handle.db, "Beta Fab", "beta-fab", 2);
  await seedMarketplace(handle.db, { shopSlugs: ["alpha-prints", "beta-fab"] });
});
afterAll(() => handle.close());

const webhook = (payload: string, signature: string | null) =>
  handleStripeWebhook(handle.db, env.services, payload, signature, env.clock.now());

/** Pays the order's test checkout exactly as the test checkout page does. */
async function pay(orderId: string) {
  const o = await handle.db
    .selectFrom("marketplaceOrder")
    .select("checkoutSessionId")
    .where("id", "=", orderId)
    .executeTakeFirstOrThrow();
  const signed = await env.payments.completeCheckout(o.checkoutSessionId ?? "");
  return { signed, result: await webhook(signed.payload, signed.signature) };
}

/** A customer with an upload, a stored quote from `shop`, in the cart, checked out (unpaid). */
async function orderFrom(shop: typeof alpha, name = "Buyer") {
  const { buyer: customer, upload } = await buyerWithUpload(handle.db, env, name);
  const quote = await cartTestQuote(
    handle.db,
    customer,
    shop,
    upload.id,
    { color: "Black", quantity: 2 },
    env.clock.now(),
  );
  const { orderId } = await checkoutTestCart(handle.db, env.payments, customer, shop.organizationId, {
    now: env.clock.now(),
  });
  return { customer, upload, quote, orderId };
}

describe("rate limits on the marketplace (P4)", () => {
  it("limits uploads per client IP before anything is read; another IP is not affected", async () => {
    const { limit } = RATE_LIMITS.marketplaceUpload;
    for (let i = 0; i < limit; i++) await admitMarketplaceUpload(handle.db, "203.0.113.9", T0);
    await expect(admitMarketplaceUpload(handle.db, "203.0.113.9", T0)).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/^Too many uploads from your network\. Try again in \d+ minutes?\.$/),
    });
    await expect(admitMarketplaceUpload(handle.db, "203.0.113.10", T0)).resolves.toBeUndefined();
  });

  it("limits order messages per author (each one emails the other side)", async () => {
    const { customer, orderId } = await orderFrom(alpha, "Chatty");
    const who = { side: "customer" as const, userId: customer.userId };
    const { limit } = RATE_LIMITS.orderMessage;
    for (let i = 0; i < limit; i++) {
      await sendMessage(handle.db, notifying(env.services), who, { orderId, body: `Message ${i}` }, T0);
    }
    await expect(
      sendMessage(handle.db, notifying(env.services), who, { orderId, body: "One too many" }, T0),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const sent = await handle.db
      .selectFrom("orderMessage")
      .select("id")
      .where("orderId", "=", orderId)
      .execute();
    expect(sent).toHaveLength(limit);
  });

  it("limits quote pages and stored quotes per client IP, before any pricing", async () => {
    const caller = callerFor(handle, null, { clock: env.clock, services: env.services });
    const { limit, windowMs } = RATE_LIMITS.marketplaceQuote;
    const now = env.clock.now().getTime();
    // the window of this caller (no client-IP header: "unknown") is already full
    const key = rateLimitKey("marketplaceQuote", ["unknown"]);
    await handle.db
      .insertInto("rateLimit")
      .values({ id: key, key, count: limit, lastRequest: Math.floor(now / windowMs) * windowMs })
      .execute();
    const quotesBefore = await handle.db.selectFrom("marketplaceQuote").select("id").execute();
    const uploadId = "upl_does_not_matter";
    await expect(caller.marketplace.quotes.options({ uploadId })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    await expect(
      caller.marketplace.quotes.create({
        uploadId,
        shopSlug: "alpha-prints",
        materialId: "mat_x",
        quantity: 1,
      }),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await handle.db.selectFrom("marketplaceQuote").select("id").execute()).toEqual(quotesBefore);
    await handle.db.deleteFrom("rateLimit").where("key", "=", key).execute();
  });
});

describe("discovery", () => {
  it("searches listed shops by technology, material, color, lead time and rating, sorted and paginated", async () => {
    const all = await searchShops(handle.db, {});
    expect(all.items.map((s) => s.slug)).toEqual(["alpha-prints", "beta-fab"]); // alpha rated higher by seed
    expect(all.items[0]?.rating).toBeGreaterThan(all.items[1]?.rating ?? 5);
    expect((await searchShops(handle.db, { sort: "leadTime" })).items[0]?.slug).toBe("beta-fab");
    expect((await searchShops(handle.db, { maxLeadDays: 3 })).items.map((s) => s.slug)).toEqual(["beta-fab"]);
    expect((await searchShops(handle.db, { color: "white", materialKind: "pla" })).total).toBe(2);
    expect((await searchShops(handle.db, { color: "purple" })).total).toBe(0);
    expect((await searchShops(handle.db, { technology: "powder" })).total).toBe(0);
    expect((await searchShops(handle.db, { minRating: 4.9 })).total).toBe(0);
    const page2 = await searchShops(handle.db, { pageSize: 1, page: 2 });
    expect(page2).toMatchObject({ total: 2, pageCount: 2 });
    expect(page2.items).toHaveLength(1);
  });

  it("ignores archived materials in the material and color filters and the listed kinds", async () => {
    const rollback = new Error("rollback");
    await handle.db
      .transaction()
      .execute(async (trx) => {
        const alpha = await trx
          .selectFrom("organization")
          .select("id")
          .where("slug", "=", "alpha-prints")
          .executeTakeFirstOrThrow();
        await trx
          .updateTable("material")
          .set({ archivedAt: T0 })
          .where("organizationId", "=", alpha.id)
          .execute();
        const found = await searchShops(trx, { color: "white", materialKind: "pla" });
        expect(found.items.map((s) => s.slug)).toEqual(["beta-fab"]);
        const listed = await searchShops(trx, { search: "alpha" });
        expect(listed.items[0]?.materialKinds).toEqual([]);
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
    expect((await searchShops(handle.db, { color: "white", materialKind: "pla" })).total).toBe(2);
  });

  it("shows a shop page with materials, printers and reviews but no cost figures", async () => {
    const page = await getShopPage(handle.db, "alpha-prints");
    expect(page.shop.materials.length).toBeGreaterThan(0);
    expect(page.shop.printers[0]?.buildVolumeMm).toBeDefined();
    expect(page.reviewCount).toBe(3);
    expect(JSON.stringify(page)).not.toMatch(/costPerKgMinor|hourlyRateMinor|onHandG/);
  });
});

describe("uploads and quotes", () => {
  it("refuses files it cannot quote and says why", async () => {
    const owner = { userId: null, uploadSessionId: "anon-session-000000000001" };
    const deps = { storage: env.services.storage, analyze };
    await expect(
      createModelUpload(handle.db, deps, owner, { fileName: "x.step", bytes: new Uint8Array(10) }, limit),
    ).rejects.toThrow(/STL, 3MF and OBJ/);
    await expect(
      createModelUpload(handle.db, deps, owner, { fileName: "x.stl", bytes: new Uint8Array(0) }, limit),
    ).rejects.toThrow(/empty/);
    await expect(
      createModelUpload(
        handle.db,
        deps,
        owner,
        { fileName: "x.stl", bytes: new Uint8Array(100) },
        { ...limit, maxBytes: 50 },
      ),
    ).rejects.toThrow(/larger than/);
    await expect(
      createModelUpload(
        handle.db,
        deps,
        owner,
        { fileName: "x.stl", bytes: new Uint8Array(100).fill(7) },
        limit,
      ),
    ).rejects.toThrow(/x\.stl: /);
    expect(await listUploads(handle.db, owner)).toEqual([]);
  });

  it("quotes an anonymous upload from every shop that can make it, then the upload is claimed on sign-in", async () => {
    const owner = { userId: null, uploadSessionId: "anon-session-000000000002" };
    const upload = await uploadTestBox(handle.db, env.services.storage, owner, "cube.stl", [30, 30, 30]);
    expect(upload.analysis.volumeMm3).toBeCloseTo(27000, 0);
    const shops = await quoteOptions(handle.db, owner, { uploadId: upload.id });
    expect(shops.map((s) => s.slug).sort()).toEqual(["alpha-prints", "beta-fab"]);
    // A technology keeps the shops that offer it (filtered in the query), and only those.
    const offering = async (technology: string) =>
      (
        await handle.db
          .selectFrom("shopSettings as s")
          .innerJoin("organization as o", "o.id", "s.organizationId")
          .select(["o.slug", "s.technologies"])
          .where("s.listed", "=", true)
          .execute()
      )
        .filter((row) => (row.technologies as string[]).includes(technology))
        .map((row) => row.slug)
        .sort();
    const fdm = await quoteOptions(handle.db, owner, { uploadId: upload.id, technology: "fdm" });
    expect(fdm.map((s) => s.slug).sort()).toEqual(await offering("fdm"));
    expect(fdm.length).toBeGreaterThan(0);
    expect(await quoteOptions(handle.db, owner, { uploadId: upload.id, technology: "powder" })).toEqual([]);
    for (const s of shops) {
      expect(s.options.length).toBeGreaterThan(0);
      for (const o of s.options) expect(Number.isInteger(o.totalMinor)).toBe(true);
    }
    // Too big for every printer: nobody can make it.
    const huge = await uploadTestBox(handle.db, env.services.storage, owner, "huge.stl", [900, 900, 900]);
    expect(await quoteOptions(handle.db, owner, { uploadId: huge.id })).toEqual([]);
    // Quality and quantity change the server price.
    const one = await createQuote(
      handle.db,
      owner,
      { uploadId: upload.id, shopSlug: "alpha-prints", materialId: alpha.plaId, quantity: 1 },
      T0,
    );
    const ten = await createQuote(
      handle.db,
      owner,
      { uploadId: upload.id, shopSlug: "alpha-prints", materialId: alpha.plaId, quantity: 10 },
      T0,
    );
    expect(ten.totalMinor).toBeGreaterThan(one.totalMinor);
    expect(one.expiresAt.getTime()).toBe(T0.getTime() + QUOTE_TTL_MS);
    await expect(
      createQuote(
        handle.db,
        owner,
        {
          uploadId: upload.id,
          shopSlug: "alpha-prints",
          materialId: alpha.plaId,
          quantity: 1,
          color: "Purple",
        },
        T0,
      ),
    ).rejects.toThrow(/does not come in Purple/);
    // Another visitor cannot see or quote it.
    await expect(
      quoteOptions(
        handle.db,
        { userId: null, uploadSessionId: "anon-session-000000000003" },
        { uploadId: upload.id },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const user = await testCustomer(handle.db);
    expect(await claimUploads(handle.db, user.userId, owner.uploadSessionId)).toEqual({ claimed: 2 });
    expect((await listUploads(handle.db, { userId: user.userId })).length).toBe(2);
    expect(await listUploads(handle.db, owner)).toEqual([]);
  });
});

describe("checkout, webhooks and fulfilment", () => {
  it("pays exactly the quoted price plus shipping; a paid order becomes a job with the file attached", async () => {
    const { customer, quote, orderId } = await orderFrom(alpha);
    const pending = await getMyOrder(handle.db, notifying(env.services), customer, orderId, env.clock.now());
    expect(pending).toMatchObject({
      status: "pending_payment",
      totalMinor: quote.totalMinor + 500,
      shippingMinor: 500,
    });
    expect(await getCart(handle.db, customer, T0)).toEqual([]);
    // The model was analysed (in the worker pool) at upload; fulfilment keeps that analysis. A marker on
    // the stored analysis shows the webhook did not analyse the bytes again.
    const line = await handle.db
      .selectFrom("orderLine as l")
      .innerJoin("modelUpload as u", "u.id", "l.uploadId")
      .select(["u.id", "u.analysis"])
      .where("l.orderId", "=", orderId)
      .executeTakeFirstOrThrow();
    await handle.db
      .updateTable("modelUpload")
      .set({ analysis: JSON.stringify({ ...line.analysis, storedAtUpload: true }) })
      .where("id", "=", line.id)
      .execute();
    const { result } = await pay(orderId);
    expect(result).toEqual({ status: 200, body: { received: true, outcome: "applied" } });
    const order = await getMyOrder(handle.db, notifying(env.services), customer, orderId, env.clock.now());
    expect(order.status).toBe("paid");
    expect(order.timeline.map((t) => t.status)).toEqual(["pending_payment", "paid"]);
    const row = await handle.db
      .selectFrom("marketplaceOrder")
      .select("jobId")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    const job = await handle.db
      .selectFrom("job")
      .selectAll()
      .where("id", "=", row.jobId ?? "")
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({
      organizationId: alpha.organizationId,
      source: "marketplace",
      status: "approved",
      orderId,
    });
    const files = await handle.db
      .selectFrom("jobFile")
      .select(["fileName", "kind", "analysis"])
      .where("jobId", "=", job.id)
      .execute();
    expect(files).toEqual([
      {
        fileName: "part.stl",
        kind: "model",
        analysis: expect.objectContaining({ storedAtUpload: true, triangles: line.analysis.triangles }),
      },
    ]);
    // Customer emailed and notified in the app; in local mode the send is in the outbox.
    const mails = await handle.db
      .selectFrom("outboxMessage")
      .select("subject")
      .where("recipient", "=", customer.email.toLowerCase())
      .execute();
    expect(mails.map((m) => m.subject)).toContainEqual(expect.stringMatching(/Paid/));
  });

  it("refuses unsigned, tampered and stale webhooks with 400 and applies each event once", async () => {
    const { orderId } = await orderFrom(beta, "Webhook Buyer");
    const o = await handle.db
      .selectFrom("marketplaceOrder")
      .select("checkoutSessionId")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    const signed = await env.payments.completeCheckout(o.checkoutSessionId ?? "");
    expect((await webhook(signed.payload, null)).status).toBe(400);
    const tampered = signed.payload.replace('"paid"', '"unpaid"');
    expect(await webhook(tampered, signed.signature)).toMatchObject({
      status: 400,
      body: { error: "bad-signature" },
    });
    const staleTs = Math.floor(T0.getTime() / 1000) - 301;
    const stale = signTestWebhook(signed.payload, env.payments.webhookSecret, staleTs);
    expect(await webhook(signed.payload, stale)).toMatchObject({ status: 400, body: { error: "stale" } });
    let status = await handle.db
      .selectFrom("marketplaceOrder")
      .select("status")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe("pending_payment");
    expect((await webhook(signed.payload, signed.signature)).body.outcome).toBe("applied");
    expect((await webhook(signed.payload, signed.signature)).body.outcome).toBe("duplicate");
    const jobs = await handle.db.selectFrom("job").select("id").where("orderId", "=", orderId).execute();
    expect(jobs).toHaveLength(1);
    // A late failure never undoes a payment.
    const failed = env.payments.signEvent("checkout.session.async_payment_failed", {
      id: o.checkoutSessionId,
      metadata: { orderId },
    });
    expect((await webhook(failed.payload, failed.signature)).body.outcome).toBe("ignored");
    status = await handle.db
      .selectFrom("marketplaceOrder")
      .select("status")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe("paid");
  });

  it("handles a refund that arrives before the payment, and a failed payment", async () => {
    const { customer, orderId } = await orderFrom(alpha, "Out Of Order");
    const o = await handle.db
      .selectFrom("marketplaceOrder")
      .select(["checkoutSessionId", "totalMinor", "currency"])
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    const completed = await env.payments.completeCheckout(o.checkoutSessionId ?? "");
    const refund = env.payments.signEvent("charge.refunded", {
      id: "ch_1",
      payment_intent: "pi_x",
      amount_refunded: o.totalMinor,
      currency: o.currency.toLowerCase(),
      metadata: { orderId },
    });
    expect((await webhook(refund.payload, refund.signature)).body.outcome).toBe("applied");
    expect((await webhook(completed.payload, completed.signature)).body.outcome).toBe("ignored");
    const order = await getMyOrder(handle.db, notifying(env.services), customer, orderId, env.clock.now());
    expect(order).toMatchObject({ status: "refunded", refundedMinor: o.totalMinor });
    expect(await handle.db.selectFrom("job").select("id").where("orderId", "=", orderId).execute()).toEqual(
      [],
    );

    const second = await orderFrom(alpha, "Card Declined");
    const failed = env.payments.signEvent("checkout.session.async_payment_failed", {
      id: "cs_x",
      metadata: { orderId: second.orderId },
    });
    await webhook(failed.payload, failed.signature);
    expect(
      (await getMyOrder(handle.db, notifying(env.services), second.customer, second.orderId, T0)).status,
    ).toBe("payment_failed");
  });

  it("refuses checkout with an expired quote instead of charging a different price", async () => {
    const { buyer: customer, upload } = await buyerWithUpload(
      handle.db,
      env,
      "Late Buyer",
      "p.stl",
      [10, 10, 10],
    );
    await cartTestQuote(handle.db, customer, beta, upload.id);
    const later = new Date(T0.getTime() + QUOTE_TTL_MS + 1);
    await expect(
      checkoutTestCart(handle.db, env.payments, customer, beta.organizationId, { now: later }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await listMyOrders(handle.db, customer)).toEqual([]);
  });
});

describe("after payment", () => {
  it("ships with tracking, exchanges messages, confirms delivery, reviews, and reorders at today's price", async () => {
    const { customer, orderId } = await orderFrom(beta, "Happy Path");
    await pay(orderId);
    const shopActor = { organizationId: beta.organizationId, userId: beta.owner.userId };
    const shopView = await getShopOrder(handle.db, beta.organizationId, orderId);
    expect(Object.keys(shopView).sort()).toEqual(
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
    // Not before the job is ready on the board.
    await expect(
      markShipped(handle.db, env.services, shopActor, { orderId, trackingNumber: "1Z999" }, T0),
    ).rejects.toThrow(/cannot move to shipped/);
    // Refused: the tracking number was not kept either.
    expect((await getShopOrder(handle.db, beta.organizationId, orderId)).trackingNumber).toBeNull();
    await handle.db
      .updateTable("job")
      .set({ status: "ready" })
      .where("id", "=", shopView.jobId ?? "")
      .execute();
    expect((await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0)).status).toBe(
      "in_production",
    );
    await markShipped(handle.db, env.services, shopActor, { orderId, trackingNumber: "1Z999" }, T0);
    const shipped = await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0);
    expect(shipped).toMatchObject({
      status: "shipped",
      trackingNumber: "1Z999",
      canConfirmDelivery: true,
      canCancel: false,
    });
    expect(shipped.timeline.at(-1)).toMatchObject({ status: "shipped", note: "Tracking number 1Z999" });

    const shopSide = {
      side: "shop" as const,
      organizationId: beta.organizationId,
      userId: beta.owner.userId,
    };
    const customerSide = { side: "customer" as const, userId: customer.userId };
    await sendMessage(
      handle.db,
      notifying(env.services),
      shopSide,
      {
        orderId,
        body: "Your parts are on the way",
        attachment: {
          fileName: "photo.png",
          contentType: "image/png",
          base64: Buffer.from("png").toString("base64"),
        },
      },
      T0,
    );
    expect((await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0)).unreadMessages).toBe(
      1,
    );
    const thread = await listMessages(handle.db, customerSide, orderId, T0);
    expect(thread).toMatchObject([
      { side: "shop", mine: false, body: "Your parts are on the way", attachment: { fileName: "photo.png" } },
    ]);
    expect((await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0)).unreadMessages).toBe(
      0,
    );
    await sendMessage(handle.db, notifying(env.services), customerSide, { orderId, body: "Thanks!" }, T0);
    const ownerMail = await handle.db
      .selectFrom("outboxMessage")
      .select("subject")
      .where("recipient", "=", beta.owner.email.toLowerCase())
      .execute();
    expect(ownerMail.map((m) => m.subject)).toContainEqual(
      expect.stringMatching(/new message from the customer/),
    );

    await expect(
      createReview(handle.db, customer, { orderId, rating: 5, body: "Great" }, T0),
    ).rejects.toThrow(/delivered/);
    await confirmDelivery(handle.db, env.services, customer, orderId, T0);
    expect((await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0)).status).toBe(
      "delivered",
    );
    await createReview(handle.db, customer, { orderId, rating: 5, body: "Great parts" }, T0);
    await expect(
      createReview(handle.db, customer, { orderId, rating: 4, body: "again" }, T0),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const page = await getShopPage(handle.db, "beta-fab");
    expect(page.reviews.map((r) => r.body)).toContain("Great parts");

    const { quoteIds } = await reorder(handle.db, customer, orderId, T0);
    expect(quoteIds).toHaveLength(1);
    expect((await getCart(handle.db, customer, T0))[0]?.items.map((q) => q.id)).toEqual(quoteIds);
  });

  it("cancels before production with a refund, and not once production started", async () => {
    const { customer, orderId } = await orderFrom(alpha, "Changed Mind");
    await pay(orderId);
    await cancelOrder(handle.db, env.services, customer, orderId, T0);
    const order = await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0);
    expect(order.status).toBe("cancelled");
    const job = await handle.db
      .selectFrom("job")
      .select("status")
      .where("orderId", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe("cancelled");

    const started = await orderFrom(alpha, "Too Late");
    await pay(started.orderId);
    await handle.db
      .updateTable("job")
      .set({ status: "printing" })
      .where("orderId", "=", started.orderId)
      .execute();
    await expect(cancelOrder(handle.db, env.services, started.customer, started.orderId, T0)).rejects.toThrow(
      /Production has started/,
    );
  });
});

describe("status changes on the shop's board", () => {
  it("move the order at once and tell its customer in the app and by email", async () => {
    const { customer, orderId } = await orderFrom(alpha, "Board Watcher");
    await pay(orderId);
    const { jobId } = await handle.db
      .selectFrom("marketplaceOrder")
      .select("jobId")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    const job = jobId ?? "";
    const shop = callerFor(handle, alpha.owner, { clock: env.clock, services: env.services });
    const storedStatus = async () =>
      (
        await handle.db
          .selectFrom("marketplaceOrder")
          .select("status")
          .where("id", "=", orderId)
          .executeTakeFirstOrThrow()
      ).status;
    const told = async () => ({
      inApp: (
        await handle.db
          .selectFrom("customerNotification")
          .select("title")
          .where("orderId", "=", orderId)
          .orderBy("createdAt")
          .orderBy("id")
          .execute()
      ).map((n) => n.title),
      emails: (
        await handle.db
          .selectFrom("outboxMessage")
          .select("subject")
          .where("recipient", "=", customer.email.toLowerCase())
          .execute()
      ).map((m) => m.subject),
    });
    const before = await told();

    // Scheduling keeps the order "paid": nothing to tell.
    await shop.job.schedule.set({
      jobId: job,
      printerId: alpha.printerId,
      startAt: new Date(T0.getTime() + 3_600_000),
    });
    expect(await storedStatus()).toBe("paid");
    expect(await told()).toEqual(before);

    // Printing: the stored order is in production without anyone opening it, and the customer is told.
    await shop.job.changeStatus({ jobId: job, to: "printing" });
    expect(await storedStatus()).toBe("in_production");
    let now = await told();
    expect(now.inApp.slice(before.inApp.length)).toEqual(["In production"]);
    expect(now.emails.filter((s) => !before.emails.includes(s))).toEqual([
      expect.stringMatching(/In production/),
    ]);

    // Ready is still in production (told once); shipped is told again.
    await shop.job.changeStatus({ jobId: job, to: "ready" });
    expect(now.inApp).toEqual((await told()).inApp);
    await shop.job.changeStatus({ jobId: job, to: "shipped" });
    expect(await storedStatus()).toBe("shipped");
    now = await told();
    expect(now.inApp.slice(before.inApp.length)).toEqual(["In production", "Shipped"]);
    // Moved to shipped on the board; the shop adds the tracking number on the order afterwards.
    await expect(shop.marketplace.shop.markShipped({ orderId, trackingNumber: null })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await shop.marketplace.shop.markShipped({ orderId, trackingNumber: "1Z-BOARD" });
    now = await told();
    expect(now.inApp.slice(before.inApp.length)).toEqual(["In production", "Shipped", "Tracking number"]);
    const order = await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0);
    expect(order.trackingNumber).toBe("1Z-BOARD");
    expect(order.timeline.map((t) => t.status)).toEqual([
      "pending_payment",
      "paid",
      "in_production",
      "shipped",
      "tracking",
    ]);
    expect(order.timeline.at(-1)).toMatchObject({
      label: "Tracking number",
      note: "Tracking number 1Z-BOARD",
    });

    // Another shop cannot move the job (NOT_FOUND) and nothing changes for the customer.
    const other = callerFor(handle, beta.owner, { clock: env.clock, services: env.services });
    await expect(other.job.changeStatus({ jobId: job, to: "completed" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await storedStatus()).toBe("shipped");
    expect(await told()).toEqual(now);
  });

  it("leave a job without a marketplace order as it was", async () => {
    const shop = callerFor(handle, beta.owner, { clock: env.clock, services: env.services });
    const created = await shop.job.create({
      title: "Walk-in bracket",
      newCustomer: { name: "Walk-in Customer" },
    });
    const moved = await shop.job.changeStatus({ jobId: created.id, to: "approved" });
    expect(moved).toMatchObject({ jobId: created.id, to: "approved" });
  });
});

describe("shipping zones", () => {
  it("filter the search by the country a shop ships to, and checkout refuses an address outside them", async () => {
    const gamma = await listedShop(handle.db, "Gamma Zones", "gamma-zones", 6);
    expect(() =>
      updateShopProfileInput.parse({
        shippingOptions: [{ name: "DHL", priceMinor: 500, days: 2, countries: ["Germany"] }],
      }),
    ).toThrow(/two-letter country codes/);
    const profile = await updateShopProfile(
      handle.db,
      gamma.actor,
      updateShopProfileInput.parse({
        country: "DE",
        shippingOptions: [
          { name: "Abholung", priceMinor: 0, days: 0 },
          { name: "DHL", priceMinor: 500, days: 2, countries: ["de", "AT", "at"] },
          { name: "World", priceMinor: 2500, days: 7, countries: ["US", "CA"] },
        ],
      }),
      T0,
    );
    expect(profile.shippingOptions.map((o) => o.countries)).toEqual([undefined, ["AT", "DE"], ["CA", "US"]]);

    const slugs = async (country: string) =>
      (await searchShops(handle.db, { country, sort: "name" })).items.map((shop) => shop.slug);
    expect(await slugs("AT")).toEqual(["gamma-zones"]);
    expect(await slugs("DE")).toEqual(["gamma-zones"]);
    expect(await slugs("CA")).toEqual(["gamma-zones"]);
    // Alpha and Beta set no zones: they ship in their own country (US) only.
    expect(await slugs("US")).toEqual(["alpha-prints", "beta-fab", "gamma-zones"]);
    expect(await slugs("JP")).toEqual([]);
    await expect(searchShops(handle.db, { country: "1X" })).rejects.toThrow(/two-letter country code/);
    const found = (await searchShops(handle.db, { country: "AT" })).items[0];
    expect(found?.shipsTo).toEqual(["AT", "CA", "DE", "US"]);
    expect((await getShopPage(handle.db, "gamma-zones")).shop.shipsTo).toEqual(["AT", "CA", "DE", "US"]);
    expect((await getShopPage(handle.db, "alpha-prints")).shop.shipsTo).toEqual(["US"]);

    const { buyer: customer, upload } = await buyerWithUpload(
      handle.db,
      env,
      "Zone Buyer",
      "zone.stl",
      [15, 15, 15],
    );
    await cartTestQuote(handle.db, customer, gamma, upload.id);
    const cart = (await getCart(handle.db, customer, T0))[0];
    expect(cart).toMatchObject({ shopCountry: "DE" });
    const attempt = (shippingOption: string) =>
      checkoutTestCart(handle.db, env.payments, customer, gamma.organizationId, { shippingOption });
    await expect(attempt("DHL")).rejects.toThrow(/does not deliver "DHL" to US: choose "World"/);
    await expect(attempt("Abholung")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await listMyOrders(handle.db, customer)).toEqual([]);
    expect(await getCart(handle.db, customer, T0)).toHaveLength(1);
    const { orderId } = await attempt("World");
    expect((await getMyOrder(handle.db, notifying(env.services), customer, orderId, T0)).shippingMinor).toBe(
      2500,
    );
  });
});
