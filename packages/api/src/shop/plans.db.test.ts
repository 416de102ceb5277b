import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, isTestModePayments, type Services, signTestWebhook } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRevenue } from "../admin/dashboard.ts";
import { insertSession } from "../testing/account-support.ts";
import {
  callerFor,
  createTestOrganization,
  createTestUser,
  type TestActor,
  testServices,
  withActiveOrganization,
} from "../testing/index.ts";
import { handleStripeWebhook } from "../workflows/payment-events.ts";
import { getPublicWidget } from "./public.ts";

/**
 * Shop plans billed by the platform: a new shop starts on Free and meets its limits with a clear message;
 * subscribing through (test-mode) Checkout raises them once Stripe's signed events arrive, each applied
 * once; a failed payment opens a grace period with a service email, after which Free's limits hold; the
 * portal switches and cancels; the admin dashboard's subscribers and MRR are SQL aggregates.
 */
let handle: DbHandle;
let db: Database;
let services: Services;
let owner: TestActor;
let shopId = "";
const T0 = new Date("2026-06-01T09:00:00Z");
const DAY = 86_400_000;
const at = (days: number) => fixedClock(new Date(T0.getTime() + days * DAY));
const as = (actor: TestActor, days = 0) => callerFor(handle, actor, { services, clock: at(days) });
const printer = (name: string) => ({
  name,
  technology: "fdm" as const,
  buildVolumeMm: { x: 200, y: 200, z: 200 },
  hourlyRateMinor: 100,
  materialIds: [],
});

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  services = testServices(db, at(0));
  owner = await createTestUser(db, { name: "Paula Plan", email: "paula@plans.example" });
  await insertSession(db, owner);
  const org = await callerFor(handle, owner, { services }).account.organizations.create({
    name: "Plan Prints",
    companyName: "Plan Prints LLC",
    country: "US",
    currency: "USD",
  });
  shopId = org.id;
  owner = withActiveOrganization(owner, shopId);
});
afterAll(() => handle.close());

