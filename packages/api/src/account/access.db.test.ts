import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail } from "@ktizo/services";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertSession, stateSnapshot } from "../testing/account-support.ts";
import {
  addTestMember,
  callerFor,
  createTestOrganization,
  createTestUser,
  type TestActor,
  uncoveredProcedures,
  withActiveOrganization,
} from "../testing/index.ts";
import { inviteMember } from "./invitations.ts";
import { accountRouter } from "./router.ts";

/**
 * Every account procedure, called by everyone who must not reach organization A's data: signed out,
 * a signed-in stranger (even one whose session claims organization A), an owner of organization B,
 * and a plain member of A for admin-only procedures. Refusals change nothing at all.
 */
let handle: DbHandle;
let db: Database;
const A = {
  id: "",
  ownerMemberId: "",
  memberMemberId: "",
  invitationId: "",
  ownerSessionId: "",
  grantId: "",
};
let ownerA: TestActor;
let memberA: TestActor;
let stranger: TestActor;
let ownerB: TestActor;

type Caller = ReturnType<typeof callerFor>;

interface Case {
  path: string;
  call: (c: Caller) => Promise<unknown>;
  /** "NOT_FOUND": names an object of A, refused to outsiders. "own": acts on the caller's own data only. */
  outsider: "NOT_FOUND" | "own";
  /** Tier: signed-in, or organization member with at least this role. */
  minRole?: "member" | "admin" | "owner";
}

const cases: Case[] = [
  { path: "account.me", call: (c) => c.account.me(), outsider: "own" },
  {
    path: "account.updateProfile",
    call: (c) => c.account.updateProfile({ name: "Changed", country: "FR" }),
    outsider: "own",
  },
  { path: "account.sessions.list", call: (c) => c.account.sessions.list(), outsider: "own" },
  {
    path: "account.sessions.revoke",
    call: (c) => c.account.sessions.revoke({ sessionId: A.ownerSessionId }),
    outsider: "NOT_FOUND",
  },
  { path: "account.sessions.revokeOthers", call: (c) => c.account.sessions.revokeOthers(), outsider: "own" },
  { path: "account.organizations.list", call: (c) => c.account.organizations.list(), outsider: "own" },
  {
    path: "account.organizations.create",
    call: (c) =>
      c.account.organizations.create({
        name: "Fresh Shop",
        companyName: "Fresh",
        country: "US",
        currency: "USD",
      }),
    outsider: "own",
  },
  {
    path: "account.organizations.switch",
    call: (c) => c.account.organizations.switch({ organizationId: A.id }),
    outsider: "NOT_FOUND",
  },
  {
    path: "account.organizations.leave",
    call: (c) => c.account.organizations.leave(),
    outsider: "own",
    minRole: "member",
  },
  {
    path: "account.organization.get",
    call: (c) => c.account.organization.get(),
    outsider: "own",
    minRole: "member",
  },
  { path: "account.members.list", call: (c) => c.account.members.list(), outsider: "own", minRole: "member" },
  {
    path: "account.members.invite",
    call: (c) => c.account.members.invite({ email: "intruder@example.test", role: "admin" }),
    outsider: "own",
    minRole: "admin",
  },
  {
    path: "account.members.changeRole",
    call: (c) => c.account.members.changeRole({ memberId: A.memberMemberId, role: "admin" }),
    outsider: "NOT_FOUND",
    minRole: "admin",
  },
  {
    path: "account.members.remove",
    call: (c) => c.account.members.remove({ memberId: A.memberMemberId }),
    outsider: "NOT_FOUND",
    minRole: "admin",
  },
  {
    path: "account.invitations.get",
    call: (c) => c.account.invitations.get({ invitationId: A.invitationId }),
    outsider: "NOT_FOUND",
  },
  {
    path: "account.invitations.accept",
    call: (c) => c.account.invitations.accept({ invitationId: A.invitationId }),
    outsider: "NOT_FOUND",
  },
  {
    path: "account.invitations.decline",
    call: (c) => c.account.invitations.decline({ invitationId: A.invitationId }),
    outsider: "NOT_FOUND",
  },
  {
    path: "account.invitations.cancel",
    call: (c) => c.account.invitations.cancel({ invitationId: A.invitationId }),
    outsider: "NOT_FOUND",
    minRole: "admin",
  },
  { path: "account.support.get", call: (c) => c.account.support.get(), outsider: "own", minRole: "member" },
  {
    path: "account.support.grant",
    call: (c) => c.account.support.grant({ hours: 1 }),
    outsider: "own",
    minRole: "owner",
  },
  {
    // Organization A's live grant: another shop's owner is told it does not exist.
    path: "account.support.revoke",
    call: (c) => c.account.support.revoke({ grantId: A.grantId }),
    outsider: "NOT_FOUND",
    minRole: "owner",
  },
];

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  ownerA = await createTestUser(db, { name: "Owner A", email: "owner.a@example.test" });
  const orgA = await createTestOrganization(db, ownerA, { name: "Org A", slug: "org-a" });
  A.id = orgA.organizationId;
  ownerA = orgA.owner;
  memberA = await addTestMember(
    db,
    A.id,
    await createTestUser(db, { email: "member.a@example.test" }),
    "member",
  );
  const ids = await db
    .selectFrom("member")
    .select(["id", "userId"])
    .where("organizationId", "=", A.id)
    .execute();
  A.ownerMemberId = ids.find((r) => r.userId === ownerA.userId)!.id;
  A.memberMemberId = ids.find((r) => r.userId === memberA.userId)!.id;
  A.ownerSessionId = await insertSession(db, ownerA);
  await insertSession(db, memberA);
  A.invitationId = (
    await inviteMember(
      db,
      createOutboxMail(db),
      { organizationId: A.id, userId: ownerA.userId },
      { email: "invitee.a@example.test", role: "member" },
      new Date(),
    )
  ).invitationId;

  A.grantId = "sgr_access_a";
  await db
    .insertInto("supportGrant")
    .values({
      id: A.grantId,
      organizationId: A.id,
      grantedByUserId: ownerA.userId,
      grantedByName: "Owner A",
      expiresAt: new Date(Date.now() + 24 * 3_600_000),
    })
    .execute();

  ownerB = await createTestUser(db, { name: "Owner B", email: "owner.b@example.test" });
  ownerB = (await createTestOrganization(db, ownerB, { name: "Org B", slug: "org-b" })).owner;
  await insertSession(db, ownerB);
  stranger = await createTestUser(db, { name: "Stranger", email: "stranger@example.test" });
  await insertSession(db, stranger);
});
afterAll(() => handle.close());

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
}

