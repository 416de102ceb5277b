import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation } from "../kernel/index.ts";
import { updateShopProfile, updateShopProfileInput } from "../shop/profile.ts";
import { activeOrganizationOf, auditRows, insertSession, stateSnapshot } from "../testing/account-support.ts";
import { addTestMember, createTestOrganization, createTestUser, type TestActor } from "../testing/index.ts";
import {
  createOrganization,
  getOrganization,
  leaveOrganization,
  switchOrganization,
} from "./organizations.ts";
import { accountRouter } from "./router.ts";
import { type CreateOrganizationInput, createOrganizationInput } from "./schemas.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const details = (
  input: Partial<Record<keyof CreateOrganizationInput, string>> = {},
): CreateOrganizationInput =>
  createOrganizationInput.parse({
    name: "Acme Prints",
    companyName: "Acme Prints Ltd",
    addressLine1: "1 Main St",
    city: "Springfield",
    postalCode: "12345",
    country: "US",
    currency: "USD",
    ...input,
  });

async function signedIn(name = "Owner"): Promise<TestActor> {
  const user = await createTestUser(handle.db, { name });
  await insertSession(handle.db, user);
  return user;
}

describe("createOrganization", () => {
  it("creates organization, owner membership and profile, activates it in the session, audits", async () => {
    const db = handle.db;
    const user = await signedIn();
    const org = await createOrganization(db, user.session, details({ slug: "acme-create" }));
    expect(org).toMatchObject({ name: "Acme Prints", slug: "acme-create", role: "owner" });
    expect(org.profile).toMatchObject({
      companyName: "Acme Prints Ltd",
      country: "US",
      currency: "USD",
      phone: null,
    });

    const member = await db.selectFrom("member").selectAll().where("organizationId", "=", org.id).execute();
    expect(member.map((m) => [m.userId, m.role])).toEqual([[user.userId, "owner"]]);
    const profile = await db
      .selectFrom("organizationProfile")
      .selectAll()
      .where("organizationId", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(profile).toMatchObject({ city: "Springfield", postalCode: "12345" });
    expect(await activeOrganizationOf(db, user.session.sessionId)).toBe(org.id);
    const audit = (await auditRows(db, "organization.created")).filter((a) => a.subjectId === org.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ organizationId: org.id, actorUserId: user.userId });
  });

  it("generates unique slugs from the name when none is given", async () => {
    const db = handle.db;
    const user = await signedIn();
    const first = await createOrganization(db, user.session, details({ name: "Bolt & Nut Works" }));
    const second = await createOrganization(db, user.session, details({ name: "Bolt & Nut Works" }));
    const third = await createOrganization(db, user.session, details({ name: "Admin" }));
    expect(first.slug).toBe("bolt-nut-works");
    expect(second.slug).toBe("bolt-nut-works-2");
    expect(third.slug).toBe("admin-shop");
  });

  it("refuses a taken slug with CONFLICT on the slug field and writes nothing", async () => {
    const db = handle.db;
    const user = await signedIn();
    await createOrganization(db, user.session, details({ slug: "taken-slug" }));
    const before = await stateSnapshot(db);
    await expect(createOrganization(db, user.session, details({ slug: "taken-slug" }))).rejects.toMatchObject(
      {
        code: "CONFLICT",
        fieldErrors: { slug: "This address is already taken" },
      },
    );
    expect(await stateSnapshot(db)).toEqual(before);
  });

  it("recognizes the slug's unique violation, for the race between check and insert", async () => {
    const db = handle.db;
    await db
      .insertInto("organization")
      .values({ id: "org_race_1", name: "Race", slug: "race-slug" })
      .execute();
    const error = await db
      .insertInto("organization")
      .values({ id: "org_race_2", name: "Race", slug: "race-slug" })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error, "organization_slug_key")).toBe(true);
    expect(isUniqueViolation(error, "member_org_user_unique")).toBe(false);
  });

  it("leaves nothing half-written when a later step fails", async () => {
    const db = handle.db;
    const user = await signedIn();
    // Make the profile insert (the third write) fail inside the transaction.
    await sql`create function ktizo_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'profile insert failed (test)'; end $$`.execute(db);
    await sql`create trigger ktizo_test_fail before insert on organization_profile
      for each row execute function ktizo_test_fail()`.execute(db);
    try {
      const before = await stateSnapshot(db);
      await expect(createOrganization(db, user.session, details({ slug: "half-written" }))).rejects.toThrow(
        /profile insert failed/,
      );
      expect(await stateSnapshot(db)).toEqual(before);
    } finally {
      await sql`drop trigger ktizo_test_fail on organization_profile`.execute(db);
      await sql`drop function ktizo_test_fail()`.execute(db);
    }
  });
});

