import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "./connect.ts";
import * as m0080 from "./migrations/0080_stock_reservations.ts";
import * as m0081 from "./migrations/0081_stock_from_ledger.ts";
import { createTestDb } from "./testing/index.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

// A database written before 0080, with the double release of issue 18 in it: two 30 g jobs reserved
// 60 g, unscheduling one released 30 g twice, so 0 g is left reserved while job A still holds 30 g.
describe("0080_stock_reservations on existing data", () => {
  it("gives reserved jobs their reservations, reconciles the figures with the ledger, and checks new rows", async () => {
    const db = handle.db;
    const raw = db as unknown as Kysely<unknown>;
    await m0081.down(raw);
    await m0080.down(raw);
    await sql`insert into organization (id, name, slug) values ('org_m', 'Old Shop', 'old-shop')`.execute(db);
    await sql`insert into customer (id, organization_id, name) values ('cus_m', 'org_m', 'C')`.execute(db);
    await sql`insert into material (id, organization_id, name, kind, technology, density_grams_per_cm3,
      cost_per_kg_minor, on_hand_g, reserved_g) values ('mat_m', 'org_m', 'PLA', 'PLA', 'fdm', 1.24, 2000, 1000, 0)`.execute(
      db,
    );
    await sql`insert into job (id, organization_id, number, title, customer_id, source, status, currency, stock_state)
      values ('job_a', 'org_m', 1, 'A', 'cus_m', 'manual', 'scheduled', 'USD', 'reserved'),
             ('job_b', 'org_m', 2, 'B', 'cus_m', 'manual', 'approved', 'USD', 'none')`.execute(db);
    await sql`insert into job_item (id, organization_id, job_id, position, description, quantity,
      unit_price_minor, grams_per_unit, material_id)
      values ('itm_a', 'org_m', 'job_a', 0, 'Part', 2, 100, 15, 'mat_m'),
             ('itm_b', 'org_m', 'job_b', 0, 'Part', 1, 100, 30, 'mat_m')`.execute(db);
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    await sql`insert into stock_movement (id, organization_id, material_id, kind, grams, on_hand_after_g,
      reserved_after_g, job_id, created_at) values
      ('stk_1', 'org_m', 'mat_m', 'adjust', 1000, 1000, 0, null, ${t(1)}),
      ('stk_2', 'org_m', 'mat_m', 'reserve', 30, 1000, 30, 'job_a', ${t(2)}),
      ('stk_3', 'org_m', 'mat_m', 'reserve', 30, 1000, 60, 'job_b', ${t(3)}),
      ('stk_4', 'org_m', 'mat_m', 'release', 30, 1000, 30, 'job_b', ${t(4)}),
      ('stk_5', 'org_m', 'mat_m', 'release', 30, 1000, 0, 'job_b', ${t(5)})`.execute(db);

    await m0080.up(raw);
    await m0081.up(raw);

    const reservations = await db
      .selectFrom("stockReservation")
      .select(["jobId", "materialId", "grams", "endedAt"])
      .execute();
    expect(reservations).toEqual([{ jobId: "job_a", materialId: "mat_m", grams: 30, endedAt: null }]);
    const material = await db
      .selectFrom("material")
      .select(["onHandG", "reservedG"])
      .where("id", "=", "mat_m")
      .executeTakeFirstOrThrow();
    expect(material).toEqual({ onHandG: 1000, reservedG: 30 });
    const sums = await sql<{ onHand: number; reserved: number }>`select sum(on_hand_delta_g)::int as "onHand",
      sum(reserved_delta_g)::int as reserved from stock_movement where material_id = 'mat_m'`.execute(db);
    expect(sums.rows[0]).toEqual({ onHand: 1000, reserved: 30 });
    const reconciled = await db
      .selectFrom("stockMovement")
      .select(["kind", "grams", "reservedDeltaG", "reservedAfterG", "reason"])
      .where("reason", "=", "Reconciled with the open job reservations")
      .execute();
    expect(reconciled).toEqual([
      {
        kind: "reserve",
        grams: 30,
        reservedDeltaG: 30,
        reservedAfterG: 30,
        reason: "Reconciled with the open job reservations",
      },
    ]);

    // From now on a row must say what it does, consistently with its kind.
    await expect(
      sql`insert into stock_movement (id, organization_id, material_id, kind, grams, on_hand_after_g,
        reserved_after_g, on_hand_delta_g, reserved_delta_g)
        values ('stk_bad', 'org_m', 'mat_m', 'release', 30, 1000, 0, 0, -30)`.execute(db),
    ).rejects.toThrow(/stock_movement_effect_check/);
    // And the figures change only through the ledger (0081): a row applies its effect, nothing else can.
    await sql`insert into stock_movement (id, organization_id, material_id, kind, grams, on_hand_delta_g,
      reserved_delta_g, reason) values ('stk_in', 'org_m', 'mat_m', 'adjust', 5, 5, 0, 'Found')`.execute(db);
    const after = await db
      .selectFrom("stockMovement")
      .select(["onHandAfterG", "reservedAfterG"])
      .where("id", "=", "stk_in")
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ onHandAfterG: 1005, reservedAfterG: 30 });
    await expect(sql`update material set reserved_g = 0 where id = 'mat_m'`.execute(db)).rejects.toThrow(
      "Stock changes only through the stock ledger (stock_movement)",
    );
    await expect(
      sql`insert into material (id, organization_id, name, kind, technology, density_grams_per_cm3,
        cost_per_kg_minor, on_hand_g) values ('mat_x', 'org_m', 'X', 'PLA', 'fdm', 1.24, 2000, 50)`.execute(
        db,
      ),
    ).rejects.toThrow("Stock changes only through the stock ledger (stock_movement)");
    await expect(
      sql`insert into stock_movement (id, organization_id, material_id, kind, grams, on_hand_delta_g,
        reserved_delta_g, reason) values ('stk_out', 'org_m', 'mat_m', 'adjust', -2000, -2000, 0, 'Lost')`.execute(
        db,
      ),
    ).rejects.toThrow(/check/);
  });
});
