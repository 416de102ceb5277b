import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRows } from "../testing/account-support.ts";
import { addTestMember, createTestOrganization, createTestUser } from "../testing/index.ts";
import { getOrganization } from "./organizations.ts";
import { readAccount, updateProfile } from "./profile.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

describe("readAccount", () => {
  it("returns the profile and memberships, and the active organization only while a member", async () => {
    const db = handle.db;
    const user = await createTestUser(db, { name: "Ada" });
    const { organizationId } = await createTestOrganization(db, user, { name: "Zeta Prints" });
    const other = await createTestUser(db);
    const second = await createTestOrganization(db, other, { name: "Alpha Lab" });
    await addTestMember(db, second.organizationId, user, "member");

    const { me, activeOrganization } = await readAccount(db, user.userId, organizationId);
    expect(me.profile).toEqual({
      id: user.userId,
      name: "Ada",
      email: user.email,
      emailVerified: true,
      country: null,
      image: null,
    });
    expect(me.memberships.map((m) => [m.name, m.role])).toEqual([
      ["Alpha Lab", "member"],
      ["Zeta Prints", "owner"],
    ]);
    expect(me.activeOrganizationId).toBe(organizationId);
    // The active organization's view, read in the same statement, is the one organization.get gives.
    expect(activeOrganization).toEqual(
      await getOrganization(db, { organizationId, userId: user.userId, role: "owner" }),
    );
    expect(activeOrganization?.createdAt).toBeInstanceOf(Date);
    // As a plain member of the other organization, its view says so.
    const asMember = await readAccount(db, user.userId, second.organizationId);
    expect(asMember.activeOrganization).toMatchObject({ id: second.organizationId, role: "member" });
    expect((await readAccount(db, user.userId, null)).activeOrganization).toBeNull();

    const stranger = await createTestOrganization(db, await createTestUser(db));
    const outsider = await readAccount(db, user.userId, stranger.organizationId);
    expect(outsider.me.activeOrganizationId).toBeNull();
    expect(outsider.activeOrganization).toBeNull();
  });

  it("is NOT_FOUND for a user that no longer exists", async () => {
    await expect(readAccount(handle.db, "usr_gone", null)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("updateProfile", () => {
  it("changes name and country and records before and after", async () => {
    const db = handle.db;
    const clock = fixedClock("2026-05-01T10:00:00Z");
    const user = await createTestUser(db, { name: "Old Name" });
    const profile = await updateProfile(db, user.userId, { name: "New Name", country: "DE" }, clock.now());
    expect(profile).toMatchObject({ name: "New Name", country: "DE", email: user.email });

    const row = await db
      .selectFrom("user")
      .selectAll()
      .where("id", "=", user.userId)
      .executeTakeFirstOrThrow();
    expect(row.updatedAt.toISOString()).toBe("2026-05-01T10:00:00.000Z");
    const audit = (await auditRows(db, "user.profile_updated")).filter((a) => a.subjectId === user.userId);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(user.userId);
    expect(audit[0]!.data).toEqual({
      before: { name: "Old Name", country: null },
      after: { name: "New Name", country: "DE" },
    });
  });
});