describe("switchOrganization", () => {
  it("switches to an organization the user belongs to, and only that session", async () => {
    const db = handle.db;
    const user = await signedIn();
    const otherSession = await insertSession(db, user, { id: `${user.session.sessionId}_2` });
    const a = await createTestOrganization(db, user);
    const owner = await createTestUser(db);
    const b = await createTestOrganization(db, owner);
    await addTestMember(db, b.organizationId, user, "member");

    await expect(switchOrganization(db, user.session, b.organizationId)).resolves.toEqual({
      activeOrganizationId: b.organizationId,
      role: "member",
    });
    expect(await activeOrganizationOf(db, user.session.sessionId)).toBe(b.organizationId);
    expect(await activeOrganizationOf(db, otherSession)).toBeNull();
    await switchOrganization(db, user.session, a.organizationId);
    expect(await activeOrganizationOf(db, user.session.sessionId)).toBe(a.organizationId);
  });

  it("is NOT_FOUND for an organization the user is not a member of", async () => {
    const db = handle.db;
    const user = await signedIn();
    const stranger = await createTestOrganization(db, await createTestUser(db));
    await expect(switchOrganization(db, user.session, stranger.organizationId)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await activeOrganizationOf(db, user.session.sessionId)).toBeNull();
  });
});

describe("organization details", () => {
  it("are edited in one place, the shop profile, and read back here; the account router has no second way", async () => {
    const db = handle.db;
    const clock = fixedClock("2026-06-01T00:00:00Z");
    const owner = await createTestUser(db);
    const { organizationId } = await createTestOrganization(db, owner, {
      name: "Old Name",
      slug: "details-org",
    });
    const actor = { organizationId, userId: owner.userId, role: "owner" as const };
    expect(await getOrganization(db, actor)).toMatchObject({
      name: "Old Name",
      slug: "details-org",
      profile: { companyName: "Old Name", country: "US", currency: "USD" },
    });
    await updateShopProfile(
      db,
      actor,
      updateShopProfileInput.parse({
        name: "New Name",
        slug: "new-name",
        companyName: "New GmbH",
        country: "DE",
        currency: "EUR",
        address: { line1: "1 Hauptstr.", line2: null, city: "Berlin", postalCode: "10115", region: null },
      }),
      clock.now(),
    );
    expect(await getOrganization(db, actor)).toMatchObject({
      name: "New Name",
      slug: "new-name",
      profile: { companyName: "New GmbH", country: "DE", currency: "EUR", city: "Berlin" },
    });
    // Renaming the shop keeps the legal name.
    await updateShopProfile(db, actor, updateShopProfileInput.parse({ name: "Newer Name" }), clock.now());
    expect((await getOrganization(db, actor)).profile.companyName).toBe("New GmbH");
    expect(Object.keys(accountRouter._def.record.organization)).toEqual(["get"]);
  });
});

describe("leaveOrganization", () => {
  it("refuses the last owner with a clear message and changes nothing", async () => {
    const db = handle.db;
    const owner = await signedIn();
    const { organizationId } = await createTestOrganization(db, owner);
    const before = await stateSnapshot(db);
    await expect(leaveOrganization(db, { organizationId, userId: owner.userId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/only owner.*another member an owner/),
    });
    expect(await stateSnapshot(db)).toEqual(before);
  });

  it("removes the membership, clears it from the user's sessions and audits", async () => {
    const db = handle.db;
    const owner = await createTestUser(db);
    const { organizationId } = await createTestOrganization(db, owner);
    const second = await addTestMember(db, organizationId, await createTestUser(db), "owner");
    const elsewhere = await createTestOrganization(db, await createTestUser(db));
    await insertSession(db, second);
    const otherSession = await insertSession(db, second, {
      id: `${second.session.sessionId}_x`,
      activeOrganizationId: elsewhere.organizationId,
    });

    await leaveOrganization(db, { organizationId, userId: second.userId });
    const members = await db
      .selectFrom("member")
      .select("userId")
      .where("organizationId", "=", organizationId)
      .execute();
    expect(members.map((m) => m.userId)).toEqual([owner.userId]);
    expect(await activeOrganizationOf(db, second.session.sessionId)).toBeNull();
    expect(await activeOrganizationOf(db, otherSession)).toBe(elsewhere.organizationId);
    const audit = (await auditRows(db, "member.left")).filter((a) => a.organizationId === organizationId);
    expect(audit.map((a) => a.data)).toEqual([{ userId: second.userId, role: "owner" }]);
  });
});
