import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { isTestModePayments, type Services } from "@ktizo/services";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertSession, stateSnapshot } from "../testing/account-support.ts";
import { insertPaidTestOrder } from "../testing/admin-support.ts";
import {
  callerFor,
  createTestOrganization,
  createTestUser,
  listProcedures,
  type TestActor,
  testServices,
  uncoveredProcedures,
} from "../testing/index.ts";
import { adminRouter } from "./router.ts";

/**
 * Every admin procedure is NOT_FOUND to everyone but platform admins (signed out, a customer, a shop
 * owner), with no side effect; platform admins get through.
 */
let handle: DbHandle;
let db: Database;
let admin: TestActor;
let customer: TestActor;
let shopOwner: TestActor;
let outboxId = "";
let orderId = "";
let shopId = "";
let services: Services;

type Caller = ReturnType<typeof callerFor>;
/** `adminGets`: what an admin gets when the call cannot succeed here (past the access tier all the same). */
const cases: {
  path: string;
  call: (c: Caller) => Promise<unknown>;
  adminGets?: "CONFLICT" | "PRECONDITION_FAILED";
}[] = [
  { path: "admin.session.reauth", call: (c) => c.admin.session.reauth() },
  { path: "admin.shops.list", call: (c) => c.admin.shops.list({ filter: "listed" }) },
  { path: "admin.shops.get", call: (c) => c.admin.shops.get({ organizationId: shopId }) },
  {
    path: "admin.shops.moderate",
    call: (c) => c.admin.shops.moderate({ organizationId: shopId, action: "unlist", reason: "Access test" }),
  },
  {
    // The shop has no Stripe account: an admin is told it cannot be verified.
    path: "admin.shops.verify",
    call: (c) => c.admin.shops.verify({ organizationId: shopId, verified: true }),
    adminGets: "CONFLICT",
  },
  { path: "admin.audit.search", call: (c) => c.admin.audit.search({ action: "admin" }) },
  { path: "admin.audit.export", call: (c) => c.admin.audit.export({}) },
  { path: "admin.jobs.queues", call: (c) => c.admin.jobs.queues() },
  { path: "admin.jobs.list", call: (c) => c.admin.jobs.list({ state: "failed" }) },
  {
    // No pg-boss tables in this database: the admin is told there is no background work yet.
    path: "admin.jobs.act",
    call: (c) =>
      c.admin.jobs.act({
        queue: "privacy-purge",
        id: "0190a2b4-7c3d-7e8f-9a0b-1c2d3e4f5a6b",
        action: "retry",
      }),
    adminGets: "CONFLICT",
  },
  { path: "admin.dashboard.get", call: (c) => c.admin.dashboard.get({ bucket: "week" }) },
  { path: "admin.dashboard.plans", call: (c) => c.admin.dashboard.plans() },
  { path: "admin.webhooks.list", call: (c) => c.admin.webhooks.list({ outcome: "failed" }) },
  { path: "admin.sms.senders", call: (c) => c.admin.sms.senders() },
  {
    path: "admin.sms.simulateInbound",
    call: (c) =>
      c.admin.sms.simulateInbound({ organizationId: "org_access_test", from: "+447911123456", body: "YES" }),
    // No such shop with an SMS number here: past the tier, refused by the workflow.
    adminGets: "PRECONDITION_FAILED",
  },
  { path: "admin.webhooks.replay", call: (c) => c.admin.webhooks.replay({ id: "whe_access_test" }) },
  { path: "admin.orders.list", call: (c) => c.admin.orders.list({ q: "cora" }) },
  { path: "admin.orders.get", call: (c) => c.admin.orders.get({ orderId }) },
  {
    path: "admin.orders.refund",
    call: (c) =>
      c.admin.orders.refund({
        orderId,
        mode: "partial",
        amount: "1.00",
        reason: "Access test",
        requestKey: "access-test-key",
      }),
  },
  { path: "admin.users.list", call: (c) => c.admin.users.list({ search: "example" }) },
  {
    path: "admin.users.setDisabled",
    call: (c) =>
      c.admin.users.setDisabled({ userId: customer.userId, disabled: true, reason: "Testing access" }),
  },
  { path: "admin.organizations.list", call: (c) => c.admin.organizations.list({}) },
  { path: "admin.outbox.list", call: (c) => c.admin.outbox.list({ channel: "email" }) },
  { path: "admin.outbox.get", call: (c) => c.admin.outbox.get({ id: outboxId }) },
  { path: "admin.paymentMismatches.list", call: (c) => c.admin.paymentMismatches.list({}) },
  { path: "admin.support.status", call: (c) => c.admin.support.status({ organizationId: shopId }) },
  // The shop granted support access (beforeAll): the admin opens its workspace, records a page, leaves.
  { path: "admin.support.open", call: (c) => c.admin.support.open({ organizationId: shopId }) },
  { path: "admin.support.current", call: (c) => c.admin.support.current() },
  { path: "admin.support.recordView", call: (c) => c.admin.support.recordView({ path: "/org" }) },
  { path: "admin.support.leave", call: (c) => c.admin.support.leave() },
  {
    // Last: the admin's call cancels the shop.
    path: "admin.shops.cancel",
    call: (c) =>
      c.admin.shops.cancel({ organizationId: shopId, confirmSlug: "access-shop", reason: "Access test" }),
  },
];

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  admin = await createTestUser(db, { name: "Admin", platformRole: "admin" });
  // Signed in just now: destructive actions do not ask for the password again.
  await insertSession(db, admin);
  customer = await createTestUser(db, { name: "Customer" });
  await insertSession(db, customer);
  const shop = await createTestOrganization(db, await createTestUser(db, { name: "Shop Owner" }), {
    slug: "access-shop",
  });
  shopOwner = shop.owner;
  shopId = shop.organizationId;
  await db.insertInto("shopSettings").values({ organizationId: shopId, listed: true }).execute();
  await db
    .insertInto("supportGrant")
    .values({
      id: "sgr_access",
      organizationId: shopId,
      grantedByUserId: shopOwner.userId,
      grantedByName: "Shop Owner",
      expiresAt: new Date(Date.now() + 24 * 3_600_000),
    })
    .execute();
  // One set of services for every caller: the paid order's simulated payment lives in its memory.
  services = testServices(db);
  if (!isTestModePayments(services.payments)) throw new Error("expected test-mode payments");
  orderId = (
    await insertPaidTestOrder(db, services.payments, {
      organizationId: shop.organizationId,
      totalMinor: 5000,
      createdAt: new Date(),
    })
  ).id;
  await insertSession(db, shopOwner);
  await db
    .insertInto("webhookEvent")
    .values({
      id: "whe_access_test",
      provider: "stripe",
      eventId: "evt_access_test",
      eventType: "account.updated",
      signature: "valid",
      outcome: "failed",
      error: "simulated",
      event: JSON.stringify({
        id: "evt_access_test",
        type: "account.updated",
        created: new Date().toISOString(),
        account: null,
        livemode: false,
        data: { id: "acct_nobody", charges_enabled: true },
      }),
    })
    .execute();
  outboxId = (
    await db
      .insertInto("outboxMessage")
      .values({
        channel: "email",
        category: "service",
        template: "verify-email",
        recipient: customer.email,
        subject: "Confirm",
        bodyText: "link",
        provider: "outbox",
        status: "stored",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => handle.close());

describe("admin router access", () => {
  it("has an access case for every procedure, all for platform admins only", () => {
    expect(
      uncoveredProcedures(
        adminRouter,
        cases.map((c) => c.path),
        "admin",
      ),
    ).toEqual([]);
    expect(new Set(listProcedures(adminRouter).map((p) => p.access))).toEqual(new Set(["platformAdmin"]));
  });

  describe.each(cases)("$path", (c) => {
    it.each([
      ["signed out", () => null],
      ["a customer", () => customer],
      ["a shop owner", () => shopOwner],
    ])("is NOT_FOUND for %s, changing nothing", async (_who, actor) => {
      const before = await stateSnapshot(db);
      const error = await c.call(callerFor(handle, actor(), { services })).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("NOT_FOUND");
      expect(await stateSnapshot(db)).toEqual(before);
    });
  });

  it("lets a platform admin through every procedure", async () => {
    const caller = callerFor(handle, admin, { services });
    for (const c of cases) {
      if (c.adminGets) await expect(c.call(caller), c.path).rejects.toMatchObject({ code: c.adminGets });
      else await expect(c.call(caller), c.path).resolves.toBeTruthy();
    }
    const sessions = await db
      .selectFrom("session")
      .select("id")
      .where("userId", "=", customer.userId)
      .execute();
    expect(sessions).toEqual([]);
  });
});
