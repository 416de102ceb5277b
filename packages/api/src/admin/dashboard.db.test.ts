import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOrder, insertQuote } from "../testing/admin-support.ts";
import { createTestUser } from "../testing/index.ts";
import { shopFixture } from "../testing/shop-fixtures.ts";
import { periodStarts, platformDashboard } from "./dashboard.ts";
import { dashboardInput } from "./schemas.ts";

/**
 * The dashboard's figures against a seeded fortnight with known totals (2026-03-02, a Monday, to
 * 2026-03-15), plus rows just outside it that must not count.
 */
let handle: DbHandle;
const at = (day: string, time = "12:00:00") => new Date(`2026-03-${day}T${time}Z`);
const NOW = at("15", "18:00:00");

beforeAll(async () => {
  handle = await createTestDb();
  const db = handle.db;
  const a = await shopFixture(db, "Alpha Prints");
  const b = await shopFixture(db, "Beta Prints");
  // Fixture users were created "now": move them out of the range, then add sign-ups at known days.
  await db
    .updateTable("user")
    .set({ createdAt: new Date("2025-01-01T00:00:00Z") })
    .execute();
  const signups: [string, string][] = [
    ["02", "00:00:00"],
    ["02", "10:00:00"],
    ["02", "23:59:59"],
    ["05", "12:00:00"],
    ["10", "08:00:00"],
    ["10", "09:00:00"],
  ];
  for (const [day, time] of signups) {
    const u = await createTestUser(db);
    await db
      .updateTable("user")
      .set({ createdAt: at(day, time) })
      .where("id", "=", u.userId)
      .execute();
  }
  const outside = await createTestUser(db);
  await db
    .updateTable("user")
    .set({ createdAt: at("16", "00:00:00") })
    .where("id", "=", outside.userId)
    .execute();
  const before = await createTestUser(db);
  await db
    .updateTable("user")
    .set({ createdAt: at("01", "23:59:59") })
    .where("id", "=", before.userId)
    .execute();

  for (let i = 0; i < 4; i++) await insertQuote(db, a, at("02"));
  for (let i = 0; i < 2; i++) await insertQuote(db, a, at("09"));
  for (let i = 0; i < 2; i++) await insertQuote(db, b, at("03"));
  await insertQuote(db, b, at("20"));

  const o1 = await insertOrder(db, {
    organizationId: a.organizationId,
    totalMinor: 10_000,
    platformFeeMinor: 500,
    createdAt: at("02", "09:00:00"),
    paidAt: at("02", "09:05:00"),
  });
  await insertOrder(db, {
    organizationId: a.organizationId,
    totalMinor: 2_000,
    platformFeeMinor: 100,
    createdAt: at("02", "23:00:00"),
    paidAt: at("03", "00:10:00"),
  });
  await insertOrder(db, {
    organizationId: b.organizationId,
    currency: "eur",
    totalMinor: 5_000,
    platformFeeMinor: 250,
    createdAt: at("09"),
    paidAt: at("09"),
  });
  // Not counted: never paid, and paid after the range.
  await insertOrder(db, { organizationId: b.organizationId, totalMinor: 700, createdAt: at("04") });
  await insertOrder(db, {
    organizationId: b.organizationId,
    totalMinor: 900,
    platformFeeMinor: 45,
    createdAt: at("15"),
    paidAt: at("16", "00:00:01"),
  });

  for (const [status, day] of [
    ["paid", "02"],
    ["partially_refunded", "04"],
    ["partially_refunded", "04"],
    ["refunded", "05"],
  ] as const) {
    await db
      .insertInto("orderEvent")
      .values({ id: newId("oev"), orderId: o1.id, status, note: null, createdAt: at(day) })
      .execute();
  }
  await db
    .insertInto("orderRefund")
    .values({
      id: newId("orf"),
      orderId: o1.id,
      requestKey: "k1",
      amountMinor: 1_000,
      currency: "usd",
      reason: "Late",
      status: "succeeded",
      createdAt: at("04"),
      settledAt: at("04"),
    })
    .execute();
  await db
    .insertInto("paymentDispute")
    .values({
      id: "dp_1",
      orderId: o1.id,
      amountMinor: 5_000,
      currency: "eur",
      reason: "fraudulent",
      status: "needs_response",
      lastEventType: "charge.dispute.created",
      createdAt: at("10"),
      updatedAt: at("10"),
    })
    .execute();
});
afterAll(() => handle.close());

