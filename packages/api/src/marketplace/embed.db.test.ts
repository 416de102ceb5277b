import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { type PaymentsService, platformFee } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hitRateLimit, RATE_LIMITS } from "../kernel/index.ts";
import { updateWidgetSettings, widgetSettingsSchema } from "../shop/widget.ts";
import { analyze, listedShop, marketplaceServices, T0 } from "../testing/marketplace-fixtures.ts";
import { boxStl } from "../testing/shop-fixtures.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import {
  admitEmbedUpload,
  copyEmbedUpload,
  embedCheckout,
  embedOptions,
  embedQuote,
  getEmbedShop,
  getGuestOrder,
  storeEmbedUpload,
} from "./embed.ts";
import { sendMessage } from "./messages.ts";

let handle: DbHandle;
let env: ReturnType<typeof marketplaceServices>;
let shop: Awaited<ReturnType<typeof listedShop>>;
let other: Awaited<ReturnType<typeof listedShop>>;
const sessionA = "widget-guest-session-aaaaaaaa";
const sessionB = "widget-guest-session-bbbbbbbb";
const ip = "203.0.113.7";
const address = {
  name: "Gwen Guest",
  line1: "1 Harbor Rd",
  line2: null,
  city: "Portland",
  postalCode: "97214",
  region: "OR",
  country: "us",
};

beforeAll(async () => {
  handle = await createTestDb();
  env = marketplaceServices(handle.db);
  shop = await listedShop(handle.db, "Widget Shop", "widget-shop");
  other = await listedShop(handle.db, "Other Shop", "other-shop");
  // The widget is for the shop's own site: it works whether or not the shop is listed on the marketplace.
  await handle.db
    .updateTable("shopSettings")
    .set({ listed: false })
    .where("organizationId", "=", shop.organizationId)
    .execute();
  await updateWidgetSettings(
    handle.db,
    shop.actor,
    widgetSettingsSchema.parse({
      enabled: true,
      allowedOrigins: ["https://shop.example"],
      accentColor: "#aa3300",
      defaultMaterialId: shop.resinId,
    }),
    T0,
  );
});
afterAll(() => handle.close());

const deps = () => ({ storage: env.services.storage, analyze });
/** A widget upload as the upload route makes it: admitted first (widget on, rate limit), then stored. */
const upload = async (session: string, fileName = "bracket.stl", clientIp = ip) => {
  await admitEmbedUpload(handle.db, { slug: "widget-shop", clientIp }, T0);
  return storeEmbedUpload(
    handle.db,
    deps(),
    session,
    { fileName, bytes: new Uint8Array(boxStl(20, 10, 5)) },
    { maxBytes: 1e7, now: T0 },
  );
};

/** The widget shop's quote of `materialId` for the guest `session`'s upload. */
const widgetQuote = (session: string, uploadId: string, materialId: string, quantity = 1) =>
  embedQuote(
    handle.db,
    { slug: "widget-shop", uploadSessionId: session, uploadId, materialId, quantity },
    ip,
    T0,
  );

/** The guest `session`'s widget checkout of `quoteId` (to the test address by Standard unless told). */
const widgetCheckout = (
  session: string,
  quoteId: string,
  order: { email: string; address?: typeof address; shippingOption?: string },
  payments: Parameters<typeof embedCheckout>[1] = env.payments,
  appUrl = "http://localhost:3000/",
) =>
  embedCheckout(
    handle.db,
    payments,
    {
      slug: "widget-shop",
      uploadSessionId: session,
      quoteId,
      email: order.email,
      address: order.address ?? address,
      shippingOption: order.shippingOption ?? "Standard",
    },
    ip,
    appUrl,
    T0,
  );