describe("shop plans", () => {
  it("starts a new shop on Free and refuses what Free does not allow, with a clear message", async () => {
    const plan = await as(owner).shop.plan.get();
    expect(plan).toMatchObject({ plan: { key: "free" }, subscribedPlan: null, trialAvailable: true });
    await as(owner).shop.printers.create(printer("One"));
    await as(owner).shop.printers.create(printer("Two"));
    await expect(as(owner).shop.printers.create(printer("Three"))).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "The Free plan allows 2 printers. Choose a larger plan on the Plan page of your workspace.",
    });
    await expect(as(owner).shop.widget.update({ enabled: true })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("The quote widget is not part of the Free plan"),
    });
    await expect(as(owner).ai.intakePurchaseOrder({ text: "PO 1: 10 brackets" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("AI features are not part of the Free plan"),
    });
    await as(owner).account.members.invite({ email: "a@plans.example", role: "member" });
    await as(owner).account.members.invite({ email: "b@plans.example", role: "member" });
    await expect(
      as(owner).account.members.invite({ email: "c@plans.example", role: "member" }),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("The Free plan allows 3 team members"),
    });
    expect((await as(owner).shop.plan.get()).usage).toEqual({ printers: 2, seats: 3, widget: false });
    // Founding shops (opened before plans) keep every feature.
    const founding = await createTestOrganization(db, await createTestUser(db), { name: "Founding" });
    expect((await as(founding.owner).shop.plan.get()).plan.key).toBe("founding");
  });

  it("subscribes through Checkout: the signed events raise the limits, each applied once", async () => {
    const { url } = await as(owner).shop.plan.checkout({ plan: "pro" });
    const sessionId = url.split("/").at(-1) ?? "";
    expect(url).toBe(`/org/plan/checkout/${sessionId}`);
    // Nothing changes before the payment.
    expect((await as(owner).shop.plan.get()).plan.key).toBe("free");
    const payments = services.payments;
    if (!isTestModePayments(payments)) throw new Error("expected test mode");
    expect(await as(owner).shop.plan.testCheckout({ sessionId })).toMatchObject({
      plan: "pro",
      trialDays: 14,
    });
    await as(owner).shop.plan.completeTestCheckout({ sessionId });
    const pro = await as(owner).shop.plan.get();
    expect(pro).toMatchObject({
      plan: { key: "pro" },
      subscribedPlan: "pro",
      status: "trialing",
      hasCustomer: true,
    });
    expect(pro.trialEndsAt).toEqual(new Date(T0.getTime() + 14 * DAY));
    await as(owner).shop.printers.create(printer("Three"));
    await as(owner).shop.widget.update({ enabled: true });
    // A second checkout while subscribed goes to the portal instead.
    await expect(as(owner).shop.plan.checkout({ plan: "studio" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await as(owner).shop.plan.portal()).url).toBe("/org/plan/portal");

    // A redelivered event changes nothing.
    const sub = await db
      .selectFrom("shopSubscription")
      .selectAll()
      .where("organizationId", "=", shopId)
      .executeTakeFirstOrThrow();
    const replay = payments.signEvent("customer.subscription.deleted", {
      id: sub.stripeSubscriptionId,
      customer: sub.stripeCustomerId,
      status: "canceled",
      metadata: { organizationId: shopId, plan: "pro" },
    });
    const first = await handleStripeWebhook(db, services, replay.payload, replay.signature, at(1).now());
    expect(first.body.outcome).toBe("applied");
    expect((await as(owner, 1).shop.plan.get()).plan.key).toBe("free");
    // Back to Pro (Stripe's updated event), then the same deleted event again: a duplicate, still Pro.
    await handleStripeWebhook(
      db,
      services,
      ...(Object.values(
        payments.signEvent("customer.subscription.updated", {
          id: sub.stripeSubscriptionId,
          customer: sub.stripeCustomerId,
          status: "active",
          metadata: { organizationId: shopId, plan: "pro" },
          items: { data: [{ price: { unit_amount: 2900, currency: "usd", lookup_key: "pro" } }] },
        }),
      ) as [string, string]),
      at(1).now(),
    );
    const again = await handleStripeWebhook(db, services, replay.payload, replay.signature, at(1).now());
    expect(again.body.outcome).toBe("duplicate");
    expect(await as(owner, 1).shop.plan.get()).toMatchObject({ plan: { key: "pro" }, status: "active" });
  });

  it("keeps the paid plan through the grace period after a failed payment, then falls back to Free", async () => {
    await callerFor(handle, owner, { services, clock: at(20) }).shop.plan.testPortal({
      action: "fail_payment",
    });
    const pastDue = await as(owner, 20).shop.plan.get();
    expect(pastDue).toMatchObject({ plan: { key: "pro" }, status: "past_due" });
    expect(pastDue.graceEndsAt).toEqual(new Date(T0.getTime() + 27 * DAY));
    const mail = await db
      .selectFrom("outboxMessage")
      .select(["recipient", "category", "subject"])
      .where("template", "=", "shop-plan-payment_failed")
      .execute();
    expect(mail).toEqual([
      { recipient: "paula@plans.example", category: "service", subject: "Payment for your Pro plan failed" },
    ]);
    // Still Pro inside the grace period; Free's limits after it.
    await as(owner, 26).shop.widget.update({ enabled: true });
    expect((await as(owner, 28).shop.plan.get()).plan.key).toBe("free");
    await expect(as(owner, 28).shop.printers.create(printer("Four"))).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    // The card is updated and the invoice paid: Pro again.
    await as(owner, 28).shop.plan.testPortal({ action: "pay" });
    expect(await as(owner, 28).shop.plan.get()).toMatchObject({
      plan: { key: "pro" },
      status: "active",
      graceEndsAt: null,
    });
  });

  it("switches and cancels in the portal", async () => {
    await as(owner, 30).shop.plan.testPortal({ action: "switch", plan: "studio" });
    expect((await as(owner, 30).shop.plan.get()).plan).toMatchObject({
      key: "studio",
      limits: { printers: 50 },
    });
    await as(owner, 31).shop.plan.testPortal({ action: "cancel" });
    expect(await as(owner, 31).shop.plan.get()).toMatchObject({
      plan: { key: "free" },
      subscribedPlan: null,
      trialAvailable: false,
    });
  });
});

