import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getShopPage, searchShops } from "../marketplace/search.ts";
import { updateShopProfile } from "../shop/profile.ts";
import { createTestUser, type TestActor } from "../testing/index.ts";
import { listedShop, marketplaceServices } from "../testing/marketplace-fixtures.ts";
import { listShopsInput, moderateShopInput } from "./schemas.ts";
import { getShop, listShops, moderateShop, verifyShop } from "./shops.ts";

let handle: DbHandle;
let db: Database;
let admin: TestActor;
let env: ReturnType<typeof marketplaceServices>;
let alpha: Awaited<ReturnType<typeof listedShop>>;
let beta: Awaited<ReturnType<typeof listedShop>>;
const T = new Date("2026-03-10T10:00:00Z");

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  env = marketplaceServices(db);
  admin = await createTestUser(db, { name: "Ada Admin", platformRole: "admin" });
  alpha = await listedShop(db, "Alpha Prints", "alpha-prints");
  beta = await listedShop(db, "Beta Works", "beta-works");
  await db
    .insertInto("shopPaymentAccount")
    .values({ organizationId: alpha.organizationId, stripeAccountId: "acct_alpha", chargesEnabled: true })
    .execute();
});
afterAll(() => handle.close());

const names = async (input: Record<string, unknown>) =>
  (await listShops(db, listShopsInput.parse(input))).items.map((s) => s.name);

describe("admin shops", () => {
  it("lists shops by name and filter, and shows a shop with its members, printers and payouts", async () => {
    expect(await names({ q: "prints" })).toEqual(["Alpha Prints"]);
    expect(await names({ filter: "stripe_ready" })).toEqual(["Alpha Prints"]);
    expect((await names({ filter: "listed" })).sort()).toEqual(["Alpha Prints", "Beta Works"]);
    expect(await names({ filter: "flagged" })).toEqual([]);
    const shop = await getShop(db, alpha.organizationId);
    expect(shop).toMatchObject({
      name: "Alpha Prints",
      chargesEnabled: true,
      stripeAccountId: "acct_alpha",
      verified: false,
    });
    expect(shop.members.map((m) => m.role)).toEqual(["owner"]);
    expect(shop.printers.length).toBeGreaterThan(0);
    await expect(getShop(db, "org_missing")).rejects.toThrow("No such shop");
  });

  it("unlists with a reason the shop is emailed; the shop cannot list itself again until relisted", async () => {
    const input = moderateShopInput.parse({
      organizationId: beta.organizationId,
      action: "unlist",
      reason: "Counterfeit parts reported",
    });
    const held = await moderateShop(db, env.services, input, admin.userId, T);
    expect(held).toMatchObject({ listed: false, holdReason: "Counterfeit parts reported" });
    await expect(moderateShop(db, env.services, input, admin.userId, T)).rejects.toThrow("already unlisted");
    expect((await searchShops(db, {})).items.map((s) => s.name)).toEqual(["Alpha Prints"]);
    expect(await names({ filter: "flagged" })).toEqual(["Beta Works"]);

    await expect(
      updateShopProfile(
        db,
        { organizationId: beta.organizationId, userId: beta.owner.userId },
        { listed: true },
        T,
      ),
    ).rejects.toThrow("The Ktizo team unlisted this shop (Counterfeit parts reported)");

    const mail = await db
      .selectFrom("outboxMessage")
      .select(["recipient", "bodyText"])
      .where("subject", "=", "Your shop was unlisted from the marketplace")
      .execute();
    expect(mail).toEqual([
      { recipient: beta.owner.email, bodyText: expect.stringContaining("Counterfeit parts reported") },
    ]);

    const relisted = await moderateShop(
      db,
      env.services,
      { organizationId: beta.organizationId, action: "relist", reason: "Checked with the shop" },
      admin.userId,
      T,
    );
    expect(relisted).toMatchObject({ listed: true, holdReason: null });
    const audit = (await getShop(db, beta.organizationId)).audit.map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(["admin.shop.unlisted", "admin.shop.relisted"]));
  });

  it("verifies only a shop whose Stripe account takes charges", async () => {
    await expect(
      verifyShop(db, { organizationId: beta.organizationId, verified: true }, admin.userId, T),
    ).rejects.toThrow("Stripe account takes charges");
    await verifyShop(db, { organizationId: alpha.organizationId, verified: true }, admin.userId, T);
    expect(await names({ filter: "verified" })).toEqual(["Alpha Prints"]);
    // The marketplace shows the mark: on the directory and on the shop's page.
    const directory = (await searchShops(db, {})).items.map((s) => [s.name, s.verified]);
    expect(directory.sort()).toEqual([
      ["Alpha Prints", true],
      ["Beta Works", false],
    ]);
    expect((await getShopPage(db, "alpha-prints")).verified).toBe(true);
    // Charges switched off at Stripe: the mark goes with them.
    await db
      .updateTable("shopPaymentAccount")
      .set({ chargesEnabled: false })
      .where("organizationId", "=", alpha.organizationId)
      .execute();
    expect((await getShopPage(db, "alpha-prints")).verified).toBe(false);
  });
});