describe("the widget's shop", () => {
  it("shows an enabled widget (even unlisted) with its branding and in-stock materials; NOT_FOUND when off", async () => {
    const view = await getEmbedShop(handle.db, "widget-shop", T0);
    expect(view).toMatchObject({ name: "Widget Shop", accentColor: "#aa3300", currency: "USD" });
    expect(view.allowedOrigins).toEqual(["https://shop.example"]);
    expect(view.materials.map((m) => m.id).sort()).toEqual([shop.plaId, shop.resinId].sort());
    expect(view.shippingOptions.map((o) => o.name)).toEqual(["Standard", "Express"]);
    await expect(getEmbedShop(handle.db, "other-shop", T0)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getEmbedShop(handle.db, "no-such-shop", T0)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getEmbedShop(handle.db, "../etc", T0)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("guest quote and order", () => {
  it("uploads, prices the shop's materials, stores a quote and places a guest order that becomes a job once paid", async () => {
    const up = await upload(sessionA);
    const options = await embedOptions(
      handle.db,
      { slug: "widget-shop", uploadSessionId: sessionA, uploadId: up.id, quantity: 2 },
      ip,
      T0,
    );
    // The default material of the widget comes first; every option is this shop's and priced.
    expect(options.options[0]?.materialId).toBe(shop.resinId);
    expect(options.options.every((o) => (o.totalMinor ?? 0) > 0)).toBe(true);
    expect(options.upload.analysis.bbox.size).toMatchObject({ x: 20, y: 10, z: 5 });

    const quote = await widgetQuote(sessionA, up.id, shop.plaId, 2);
    expect(quote.organizationId).toBe(shop.organizationId);
    expect(quote.totalMinor).toBe(quote.breakdown.totalMinor);

    // Bad input changes nothing.
    const ordersBefore = await handle.db.selectFrom("marketplaceOrder").select("id").execute();
    await expect(widgetCheckout(sessionA, quote.id, { email: "not-an-email" })).rejects.toThrow(
      /valid email/,
    );
    await expect(
      widgetCheckout(sessionA, quote.id, { email: "gwen@example.test", shippingOption: "Teleport" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The shop's options deliver to its own country only: another country is refused, nothing stored.
    await expect(
      widgetCheckout(sessionA, quote.id, {
        email: "gwen@example.test",
        address: { ...address, country: "GB" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("does not deliver") });
    expect(await handle.db.selectFrom("marketplaceOrder").select("id").execute()).toEqual(ordersBefore);

    const placed = await widgetCheckout(sessionA, quote.id, {
      email: "Gwen@Example.test",
      shippingOption: "Express",
    });
    expect(placed.testMode).toBe(true);
    expect(placed.totalMinor).toBe(quote.totalMinor + 1500);
    expect(placed.checkoutUrl).toBe(`/embed/order/${placed.orderId}?token=${placed.token}`);
    const row = await handle.db
      .selectFrom("marketplaceOrder")
      .selectAll()
      .where("id", "=", placed.orderId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      userId: null,
      source: "widget",
      status: "pending_payment",
      customerEmail: "gwen@example.test",
      customerName: "Gwen Guest",
      guestAccessToken: placed.token,
    });
    expect(row.shippingAddress.country).toBe("US");

    // Paid through the same signed webhook event as the marketplace: the shop gets a job on its board.
    const signed = await env.payments.completeCheckout(row.checkoutSessionId ?? "");
    const result = await handleStripeWebhook(handle.db, env.services, signed.payload, signed.signature, T0);
    expect(result.status).toBe(200);
    const job = await handle.db
      .selectFrom("job")
      .select(["organizationId", "status", "title"])
      .where("orderId", "=", placed.orderId)
      .executeTakeFirstOrThrow();
    expect(job.organizationId).toBe(shop.organizationId);
    const guestView = await getGuestOrder(
      handle.db,
      notifying(env.services),
      { orderId: placed.orderId, token: placed.token },
      T0,
    );
    expect(guestView).toMatchObject({ status: "paid", paid: true, shop: { name: "Widget Shop" } });
    expect(guestView.lines[0]?.quantity).toBe(2);

    // The guest's receipt comes by email with the sign-in-free link; nothing goes to an in-app inbox.
    const mail = await handle.db
      .selectFrom("outboxMessage")
      .select(["subject", "bodyText", "userId"])
      .where("recipient", "=", "gwen@example.test")
      .execute();
    expect(
      mail.some((m) => m.bodyText.includes(`/embed/order/${placed.orderId}?token=${placed.token}`)),
    ).toBe(true);
    expect(mail.every((m) => m.userId === null)).toBe(true);
    const notes = await handle.db
      .selectFrom("customerNotification")
      .select("id")
      .where("orderId", "=", placed.orderId)
      .execute();
    expect(notes).toEqual([]);

    // The shop can message the guest (email only; no account to notify in the app).
    await sendMessage(
      handle.db,
      notifying(env.services),
      { side: "shop", organizationId: shop.organizationId, userId: shop.owner.userId },
      { orderId: placed.orderId, body: "Which colour exactly?" },
      T0,
    );
    const messages = await handle.db
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("recipient", "=", "gwen@example.test")
      .execute();
    const shopMessage = messages.find((m) => m.bodyText.includes("Which colour exactly?"));
    expect(shopMessage?.bodyText).toContain(`/embed/order/${placed.orderId}?token=${placed.token}`);

    // Wrong or missing token, or a token on someone else's order: NOT_FOUND.
    for (const token of [`${placed.token.slice(0, -1)}x`, "guessed-token-000000000000"]) {
      await expect(
        getGuestOrder(handle.db, notifying(env.services), { orderId: placed.orderId, token }, T0),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("with Stripe the guest pays on Stripe's page and comes back to the order's token link", async () => {
    const up = await upload(sessionA, "stripe.stl");
    const quote = await widgetQuote(sessionA, up.id, shop.plaId);
    const calls: Parameters<PaymentsService["createCheckout"]>[0][] = [];
    // The payments interface as the Stripe adapter presents it (its HTTP is tested in @ktizo/services).
    const stripe: Pick<PaymentsService, "createCheckout" | "provider" | "platformFeeBps"> = {
      provider: "stripe",
      platformFeeBps: 500,
      createCheckout: async (input) => {
        calls.push(input);
        return { sessionId: "cs_test_widget", url: "https://checkout.stripe.example/c/pay/cs_test_widget" };
      },
    };
    const placed = await widgetCheckout(
      sessionA,
      quote.id,
      { email: "sam@example.test" },
      stripe,
      "https://ktizo.example/",
    );
    expect(placed).toMatchObject({
      testMode: false,
      checkoutUrl: "https://checkout.stripe.example/c/pay/cs_test_widget",
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      orderId: placed.orderId,
      amountMinor: quote.totalMinor + 500,
      customerEmail: "sam@example.test",
      successUrl: `https://ktizo.example/embed/order/${placed.orderId}?token=${placed.token}&paid=1`,
      cancelUrl: `https://ktizo.example/embed/order/${placed.orderId}?token=${placed.token}`,
    });
    const row = await handle.db
      .selectFrom("marketplaceOrder")
      .select(["checkoutSessionId", "status", "platformFeeMinor"])
      .where("id", "=", placed.orderId)
      .executeTakeFirstOrThrow();
    // The same payment terms as a marketplace order (platform fee recorded on the order).
    expect(row).toEqual({
      checkoutSessionId: "cs_test_widget",
      status: "pending_payment",
      platformFeeMinor: platformFee(placed.totalMinor, 500),
    });
  });

  it("another guest session, another shop's quote, or an off widget answers NOT_FOUND and stores nothing", async () => {
    const up = await upload(sessionA, "mine.stl");
    const quote = await widgetQuote(sessionA, up.id, shop.plaId);
    const quotesBefore = await handle.db.selectFrom("marketplaceQuote").select("id").execute();
    await expect(
      embedOptions(handle.db, { slug: "widget-shop", uploadSessionId: sessionB, uploadId: up.id }, ip, T0),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(widgetQuote(sessionB, up.id, shop.plaId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Another shop's material is not on offer here.
    await expect(widgetQuote(sessionA, up.id, other.plaId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(widgetCheckout(sessionB, quote.id, { email: "thief@example.test" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      embedOptions(handle.db, { slug: "other-shop", uploadSessionId: sessionA, uploadId: up.id }, ip, T0),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await handle.db.selectFrom("marketplaceQuote").select("id").execute()).toEqual(quotesBefore);
  });

  it("continue on Ktizo: a copy for the visitor's own session or account, only with the guest's session id", async () => {
    const up = await upload("widget-guest-session-cccccccc", "carry.stl");
    await expect(
      copyEmbedUpload(
        handle.db,
        env.services.storage,
        "widget-guest-session-dddddddd",
        { userId: null, uploadSessionId: "marketplace-session-00000001" },
        up.id,
        T0,
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const copy = await copyEmbedUpload(
      handle.db,
      env.services.storage,
      "widget-guest-session-cccccccc",
      { userId: null, uploadSessionId: "marketplace-session-00000001" },
      up.id,
      T0,
    );
    expect(copy.uploadId).not.toBe(up.id);
    const rows = await handle.db
      .selectFrom("modelUpload")
      .select(["id", "uploadSessionId", "storageKey", "fileName"])
      .where("id", "in", [up.id, copy.uploadId])
      .execute();
    const original = rows.find((r) => r.id === up.id);
    const copied = rows.find((r) => r.id === copy.uploadId);
    // The widget keeps its upload; the copy has its own file under the visitor's session.
    expect(original?.uploadSessionId).toBe("widget-guest-session-cccccccc");
    expect(copied).toMatchObject({ uploadSessionId: "marketplace-session-00000001", fileName: "carry.stl" });
    expect(copied?.storageKey).not.toBe(original?.storageKey);
    expect((await env.services.storage.get(copied?.storageKey ?? ""))?.bytes.byteLength).toBeGreaterThan(0);
    const mine = await copyEmbedUpload(
      handle.db,
      env.services.storage,
      "widget-guest-session-cccccccc",
      { userId: shop.owner.userId },
      up.id,
      T0,
    );
    const owned = await handle.db
      .selectFrom("modelUpload")
      .select(["userId", "uploadSessionId"])
      .where("id", "=", mine.uploadId)
      .executeTakeFirstOrThrow();
    expect(owned).toEqual({ userId: shop.owner.userId, uploadSessionId: null });
  });
});

describe("rate limits", () => {
  it("limits uploads per shop and client IP; another IP and the next window are not affected", async () => {
    const { limit } = RATE_LIMITS.embedUpload;
    const clientIp = "198.51.100.20";
    for (let i = 0; i < limit; i++) {
      await upload(`widget-rate-session-${String(i).padStart(8, "0")}`, "r.stl", clientIp);
    }
    const before = await handle.db.selectFrom("modelUpload").select("id").execute();
    await expect(upload("widget-rate-session-overflow", "r.stl", clientIp)).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/Too many uploads .* Try again in \d+ minutes?/),
    });
    expect(await handle.db.selectFrom("modelUpload").select("id").execute()).toEqual(before);
    await expect(upload("widget-rate-session-otherip", "r.stl", "198.51.100.21")).resolves.toMatchObject({
      fileName: "r.stl",
    });
  });

  it("counts in fixed windows, atomically, per key", async () => {
    const { limit, windowMs } = RATE_LIMITS.embedQuote;
    const start = new Date(Math.floor(T0.getTime() / windowMs) * windowMs);
    const results = await Promise.all(
      Array.from({ length: limit + 5 }, () =>
        hitRateLimit(handle.db, "embedQuote", ["org_x", "ip_x"], start),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(limit);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: limit + 5 }, (_, i) => i + 1),
    );
    const later = await hitRateLimit(
      handle.db,
      "embedQuote",
      ["org_x", "ip_x"],
      new Date(start.getTime() + windowMs),
    );
    expect(later).toMatchObject({ allowed: true, count: 1 });
    const otherKey = await hitRateLimit(handle.db, "embedQuote", ["org_y", "ip_x"], start);
    expect(otherKey).toMatchObject({ allowed: true, count: 1 });
  });

  it("counts the first requests of a key that arrive together, none refused by the database", async () => {
    // The table has two unique indexes with the same value (better-auth's id and key): an upsert that
    // resolved conflicts on one made the other a unique violation when first requests raced.
    const { windowMs } = RATE_LIMITS.embedQuote;
    const start = new Date(Math.floor(T0.getTime() / windowMs) * windowMs);
    const keys = Array.from({ length: 60 }, (_, k) => `race_${k}`);
    const results = await Promise.allSettled(
      keys.flatMap((k) =>
        Array.from({ length: 4 }, () => hitRateLimit(handle.db, "embedQuote", [k, "ip_race"], start)),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const counts = results.map((r) => (r as PromiseFulfilledResult<{ count: number }>).value.count);
    for (let k = 0; k < keys.length; k++) {
      expect(counts.slice(k * 4, k * 4 + 4).sort()).toEqual([1, 2, 3, 4]);
    }
  });
});
