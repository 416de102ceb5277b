import { mkdtempSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createServices, fixedClock, type Services, signTestWebhook } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedMarketplace } from "../demo/marketplace.ts";
import { addTestMember, callerFor, withActiveOrganization } from "../testing/index.ts";
import {
  cartTestQuote,
  checkoutTestCart,
  customerOf,
  listedShop,
  T0,
  testCustomer,
  uploadTestBox,
} from "../testing/marketplace-fixtures.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { cancelOrder } from "../workflows/order-fulfilment.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import { getMyOrder } from "./customer-orders.ts";
import { getShopOrder } from "./shop-orders.ts";

// The marketplace on the real Stripe adapter (the stripe SDK) pointed at a loopback HTTP server that
// records what it receives: Connect onboarding, the Checkout Session's amount, currency, connected
// account and platform fee (the one stored on the order), and refunds that reverse the transfer.

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

let server: Server;
const received: Received[] = [];
let handle: DbHandle;
let services: Services;
const clock = fixedClock(T0);
// Key-shaped values are assembled at run time (no key-like literals in the source).
const SECRET_KEY = ["sk", "test", "loopbackconnect"].join("_");
const WEBHOOK_SECRET = ["whsec", "loopbackconnect"].join("_");
const FEE_BPS = 750;
let sessions = 0;