/** Organization A as anyone could observe or change it. */
async function orgASnapshot() {
  const users = [ownerA.userId, memberA.userId];
  const [org, profile, members, invitations, sessions, people, audit] = await Promise.all([
    db.selectFrom("organization").selectAll().where("id", "=", A.id).execute(),
    db.selectFrom("organizationProfile").selectAll().where("organizationId", "=", A.id).execute(),
    db.selectFrom("member").selectAll().where("organizationId", "=", A.id).orderBy("id").execute(),
    db.selectFrom("invitation").selectAll().where("organizationId", "=", A.id).orderBy("id").execute(),
    db.selectFrom("session").selectAll().where("userId", "in", users).orderBy("id").execute(),
    db.selectFrom("user").selectAll().where("id", "in", users).orderBy("id").execute(),
    db.selectFrom("auditLog").select("id").where("organizationId", "=", A.id).orderBy("id").execute(),
  ]);
  return { org, profile, members, invitations, sessions, people, audit };
}

/** Nothing of organization A in what the caller got back. */
function expectNoTraceOfA(result: unknown) {
  const text = JSON.stringify(result ?? null);
  for (const secret of [
    A.id,
    "org-a",
    "owner.a@example.test",
    "member.a@example.test",
    "invitee.a@example.test",
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe("account router access", () => {
  it("has an access case for every procedure", () => {
    expect(
      uncoveredProcedures(
        accountRouter,
        cases.map((c) => c.path),
        "account",
      ),
    ).toEqual([]);
  });

  it("declares the tiers the cases assume", async () => {
    const { listProcedures } = await import("../testing/index.ts");
    const declared = Object.fromEntries(
      listProcedures(accountRouter, "account").map((p) => [p.path, p.access]),
    );
    for (const c of cases) expect(declared[c.path], c.path).toBe(c.minRole ? `org:${c.minRole}` : "signedIn");
  });

  describe.each(cases)("$path", (c) => {
    it("is UNAUTHORIZED (signed-in tier) or FORBIDDEN (organization tier) when signed out, changing nothing", async () => {
      const before = await stateSnapshot(db);
      await expectCode(c.call(callerFor(handle, null)), c.minRole ? "FORBIDDEN" : "UNAUTHORIZED");
      expect(await stateSnapshot(db)).toEqual(before);
    });

    it("keeps a signed-in user outside organization A away from it", async () => {
      if (c.minRole) {
        // Even a session that claims organization A does not make its holder a member.
        for (const active of [null, A.id]) {
          const before = await stateSnapshot(db);
          await expectCode(c.call(callerFor(handle, withActiveOrganization(stranger, active))), "NOT_FOUND");
          expect(await stateSnapshot(db)).toEqual(before);
        }
        return;
      }
      if (c.outsider === "NOT_FOUND") {
        const before = await stateSnapshot(db);
        await expectCode(c.call(callerFor(handle, stranger)), "NOT_FOUND");
        expect(await stateSnapshot(db)).toEqual(before);
        return;
      }
      // The caller's own data: allowed, but organization A is neither shown nor touched.
      const outsider = await createTestUser(db);
      await insertSession(db, outsider);
      const before = await orgASnapshot();
      expectNoTraceOfA(await c.call(callerFor(handle, outsider)));
      expect(await orgASnapshot()).toEqual(before);
    });

    it("keeps an owner of organization B away from organization A's objects", async () => {
      if (c.outsider === "NOT_FOUND") {
        const before = await stateSnapshot(db);
        await expectCode(c.call(callerFor(handle, ownerB)), "NOT_FOUND");
        expect(await stateSnapshot(db)).toEqual(before);
        return;
      }
      // Organization-scoped procedures act on B (from B's session), never on A.
      const before = await orgASnapshot();
      const result = await c.call(callerFor(handle, ownerB)).catch((e: unknown) => {
        expect(e).toBeInstanceOf(TRPCError);
        return null;
      });
      expectNoTraceOfA(result);
      expect(await orgASnapshot()).toEqual(before);
    });
  });

  describe.each(cases.filter((c) => c.minRole === "admin" || c.minRole === "owner"))(
    "$path (admins or owners only)",
    (c) => {
      it("is FORBIDDEN for a plain member of organization A, changing nothing", async () => {
        const before = await stateSnapshot(db);
        await expectCode(c.call(callerFor(handle, memberA)), "FORBIDDEN");
        expect(await stateSnapshot(db)).toEqual(before);
      });
    },
  );
});
