import type { DbHandle, OrganizationRole } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeOrganizationOf, auditRows, insertSession, stateSnapshot } from "../testing/account-support.ts";
import { addTestMember, createTestOrganization, createTestUser, type TestActor } from "../testing/index.ts";
import { inviteMember } from "./invitations.ts";
import { changeMemberRole, listMembers, removeMember } from "./members.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

interface Team {
  organizationId: string;
  owner: TestActor;
  admin: TestActor;
  member: TestActor;
  memberIds: Record<"owner" | "admin" | "member", string>;
}

async function team(): Promise<Team> {
  const db = handle.db;
  const owner = await createTestUser(db, { name: "Olive Owner" });
  const { organizationId } = await createTestOrganization(db, owner);
  const admin = await addTestMember(
    db,
    organizationId,
    await createTestUser(db, { name: "Adam Admin" }),
    "admin",
  );
  const member = await addTestMember(
    db,
    organizationId,
    await createTestUser(db, { name: "Mia Member" }),
    "member",
  );
  const rows = await db
    .selectFrom("member")
    .select(["id", "userId"])
    .where("organizationId", "=", organizationId)
    .execute();
  const idOf = (a: TestActor) => rows.find((r) => r.userId === a.userId)!.id;
  return {
    organizationId,
    owner,
    admin,
    member,
    memberIds: { owner: idOf(owner), admin: idOf(admin), member: idOf(member) },
  };
}

const as = (t: Team, who: TestActor) => ({ organizationId: t.organizationId, userId: who.userId });
const roleOf = async (memberId: string) =>
  (await handle.db.selectFrom("member").select("role").where("id", "=", memberId).executeTakeFirst())?.role;

describe("listMembers", () => {
  it("lists members owners first; admins also see pending invitations, members do not", async () => {
    const db = handle.db;
    const t = await team();
    const now = new Date();
    await inviteMember(
      db,
      createOutboxMail(db),
      as(t, t.admin),
      { email: "new@example.test", role: "member" },
      now,
    );

    const forAdmin = await listMembers(db, { ...as(t, t.admin), role: "admin" }, now);
    expect(forAdmin.members.map((m) => [m.name, m.role])).toEqual([
      ["Olive Owner", "owner"],
      ["Adam Admin", "admin"],
      ["Mia Member", "member"],
    ]);
    expect(forAdmin.members[0]).toMatchObject({ email: t.owner.email, memberId: t.memberIds.owner });
    expect(forAdmin.invitations).toEqual([
      expect.objectContaining({
        email: "new@example.test",
        role: "member",
        invitedBy: "Adam Admin",
        expired: false,
      }),
    ]);

    const forMember = await listMembers(db, { ...as(t, t.member), role: "member" }, now);
    expect(forMember.members).toHaveLength(3);
    expect(forMember.invitations).toBeNull();
  });
});