function reply(r: Received): { status: number; body: unknown } {
  if (r.method === "POST" && r.path === "/v1/accounts") return { status: 200, body: { id: "acct_loop1" } };
  if (r.method === "GET" && r.path === "/v1/accounts/acct_loop1") {
    // Under review until the account.updated event below says otherwise.
    return { status: 200, body: { id: "acct_loop1", charges_enabled: false, details_submitted: true } };
  }
  if (r.method === "POST" && r.path === "/v1/account_links") {
    return { status: 200, body: { object: "account_link", url: "https://connect.stripe.com/setup/e/x" } };
  }
  if (r.method === "POST" && r.path === "/v1/checkout/sessions") {
    sessions += 1;
    return {
      status: 200,
      body: { id: `cs_loop_${sessions}`, url: `https://checkout.stripe.com/c/pay/cs_loop_${sessions}` },
    };
  }
  if (r.method === "POST" && /^\/v1\/checkout\/sessions\/cs_loop_\d+\/expire$/.test(r.path)) {
    return { status: 200, body: { id: r.path.split("/")[4], object: "checkout.session", status: "expired" } };
  }
  if (
    r.method === "POST" &&
    r.path === "/v1/refunds" &&
    r.form.get("payment_intent") === "pi_loop_declined"
  ) {
    return {
      status: 400,
      body: { error: { type: "invalid_request_error", message: "This charge cannot be refunded" } },
    };
  }
  if (r.method === "POST" && r.path === "/v1/refunds") {
    return { status: 200, body: { id: "re_loop", object: "refund", status: "succeeded" } };
  }
  return { status: 404, body: { error: { type: "invalid_request_error", message: "unknown path" } } };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        method: req.method ?? "GET",
        path: (req.url ?? "/").split("?")[0] ?? "/",
        headers: req.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString("utf8")),
      };
      received.push(r);
      const answer = reply(r);
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  handle = await createTestDb();
  services = createServices({
    settings: {
      KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-connect-")),
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_PLATFORM_FEE_BPS: String(FEE_BPS),
      STRIPE_API_BASE_URL: `http://127.0.0.1:${port}`,
    },
    db: handle.db,
    clock,
  }).services;
});
afterAll(async () => {
  await handle?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Stripe's own signature over an event object (as Stripe would deliver it to the webhook route). */
function deliver(type: string, object: Record<string, unknown>, id: string) {
  const payload = JSON.stringify({
    id,
    object: "event",
    type,
    created: Math.floor(T0.getTime() / 1000),
    livemode: false,
    data: { object },
  });
  const signature = signTestWebhook(payload, WEBHOOK_SECRET, Math.floor(T0.getTime() / 1000));
  return handleStripeWebhook(handle.db, services, payload, signature, T0);
}

async function placeOrder(shop: Awaited<ReturnType<typeof listedShop>>, name: string) {
  const actor = await testCustomer(handle.db, name);
  const upload = await uploadTestBox(
    handle.db,
    services.storage,
    { userId: actor.userId },
    "part.stl",
    [20, 20, 20],
  );
  const customer = customerOf(actor);
  await cartTestQuote(handle.db, customer, shop, upload.id, { quantity: 3 });
  const before = received.length;
  const { orderId, checkoutUrl } = await checkoutTestCart(
    handle.db,
    services.payments,
    customer,
    shop.organizationId,
  );
  const order = await handle.db
    .selectFrom("marketplaceOrder")
    .selectAll()
    .where("id", "=", orderId)
    .executeTakeFirstOrThrow();
  const sessionRequest = received.slice(before).find((r) => r.path === "/v1/checkout/sessions");
  return { customer, order, checkoutUrl, sessionRequest };
}

describe("Stripe Connect and the platform fee (stripe SDK against a loopback API)", () => {
  it("connects the shop, stores the fee on the order and charges it as application_fee_amount", async () => {
    const shop = await listedShop(handle.db, "Connected Prints", "connected-prints", 4);
    await seedMarketplace(handle.db, { shopSlugs: ["connected-prints"] });
    const owner = callerFor(handle, shop.owner, { clock, services });
    expect(await owner.marketplace.shop.paymentAccount()).toEqual({
      connected: false,
      chargesEnabled: false,
      testMode: false,
      platformFeeBps: FEE_BPS,
    });

    // Connect: an Express account (once per organization) and an onboarding link back to the app.
    const before = received.length;
    const link = await owner.marketplace.shop.connectStripe();
    expect(link).toEqual({ url: "https://connect.stripe.com/setup/e/x", testMode: false });
    const [account, accountLink] = received.slice(before);
    expect(account?.headers["idempotency-key"]).toBe(`connect-account-${shop.organizationId}`);
    expect(account?.form.get("type")).toBe("express");
    expect(accountLink?.form.get("account")).toBe("acct_loop1");
    expect(accountLink?.form.get("return_url")).toMatch(/\/org\/payments\?stripe=connected$/);
    expect(accountLink?.form.get("refresh_url")).toMatch(/\/org\/payments\?stripe=refresh$/);
    // Not yet able to take charges: orders would not be transferred to it. Back from onboarding, the
    // page asks Stripe (the account is still under review).
    expect((await owner.marketplace.shop.paymentAccount()).chargesEnabled).toBe(false);
    expect(await owner.marketplace.shop.refreshStripeAccount()).toMatchObject({
      connected: true,
      chargesEnabled: false,
      detailsSubmitted: true,
    });
    expect(received.at(-1)?.path).toBe("/v1/accounts/acct_loop1");
    const enabled = await deliver(
      "account.updated",
      { id: "acct_loop1", charges_enabled: true },
      "evt_acct_1",
    );
    expect(enabled.status).toBe(200);
    expect(await owner.marketplace.shop.paymentAccount()).toMatchObject({
      connected: true,
      chargesEnabled: true,
    });

    const { customer, order, sessionRequest } = await placeOrder(shop, "Fee Payer");
    const fee = Math.floor((order.totalMinor * FEE_BPS) / 10_000);
    expect(fee).toBeGreaterThan(0);
    expect(order).toMatchObject({
      platformFeeBps: FEE_BPS,
      platformFeeMinor: fee,
      connectedAccountId: "acct_loop1",
    });
    expect(sessionRequest?.headers["idempotency-key"]).toBe(`order-${order.id}`);
    expect(sessionRequest?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    const form = sessionRequest?.form;
    expect(form?.get("line_items[0][price_data][unit_amount]")).toBe(String(order.totalMinor));
    expect(form?.get("line_items[0][price_data][currency]")).toBe(order.currency.toLowerCase());
    expect(form?.get("payment_intent_data[application_fee_amount]")).toBe(String(fee));
    expect(form?.get("payment_intent_data[transfer_data][destination]")).toBe("acct_loop1");

    // Paid: the shop's view shows the stored fee and the shop's share (never the account id).
    const paid = await deliver(
      "checkout.session.completed",
      {
        id: order.checkoutSessionId,
        object: "checkout.session",
        metadata: { orderId: order.id },
        amount_total: order.totalMinor,
        currency: order.currency.toLowerCase(),
        payment_intent: "pi_loop_1",
        payment_status: "paid",
      },
      "evt_paid_1",
    );
    expect(paid.body.outcome).toBe("applied");
    const shopView = await getShopOrder(handle.db, shop.organizationId, order.id);
    expect(shopView).toMatchObject({
      platformFeeMinor: fee,
      platformFeeBps: FEE_BPS,
      shopShareMinor: order.totalMinor - fee,
    });
    expect(JSON.stringify(shopView)).not.toContain("acct_loop1");

    // Cancelled before production: the refund takes the transfer back and returns the fee.
    const refundFrom = received.length;
    await cancelOrder(handle.db, services, customer, order.id, T0);
    const refund = received.slice(refundFrom).find((r) => r.path === "/v1/refunds");
    expect(refund?.form.get("payment_intent")).toBe("pi_loop_1");
    expect(refund?.form.get("reverse_transfer")).toBe("true");
    expect(refund?.form.get("refund_application_fee")).toBe("true");
    expect(refund?.headers["idempotency-key"]).toBe(`cancel-${order.id}`);
  });

  it("without a connected account: no transfer or fee in the session, the fee is still recorded", async () => {
    const shop = await listedShop(handle.db, "Unconnected Fab", "unconnected-fab", 4);
    await seedMarketplace(handle.db, { shopSlugs: ["unconnected-fab"] });
    const { customer, order, sessionRequest } = await placeOrder(shop, "Plain Payer");
    expect(order).toMatchObject({
      platformFeeBps: FEE_BPS,
      platformFeeMinor: Math.floor((order.totalMinor * FEE_BPS) / 10_000),
      connectedAccountId: null,
    });
    expect(sessionRequest?.form.get("payment_intent_data[application_fee_amount]")).toBeNull();
    expect(sessionRequest?.form.get("payment_intent_data[transfer_data][destination]")).toBeNull();
    await deliver(
      "checkout.session.completed",
      {
        id: order.checkoutSessionId,
        metadata: { orderId: order.id },
        amount_total: order.totalMinor,
        currency: order.currency.toLowerCase(),
        payment_intent: "pi_loop_2",
        payment_status: "paid",
      },
      "evt_paid_2",
    );
    const refundFrom = received.length;
    await cancelOrder(handle.db, services, customer, order.id, T0);
    const refund = received.slice(refundFrom).find((r) => r.path === "/v1/refunds");
    expect(refund?.form.get("payment_intent")).toBe("pi_loop_2");
    expect(refund?.form.get("reverse_transfer")).toBeNull();
  });

  it("a paid job the shop cancels on its board is refunded in full; a failed refund leaves the order paid", async () => {
    const shop = await listedShop(handle.db, "Cancelling Prints", "cancelling-prints", 4);
    const board = callerFor(handle, shop.owner, { clock, services });
    const pay = async (
      order: { id: string; checkoutSessionId: string | null; totalMinor: number; currency: string },
      pi: string,
    ) =>
      deliver(
        "checkout.session.completed",
        {
          id: order.checkoutSessionId,
          metadata: { orderId: order.id },
          amount_total: order.totalMinor,
          currency: order.currency.toLowerCase(),
          payment_intent: pi,
          payment_status: "paid",
        },
        `evt_${pi}`,
      );
    const jobOf = async (orderId: string) =>
      (
        await handle.db
          .selectFrom("marketplaceOrder")
          .select("jobId")
          .where("id", "=", orderId)
          .executeTakeFirstOrThrow()
      ).jobId ?? "";

    const first = await placeOrder(shop, "Refund Me");
    await pay(first.order, "pi_loop_shopcancel");
    const from = received.length;
    await board.job.changeStatus({ jobId: await jobOf(first.order.id), to: "cancelled" });
    const refund = received.slice(from).find((r) => r.path === "/v1/refunds");
    expect(refund?.form.get("payment_intent")).toBe("pi_loop_shopcancel");
    expect(refund?.headers["idempotency-key"]).toBe(`cancel-${first.order.id}`);
    const view = await getMyOrder(handle.db, notifying(services), first.customer, first.order.id, T0);
    expect(view.status).toBe("cancelled");
    expect(view.timeline.at(-1)).toMatchObject({
      status: "cancelled",
      note: "Cancelled by the shop; your payment is refunded in full",
    });
    // Opening the order again refunds nothing more.
    expect(received.slice(from).filter((r) => r.path === "/v1/refunds")).toHaveLength(1);

    const second = await placeOrder(shop, "Declined Refund");
    await pay(second.order, "pi_loop_declined");
    await expect(
      board.job.changeStatus({ jobId: await jobOf(second.order.id), to: "cancelled" }),
    ).rejects.toThrow(/cannot be refunded/);
    // The job is cancelled on the board, but the order never shows cancelled without its refund.
    const before = received.length;
    expect(
      (await getMyOrder(handle.db, notifying(services), second.customer, second.order.id, T0)).status,
    ).toBe("paid");
    // Opening the order tried the refund again (same idempotency key), and it was refused again.
    const retried = received.slice(before).filter((r) => r.path === "/v1/refunds");
    expect(retried.map((r) => r.headers["idempotency-key"])).toEqual([`cancel-${second.order.id}`]);
  });

  it("cancelling an unpaid order expires its Checkout Session at Stripe first; nothing is refunded", async () => {
    const shop = await listedShop(handle.db, "Expiring Prints", "expiring-prints", 4);
    await seedMarketplace(handle.db, { shopSlugs: ["expiring-prints"] });
    const { customer, order } = await placeOrder(shop, "Changed Mind Early");
    const from = received.length;
    expect(await cancelOrder(handle.db, services, customer, order.id, T0)).toEqual({
      id: order.id,
      status: "cancelled",
    });
    const sent = received.slice(from);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /v1/checkout/sessions/${order.checkoutSessionId}/expire`,
    ]);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    const row = await handle.db
      .selectFrom("marketplaceOrder")
      .select(["status", "refundId"])
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "cancelled", refundId: null });
  });

  it("lets only the owner connect and only admins read the account", async () => {
    const shop = await listedShop(handle.db, "Guarded Prints", "guarded-prints", 4);
    // Someone outside the shop pointing the session at it: NOT_FOUND, nothing sent to Stripe.
    const stranger = await testCustomer(handle.db, "Not A Member");
    const caller = callerFor(handle, withActiveOrganization(stranger, shop.organizationId), {
      clock,
      services,
    });
    const before = received.length;
    await expect(caller.marketplace.shop.connectStripe()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.marketplace.shop.paymentAccount()).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A plain member may not connect the shop's payouts.
    const member = await addTestMember(
      handle.db,
      shop.organizationId,
      await testCustomer(handle.db, "Clerk"),
      "member",
    );
    const memberCaller = callerFor(handle, member, { clock, services });
    await expect(memberCaller.marketplace.shop.connectStripe()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(received.length).toBe(before);
    const row = await handle.db
      .selectFrom("shopPaymentAccount")
      .select("organizationId")
      .where("organizationId", "=", shop.organizationId)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });
});
