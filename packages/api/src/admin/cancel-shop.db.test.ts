import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { systemClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { undoShopCancellation } from "../privacy/shop-cancellation.ts";
import { insertSession } from "../testing/account-support.ts";
import { callerFor, createTestUser, type TestActor, testServices } from "../testing/index.ts";
import { listedShop } from "../testing/marketplace-fixtures.ts";

/**
 * An admin cancels a shop from the console: a destructive action (recent sign-in or the password
 * again), confirmed by typing the shop's URL name, with a reason every member is emailed. The shop stops
 * taking orders at once, its deletion is scheduled, the owner cannot undo it, and it is audited.
 */
let handle: DbHandle;
let db: Database;
let admin: TestActor;
let shop: Awaited<ReturnType<typeof listedShop>>;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  admin = await createTestUser(db, {
    name: "Ada Admin",
    email: "ada-cancel@example.com",
    platformRole: "admin",
  });
  await insertSession(db, admin);
  shop = await listedShop(db, "Gamma Prints", "gamma-prints");
});
afterAll(() => handle.close());

describe("admin cancels a shop", () => {
  it("asks for the password after an old sign-in and for the URL name, then cancels once", async () => {
    const services = testServices(db);
    const caller = callerFor(handle, admin, { services });
    const input = {
      organizationId: shop.organizationId,
      confirmSlug: "gamma-prints",
      reason: "Fraud reports",
    };
    // Signed in an hour ago: the password is asked again, a wrong one refused; nothing changes.
    await db
      .updateTable("session")
      .set({ createdAt: new Date(Date.now() - 3_600_000) })
      .where("id", "=", admin.session.sessionId)
      .execute();
    await expect(caller.admin.shops.cancel(input)).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(caller.admin.shops.cancel({ ...input, password: "not-it" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await db
      .updateTable("session")
      .set({ createdAt: new Date() })
      .where("id", "=", admin.session.sessionId)
      .execute();
    // The wrong URL name is refused beside the field.
    await expect(caller.admin.shops.cancel({ ...input, confirmSlug: "gamma" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(
      await db
        .selectFrom("privacyRequest")
        .select("id")
        .where("organizationId", "=", shop.organizationId)
        .execute(),
    ).toEqual([]);

    const summary = await caller.admin.shops.cancel(input);
    expect(summary).toMatchObject({ cancelling: true, listed: false });
    await expect(caller.admin.shops.cancel(input)).rejects.toMatchObject({ code: "CONFLICT" });

    const audit = await db
      .selectFrom("auditLog")
      .select(["action", "actorUserId", "data"])
      .where("organizationId", "=", shop.organizationId)
      .where("action", "=", "admin.shop.cancelled")
      .execute();
    expect(audit).toEqual([
      {
        action: "admin.shop.cancelled",
        actorUserId: admin.userId,
        data: expect.objectContaining({ reason: "Fraud reports" }),
      },
    ]);
    const mail = await db
      .selectFrom("outboxMessage")
      .select(["bodyText", "category"])
      .where("template", "=", "shop-deletion-scheduled")
      .where("organizationId", "=", shop.organizationId)
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ category: "service" });
    expect(mail[0]?.bodyText).toContain(
      "The Ktizo platform team cancelled Gamma Prints. Reason: Fraud reports",
    );

    // The owner cannot take the platform's cancellation back.
    await expect(
      undoShopCancellation(db, systemClock, {
        organizationId: shop.organizationId,
        userId: shop.owner.userId,
      }),
    ).rejects.toThrow("The platform cancelled this shop");
    const request = await db
      .selectFrom("privacyRequest")
      .select("status")
      .where("organizationId", "=", shop.organizationId)
      .executeTakeFirstOrThrow();
    expect(request.status).toBe("scheduled");
  });
});