describe("changeMemberRole", () => {
  it("lets an admin make a member an admin and back, auditing from and to", async () => {
    const db = handle.db;
    const t = await team();
    await expect(
      changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.member, role: "admin" }),
    ).resolves.toEqual({
      memberId: t.memberIds.member,
      role: "admin",
      changed: true,
    });
    await changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.member, role: "member" });
    expect(await roleOf(t.memberIds.member)).toBe("member");
    const audit = (await auditRows(db, "member.role_changed")).filter(
      (a) => a.subjectId === t.memberIds.member,
    );
    expect(audit.map((a) => [a.data.from, a.data.to, a.actorUserId])).toEqual([
      ["member", "admin", t.admin.userId],
      ["admin", "member", t.admin.userId],
    ]);
  });

  it("keeps ownership for owners: admins can neither grant nor take it", async () => {
    const db = handle.db;
    const t = await team();
    const before = await stateSnapshot(db);
    await expect(
      changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.member, role: "owner" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.admin, role: "owner" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.owner, role: "member" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await stateSnapshot(db)).toEqual(before);
  });

  it("lets an owner grant ownership, and never demotes the last owner", async () => {
    const db = handle.db;
    const t = await team();
    const before = await stateSnapshot(db);
    await expect(
      changeMemberRole(db, as(t, t.owner), { memberId: t.memberIds.owner, role: "admin" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await stateSnapshot(db)).toEqual(before);

    await changeMemberRole(db, as(t, t.owner), { memberId: t.memberIds.admin, role: "owner" });
    // Two owners now: the first may step down.
    await changeMemberRole(db, as(t, t.owner), { memberId: t.memberIds.owner, role: "member" });
    expect(await roleOf(t.memberIds.owner)).toBe("member");
    expect(await roleOf(t.memberIds.admin)).toBe("owner");
    // The remaining owner is the last one.
    await expect(
      changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.admin, role: "admin" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("never leaves the organization without an owner when two owners step down at once", async () => {
    const db = handle.db;
    const t = await team();
    await changeMemberRole(db, as(t, t.owner), { memberId: t.memberIds.admin, role: "owner" });
    const results = await Promise.allSettled([
      changeMemberRole(db, as(t, t.owner), { memberId: t.memberIds.owner, role: "member" }),
      changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.admin, role: "member" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const owners = await db
      .selectFrom("member")
      .select("id")
      .where("organizationId", "=", t.organizationId)
      .where("role", "=", "owner")
      .execute();
    expect(owners).toHaveLength(1);
  });

  it("does nothing (and audits nothing) when the role is unchanged", async () => {
    const db = handle.db;
    const t = await team();
    const before = await stateSnapshot(db);
    await expect(
      changeMemberRole(db, as(t, t.admin), { memberId: t.memberIds.member, role: "member" }),
    ).resolves.toMatchObject({ changed: false });
    expect(await stateSnapshot(db)).toEqual(before);
  });

  it("is FORBIDDEN for plain members and NOT_FOUND for another organization's member", async () => {
    const db = handle.db;
    const t = await team();
    const other = await team();
    const before = await stateSnapshot(db);
    await expect(
      changeMemberRole(db, as(t, t.member), { memberId: t.memberIds.member, role: "admin" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      changeMemberRole(db, as(t, t.owner), { memberId: other.memberIds.member, role: "admin" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await stateSnapshot(db)).toEqual(before);
  });
});

describe("removeMember", () => {
  it("removes a member, clears the organization from their sessions and audits", async () => {
    const db = handle.db;
    const t = await team();
    await insertSession(db, t.member);
    await removeMember(db, as(t, t.admin), t.memberIds.member);
    expect(await roleOf(t.memberIds.member)).toBeUndefined();
    expect(await activeOrganizationOf(db, t.member.session.sessionId)).toBeNull();
    const audit = (await auditRows(db, "member.removed")).filter((a) => a.subjectId === t.memberIds.member);
    expect(audit.map((a) => [a.actorUserId, a.data])).toEqual([
      [t.admin.userId, { userId: t.member.userId, role: "member" }],
    ]);
  });

  it("keeps owners from admins, and the last owner from everyone", async () => {
    const db = handle.db;
    const t = await team();
    const before = await stateSnapshot(db);
    await expect(removeMember(db, as(t, t.admin), t.memberIds.owner)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(removeMember(db, as(t, t.owner), t.memberIds.owner)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await expect(removeMember(db, as(t, t.member), t.memberIds.admin)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await stateSnapshot(db)).toEqual(before);

    const coOwner = await addTestMember(db, t.organizationId, await createTestUser(db), "owner");
    const coOwnerId = (
      await db
        .selectFrom("member")
        .select("id")
        .where("userId", "=", coOwner.userId)
        .executeTakeFirstOrThrow()
    ).id;
    await removeMember(db, as(t, t.owner), coOwnerId);
    expect(await roleOf(coOwnerId)).toBeUndefined();
  });

  it("is NOT_FOUND for another organization's member", async () => {
    const db = handle.db;
    const t = await team();
    const other = await team();
    await expect(removeMember(db, as(t, t.owner), other.memberIds.member)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await roleOf(other.memberIds.member)).toBe("member" satisfies OrganizationRole);
  });
});