describe("platformDashboard", () => {
  it("counts each figure per day from SQL aggregates, with empty days at zero", async () => {
    const d = await platformDashboard(
      handle.db,
      dashboardInput.parse({ from: "2026-03-02", to: "2026-03-15" }),
      NOW,
    );
    expect(d.periods).toHaveLength(14);
    const day = (n: string) => d.periods.find((p) => p.start === `2026-03-${n}`);
    expect(day("02")).toEqual({
      start: "2026-03-02",
      signups: 3,
      activeShops: 1,
      quotes: 4,
      orders: 1,
      conversionBps: 2_500,
      refunds: 0,
      disputes: 0,
    });
    expect(day("03")).toMatchObject({
      signups: 0,
      activeShops: 2,
      quotes: 2,
      orders: 1,
      conversionBps: 5_000,
    });
    expect(day("04")).toMatchObject({ refunds: 1, orders: 0, conversionBps: null });
    expect(day("05")).toMatchObject({ signups: 1, refunds: 1 });
    expect(day("09")).toMatchObject({ activeShops: 2, quotes: 2, orders: 1 });
    expect(day("10")).toMatchObject({ signups: 2, disputes: 1 });
    expect(day("15")).toMatchObject({ signups: 0, quotes: 0, orders: 0 });
    expect(d.totals).toEqual({
      signups: 6,
      activeShops: 2,
      quotes: 8,
      orders: 3,
      conversionBps: 3_750,
      refunds: 2,
      disputes: 1,
    });
    expect(d.money.map((m) => [m.currency, m.totals])).toEqual([
      ["eur", { grossMinor: 5_000, feesMinor: 250, refundedMinor: 0 }],
      ["usd", { grossMinor: 12_000, feesMinor: 600, refundedMinor: 1_000 }],
    ]);
    const usd = d.money.find((m) => m.currency === "usd");
    expect(usd?.periods.find((p) => p.start === "2026-03-03")).toEqual({
      start: "2026-03-03",
      grossMinor: 2_000,
      feesMinor: 100,
      refundedMinor: 0,
    });
  });

  it("groups by ISO week (Monday start), counting an order refunded twice in one week once", async () => {
    const d = await platformDashboard(
      handle.db,
      dashboardInput.parse({ bucket: "week", from: "2026-03-04", to: "2026-03-15" }),
      NOW,
    );
    expect(d.periods).toEqual([
      {
        start: "2026-03-02",
        signups: 4,
        activeShops: 2,
        quotes: 6,
        orders: 2,
        conversionBps: 3_333,
        refunds: 1,
        disputes: 0,
      },
      {
        start: "2026-03-09",
        signups: 2,
        activeShops: 2,
        quotes: 2,
        orders: 1,
        conversionBps: 5_000,
        refunds: 0,
        disputes: 1,
      },
    ]);
    expect(d.money.map((m) => [m.currency, m.periods.map((p) => p.grossMinor)])).toEqual([
      ["eur", [0, 5_000]],
      ["usd", [12_000, 0]],
    ]);
  });

  it("defaults to the 30 days ending today (the clock's) and refuses a reversed or too long range", async () => {
    const d = await platformDashboard(handle.db, dashboardInput.parse({}), NOW);
    expect([d.from, d.to, d.periods.length]).toEqual(["2026-02-14", "2026-03-15", 30]);
    await expect(
      platformDashboard(handle.db, dashboardInput.parse({ from: "2026-03-10", to: "2026-03-01" }), NOW),
    ).rejects.toThrow("The start is after the end");
    await expect(
      platformDashboard(handle.db, dashboardInput.parse({ from: "2020-01-01", to: "2026-03-01" }), NOW),
    ).rejects.toThrow("at most 400 days");
    expect(dashboardInput.safeParse({ from: "03/01/2026" }).success).toBe(false);
    expect(dashboardInput.safeParse({ bucket: "month" }).success).toBe(false);
  });

  it("lists every period of the range, weeks starting on Monday", () => {
    expect(periodStarts(new Date("2026-03-04T00:00:00Z"), new Date("2026-03-16T00:00:00Z"), "week")).toEqual([
      "2026-03-02",
      "2026-03-09",
      "2026-03-16",
    ]);
  });
});
