import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { describe, expect, it } from "vitest";
import { callerFor } from "../testing/index.ts";
import { DEMO_SHOPS, DEMO_USERS, seedDemo } from "./seed.ts";

describe("demo seed", () => {
  it("creates the demo logins and two living shops, and running it again changes nothing", async () => {
    const handle = await createTestDb();
    try {
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const first = await seedDemo(handle.db, clock);
      const count = async (table: "user" | "organization" | "printer" | "material" | "job" | "shopReview") =>
        Number(
          (
            await handle.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = {
        users: await count("user"),
        orgs: await count("organization"),
        printers: await count("printer"),
        materials: await count("material"),
        jobs: await count("job"),
        reviews: await count("shopReview"),
      };
      expect(before.users).toBe(Object.keys(DEMO_USERS).length);
      expect(before.orgs).toBe(DEMO_SHOPS.length);
      expect(before.printers).toBeGreaterThanOrEqual(2 * DEMO_SHOPS.length);
      expect(before.materials).toBeGreaterThanOrEqual(2 * DEMO_SHOPS.length);
      expect(before.jobs).toBeGreaterThan(0);
      expect(before.reviews).toBeGreaterThan(0);
      const admin = await handle.db
        .selectFrom("user")
        .select(["role", "emailVerified"])
        .where("email", "=", DEMO_USERS.admin.email)
        .executeTakeFirstOrThrow();
      expect(admin).toEqual({ role: "admin", emailVerified: true });

      // Both demo shops declare where they ship: the marketplace search filters on it.
      const visitor = callerFor(handle, null);
      const shipsTo = async (country: string) =>
        (await visitor.marketplace.searchShops({ country, sort: "name" })).items.map((shop) => shop.slug);
      expect(await shipsTo("US")).toEqual(["northside-print-lab", "resin-works-berlin"]);
      expect(await shipsTo("CA")).toEqual(["northside-print-lab", "resin-works-berlin"]);
      expect(await shipsTo("FR")).toEqual(["resin-works-berlin"]);
      expect(await shipsTo("JP")).toEqual([]);

      const second = await seedDemo(handle.db, clock);
      expect(second).toEqual(first);
      expect({
        users: await count("user"),
        orgs: await count("organization"),
        printers: await count("printer"),
        materials: await count("material"),
        jobs: await count("job"),
        reviews: await count("shopReview"),
      }).toEqual(before);
    } finally {
      await handle.close();
    }
  });
});
