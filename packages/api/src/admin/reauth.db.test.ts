import { hashPassword } from "@ktizo/auth";
import { type Database, type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, isTestModePayments, type Services } from "@ktizo/services";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertSession } from "../testing/account-support.ts";
import { insertPaidTestOrder } from "../testing/admin-support.ts";
import {
  callerFor,
  createTestOrganization,
  createTestUser,
  type TestActor,
  testServices,
} from "../testing/index.ts";

let handle: DbHandle;
let db: Database;
let admin: TestActor;
let services: Services;
let orderId = "";
const NOW = new Date("2026-05-01T12:00:00Z");

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  admin = await createTestUser(db, { name: "Ada Admin", platformRole: "admin" });
  await db
    .insertInto("account")
    .values({
      id: newId("acc"),
      userId: admin.userId,
      accountId: admin.userId,
      providerId: "credential",
      password: await hashPassword("correct horse battery"),
    })
    .execute();
  await insertSession(db, admin);
  services = testServices(db, fixedClock(NOW));
  if (!isTestModePayments(services.payments)) throw new Error("expected test-mode payments");
  const shop = await createTestOrganization(db, await createTestUser(db, { name: "Owner" }));
  orderId = (
    await insertPaidTestOrder(db, services.payments, {
      organizationId: shop.organizationId,
      totalMinor: 3000,
      createdAt: NOW,
    })
  ).id;
});
afterAll(() => handle.close());

async function signedInAt(at: Date) {
  await db.updateTable("session").set({ createdAt: at }).where("id", "=", admin.session.sessionId).execute();
}

const caller = () => callerFor(handle, admin, { services, clock: fixedClock(NOW) });
const refund = (password?: string) =>
  caller().admin.orders.refund({
    orderId,
    mode: "partial",
    amount: "1.00",
    reason: "Re-auth test",
    requestKey: `reauth-${Math.random().toString(36).slice(2, 10)}`,
    ...(password === undefined ? {} : { password }),
  });

describe("re-authentication for destructive admin actions", () => {
  it("lets an admin who signed in within 15 minutes through without a password", async () => {
    await signedInAt(new Date(NOW.getTime() - 14 * 60_000));
    expect(await caller().admin.session.reauth()).toEqual({ required: false });
    await expect(refund()).resolves.toMatchObject({ status: "succeeded" });
  });

  it("asks for the password after 15 minutes; a wrong one is refused and audited; the right one goes through", async () => {
    await signedInAt(new Date(NOW.getTime() - 16 * 60_000));
    expect(await caller().admin.session.reauth()).toEqual({ required: true });
    const before = await db.selectFrom("orderRefund").select("id").execute();
    const missing = await refund().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TRPCError);
    expect((missing as TRPCError).code).toBe("PRECONDITION_FAILED");
    expect((missing as TRPCError).message).toContain("Enter your password again");
    await expect(refund("wrong password")).rejects.toThrow("That password is not right");
    expect(await db.selectFrom("orderRefund").select("id").execute()).toEqual(before);
    const failed = await db
      .selectFrom("auditLog")
      .select("action")
      .where("action", "=", "admin.reauth.failed")
      .execute();
    expect(failed).toHaveLength(1);
    await expect(refund("correct horse battery")).resolves.toMatchObject({ status: "succeeded" });
    // Unlisting and disabling a user ask the same; retrying a job (not destructive) does not.
    await expect(
      caller().admin.shops.moderate({ organizationId: "org_x", action: "unlist", reason: "x" }),
    ).rejects.toThrow("Enter your password again");
    await expect(
      caller().admin.users.setDisabled({ userId: admin.userId, disabled: true, reason: "x" }),
    ).rejects.toThrow("Enter your password again");
  });
});
