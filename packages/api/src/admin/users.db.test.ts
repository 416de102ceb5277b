import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRows, insertSession, stateSnapshot } from "../testing/account-support.ts";
import { addTestMember, createTestOrganization, createTestUser } from "../testing/index.ts";
import { listUsersInput } from "./schemas.ts";
import { listUsers, setUserDisabled } from "./users.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const clock = fixedClock("2026-08-01T00:00:00Z");

describe("listUsers", () => {
  it("lists newest first with organization counts, paginated", async () => {
    const db = handle.db;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await createTestUser(db, { name: `Pager ${i}`, email: `pager${i}@example.test` });
      await db
        .updateTable("user")
        .set({ createdAt: new Date(Date.UTC(2026, 0, 1 + i)) })
        .where("id", "=", u.userId)
        .execute();
      ids.push(u.userId);
    }
    const owner = await createTestUser(db, { name: "Pager Owner", email: "pager-owner@example.test" });
    await db
      .updateTable("user")
      .set({ createdAt: new Date(Date.UTC(2025, 0, 1)) })
      .where("id", "=", owner.userId)
      .execute();
    const a = await createTestOrganization(db, owner);
    const b = await createTestOrganization(db, await createTestUser(db));
    await addTestMember(db, b.organizationId, owner, "member");
    expect(a.organizationId).toBeTruthy();

    const page1 = await listUsers(db, listUsersInput.parse({ search: "pager", pageSize: 4 }));
    expect(page1).toMatchObject({ total: 6, page: 1, pageSize: 4, pageCount: 2 });
    expect(page1.items.map((u) => u.name)).toEqual(["Pager 4", "Pager 3", "Pager 2", "Pager 1"]);
    expect(page1.items[0]).toMatchObject({
      email: "pager4@example.test",
      banned: false,
      organizationCount: 0,
    });
    const page2 = await listUsers(db, listUsersInput.parse({ search: "pager", pageSize: 4, page: 2 }));
    expect(page2.items.map((u) => [u.name, u.organizationCount])).toEqual([
      ["Pager 0", 0],
      ["Pager Owner", 2],
    ]);
  });

  it("matches search text literally (% and _ are not wildcards) in name or email", async () => {
    const db = handle.db;
    await createTestUser(db, { name: "100% Cotton", email: "cotton@example.test" });
    await createTestUser(db, { name: "Plain", email: "under_score@example.test" });
    await createTestUser(db, { name: "Decoy", email: "underXscore@example.test" });
    const percent = await listUsers(db, listUsersInput.parse({ search: "100%" }));
    expect(percent.items.map((u) => u.name)).toEqual(["100% Cotton"]);
    const underscore = await listUsers(db, listUsersInput.parse({ search: "UNDER_" }));
    expect(underscore.items.map((u) => u.email)).toEqual(["under_score@example.test"]);
    expect(listUsersInput.safeParse({ pageSize: 101 }).success).toBe(false);
  });
});

describe("setUserDisabled", () => {
  it("disables a user and ends every session in the same transaction, with an audit row", async () => {
    const db = handle.db;
    const admin = await createTestUser(db, { platformRole: "admin" });
    const user = await createTestUser(db);
    await insertSession(db, user);
    await insertSession(db, user, { id: `${user.session.sessionId}_2` });
    const bystander = await createTestUser(db);
    await insertSession(db, bystander);

    const result = await setUserDisabled(
      db,
      admin.userId,
      { userId: user.userId, disabled: true, reason: "Fraudulent orders" },
      clock.now(),
    );
    expect(result).toEqual({ userId: user.userId, disabled: true, sessionsEnded: 2 });
    const row = await db
      .selectFrom("user")
      .selectAll()
      .where("id", "=", user.userId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ banned: true, banReason: "Fraudulent orders", banExpires: null });
    const left = await db
      .selectFrom("session")
      .select("userId")
      .where("userId", "in", [user.userId, bystander.userId])
      .execute();
    expect(left.map((s) => s.userId)).toEqual([bystander.userId]);
    const audit = (await auditRows(db, "user.disabled")).filter((a) => a.subjectId === user.userId);
    expect(audit.map((a) => [a.actorUserId, a.data])).toEqual([
      [admin.userId, { wasDisabled: false, reason: "Fraudulent orders", sessionsEnded: 2 }],
    ]);

    await setUserDisabled(db, admin.userId, { userId: user.userId, disabled: false }, clock.now());
    expect(
      await db
        .selectFrom("user")
        .select(["banned", "banReason"])
        .where("id", "=", user.userId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ banned: false, banReason: null });
    expect((await auditRows(db, "user.enabled")).filter((a) => a.subjectId === user.userId)).toHaveLength(1);
  });

  it("refuses an admin disabling themselves, and unknown users, changing nothing", async () => {
    const db = handle.db;
    const admin = await createTestUser(db, { platformRole: "admin" });
    await insertSession(db, admin);
    const before = await stateSnapshot(db);
    await expect(
      setUserDisabled(
        db,
        admin.userId,
        { userId: admin.userId, disabled: true, reason: "oops" },
        clock.now(),
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      setUserDisabled(db, admin.userId, { userId: "usr_missing", disabled: true, reason: "x" }, clock.now()),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await stateSnapshot(db)).toEqual(before);
  });
});