describe("the widget after a downgrade", () => {
  it("a widget switched on under Pro stops answering once the shop is back on Free", async () => {
    const { slug } = await db
      .selectFrom("organization")
      .select("slug")
      .where("id", "=", shopId)
      .executeTakeFirstOrThrow();
    // Switched on during the Pro trial (above) and still on.
    expect((await as(owner, 31).shop.widget.get()).enabled).toBe(true);
    // The shop is on Free now: the same widget answers NOT_FOUND.
    expect((await as(owner, 31).shop.plan.get()).plan.key).toBe("free");
    await expect(getPublicWidget(db, slug, at(31).now())).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("events out of order", () => {
  it("ignores a subscription event older than the one the plan reflects (Stripe does not promise order)", async () => {
    const payments = services.payments;
    if (!isTestModePayments(payments)) throw new Error("expected test mode");
    const sub = await db
      .selectFrom("shopSubscription")
      .selectAll()
      .where("organizationId", "=", shopId)
      .executeTakeFirstOrThrow();
    expect(sub.stripeEventCreatedAt).not.toBeNull();
    const before = await as(owner, 31).shop.plan.get();
    // Stripe's "updated" to Studio, created an hour before the cancellation already applied, arrives now.
    const stale = JSON.stringify({
      id: "evt_stale_studio",
      object: "event",
      type: "customer.subscription.updated",
      created: Math.floor(sub.stripeEventCreatedAt!.getTime() / 1000) - 3600,
      livemode: false,
      data: {
        object: {
          id: sub.stripeSubscriptionId,
          customer: sub.stripeCustomerId,
          status: "active",
          metadata: { organizationId: shopId, plan: "studio" },
          items: { data: [{ price: { unit_amount: 9900, currency: "usd", lookup_key: "studio" } }] },
        },
      },
    });
    const now = at(31).now();
    const signature = signTestWebhook(stale, payments.webhookSecret, Math.floor(now.getTime() / 1000));
    const result = await handleStripeWebhook(db, services, stale, signature, now);
    expect(result.body.outcome).toBe("ignored");
    expect(await as(owner, 31).shop.plan.get()).toEqual(before);
    expect(before.plan.key).toBe("free");
  });
});

describe("subscribers and monthly recurring revenue", () => {
  it("counts live subscriptions and sums what active and past-due ones bill a month, per currency", async () => {
    const other = await createTestDb();
    try {
      const rows = [
        ["pro", "active", 2_900, "usd"],
        ["pro", "active", 2_900, "usd"],
        ["studio", "past_due", 9_900, "usd"],
        ["pro", "trialing", 2_900, "usd"],
        ["studio", "canceled", 0, "usd"],
        ["pro", "active", 2_500, "eur"],
      ] as const;
      let i = 0;
      for (const [plan, status, amountMinor, currency] of rows) {
        const org = await createTestOrganization(other.db, await createTestUser(other.db), {
          name: `Shop ${i}`,
        });
        await other.db
          .insertInto("shopSubscription")
          .values({
            organizationId: org.organizationId,
            plan,
            status,
            amountMinor,
            currency,
            stripeCustomerId: `cus_${i}`,
            stripeSubscriptionId: `sub_${i}`,
          })
          .execute();
        i++;
      }
      // A shop on Free (no subscription) counts for nothing.
      const free = await createTestOrganization(other.db, await createTestUser(other.db), { name: "Free" });
      await other.db
        .insertInto("shopSubscription")
        .values({ organizationId: free.organizationId, plan: "free", status: "active" })
        .execute();
      expect(await planRevenue(other.db)).toEqual({
        subscribers: 5,
        trialing: 1,
        pastDue: 1,
        byPlan: [
          { plan: "pro", shops: 4 },
          { plan: "studio", shops: 1 },
        ],
        mrr: [
          { currency: "eur", amountMinor: 2_500 },
          { currency: "usd", amountMinor: 15_700 },
        ],
      });
    } finally {
      await other.close();
    }
  });
});
