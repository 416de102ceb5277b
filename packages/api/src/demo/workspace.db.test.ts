import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boardInput, jobBoard } from "../job/job-lists.ts";
import { scheduleTimeline, timelineInput } from "../job/schedule.ts";
import { stockProblems } from "../job/stock-invariants.ts";
import { listMaterials } from "../shop/materials.ts";
import { getShopPricing } from "../shop/pricing.ts";
import { getPublicShop } from "../shop/public.ts";
import { createTestOrganization, createTestUser } from "../testing/index.ts";
import { seedShopWorkspace } from "./workspace.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const NOW = new Date("2026-05-04T09:30:00Z");

describe("seedShopWorkspace", () => {
  for (const kind of ["fdm", "resin"] as const) {
    it(`makes a ${kind} shop look alive, and running it twice changes nothing`, async () => {
      const db = handle.db;
      const owner = await createTestUser(db, { name: "Seed Owner" });
      const { organizationId } = await createTestOrganization(db, owner, { slug: `seed-${kind}` });
      const clock = fixedClock(NOW);
      expect(await seedShopWorkspace(db, { organizationId, ownerUserId: owner.userId, clock, kind })).toEqual(
        {
          created: true,
        },
      );
      const counts = async () =>
        Promise.all(
          (["job", "printer", "material", "customer", "stockMovement", "notification"] as const).map(
            async (t) =>
              Number(
                (
                  await db
                    .selectFrom(t)
                    .select((eb) => eb.fn.countAll<number>().as("n"))
                    .where("organizationId", "=", organizationId)
                    .executeTakeFirstOrThrow()
                ).n,
              ),
          ),
        );
      const first = await counts();
      expect(await seedShopWorkspace(db, { organizationId, ownerUserId: owner.userId, clock, kind })).toEqual(
        {
          created: false,
        },
      );
      expect(await counts()).toEqual(first);

      // The demo stock is as exact as any: figures are the ledger's sums, reservations match the jobs.
      expect(await stockProblems(db, organizationId)).toEqual([]);
      const board = await jobBoard(db, organizationId, boardInput.parse({}), NOW);
      for (const column of board) expect([column.status, column.count > 0]).toEqual([column.status, true]);
      const low = await listMaterials(db, organizationId, { lowStockOnly: true });
      expect(low.length).toBeGreaterThan(0);
      const timeline = await scheduleTimeline(
        db,
        organizationId,
        timelineInput.parse({
          from: new Date(NOW.getTime() - 86_400_000),
          to: new Date(NOW.getTime() + 2 * 86_400_000),
        }),
      );
      expect(timeline.lanes.filter((l) => l.entries.length > 0).length).toBeGreaterThanOrEqual(3);
      const shop = await getPublicShop(db, `seed-${kind}`);
      expect(shop.materials.length).toBe(4);
      // The fdm shop shows a material-on-printer price (TPU on the XL).
      const { pricing } = await getShopPricing(db, organizationId);
      expect(pricing.pairs.length).toBe(kind === "fdm" ? 1 : 0);
    }, 120_000);
  }
});
