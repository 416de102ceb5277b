import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "./audit.ts";
import type { DbHandle } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import { createTestDb } from "./testing/index.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

describe("database", () => {
  it("has every migration applied and migrating again is a no-op", async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      handle.db,
    );
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });

  it("maps camelCase code to snake_case columns and reads int8 as numbers", async () => {
    await handle.db
      .insertInto("user")
      .values({ id: "u1", name: "Ada", email: "ada@example.com", emailVerified: true })
      .execute();
    const row = await handle.db
      .selectFrom("user")
      .select(["emailVerified", "createdAt"])
      .where("id", "=", "u1")
      .executeTakeFirstOrThrow();
    expect(row.emailVerified).toBe(true);
    expect(row.createdAt).toBeInstanceOf(Date);
    const count = await sql<{ n: number }>`select count(*)::int8 as n from "user"`.execute(handle.db);
    expect(count.rows[0]?.n).toBe(1);
  });

  it("writes audit rows with their data", async () => {
    await recordAudit(handle.db, {
      actorUserId: "u1",
      action: "user.renamed",
      subjectType: "user",
      subjectId: "u1",
      data: { from: "Ada", to: "Ada L." },
    });
    const row = await handle.db.selectFrom("auditLog").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: "user.renamed", data: { from: "Ada", to: "Ada L." } });
  });

  it("rolls back a failed transaction completely", async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto("user").values({ id: "u2", name: "Bo", email: "bo@example.com" }).execute();
        await trx.insertInto("user").values({ id: "u3", name: "Dup", email: "bo@example.com" }).execute();
      }),
    ).rejects.toThrow();
    const users = await handle.db.selectFrom("user").select("id").execute();
    expect(users.map((u) => u.id)).toEqual(["u1"]);
  });
});
