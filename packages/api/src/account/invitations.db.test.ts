import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createOutboxMail, fixedClock, type MailService } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeOrganizationOf, auditRows, insertSession, stateSnapshot } from "../testing/account-support.ts";
import { addTestMember, createTestOrganization, createTestUser, type TestActor } from "../testing/index.ts";
import {
  acceptInvitation,
  cancelInvitation,
  declineInvitation,
  getInvitation,
  INVITATION_TTL_MS,
  inviteMember,
} from "./invitations.ts";

let handle: DbHandle;
let mail: MailService;
beforeAll(async () => {
  handle = await createTestDb();
  mail = createOutboxMail(handle.db);
});
afterAll(() => handle.close());

const START = "2026-04-01T09:00:00Z";

async function shop(name = "Invite Shop") {
  const db = handle.db;
  const owner = await createTestUser(db, { name: "Olive Owner" });
  const { organizationId } = await createTestOrganization(db, owner, { name });
  return { organizationId, owner, actor: { organizationId, userId: owner.userId } };
}

async function invitee(email: string, options: { verified?: boolean } = {}): Promise<TestActor> {
  const db = handle.db;
  const user = await createTestUser(db, { email, name: "Ivy Invitee" });
  if (options.verified === false) {
    await db.updateTable("user").set({ emailVerified: false }).where("id", "=", user.userId).execute();
  }
  await insertSession(db, user);
  return user;
}

/** The shop's `actor` invites `email` as `role`, by email through the outbox. */
const invite = (
  actor: { organizationId: string; userId: string },
  email: string,
  role: "admin" | "member",
  now: Date,
) => inviteMember(handle.db, mail, actor, { email, role }, now);

const invitation = (id: string) =>
  handle.db.selectFrom("invitation").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("inviteMember", () => {
  it("creates a 7-day invitation, emails the link and audits", async () => {
    const db = handle.db;
    const clock = fixedClock(START);
    const { actor, organizationId } = await shop("Link Shop");
    const result = await invite(actor, "link@example.test", "admin", clock.now());
    expect(result.renewed).toBe(false);
    expect(result.expiresAt.toISOString()).toBe("2026-04-08T09:00:00.000Z");
    expect(await invitation(result.invitationId)).toMatchObject({
      organizationId,
      email: "link@example.test",
      role: "admin",
      status: "pending",
      inviterId: actor.userId,
    });

    const sent = await db
      .selectFrom("outboxMessage")
      .selectAll()
      .where("recipient", "=", "link@example.test")
      .executeTakeFirstOrThrow();
    expect(sent).toMatchObject({ template: "organization-invitation", category: "service", organizationId });
    expect(sent.subject).toBe("Olive Owner invited you to Link Shop on Ktizo");
    expect(sent.bodyText).toContain(`/invitations/${result.invitationId}`);
    expect(sent.bodyText).toContain("as an admin");
    const audit = (await auditRows(db, "invitation.created")).filter(
      (a) => a.subjectId === result.invitationId,
    );
    expect(audit).toHaveLength(1);
  });

  it("renews a pending invitation to the same address (same link, new expiry and role)", async () => {
    const db = handle.db;
    const clock = fixedClock(START);
    const { actor } = await shop();
    const first = await invite(actor, "again@example.test", "member", clock.now());
    clock.advance(6 * 24 * 3600_000);
    const second = await invite(actor, "again@example.test", "admin", clock.now());
    expect(second).toMatchObject({ invitationId: first.invitationId, renewed: true });
    expect(await invitation(first.invitationId)).toMatchObject({ role: "admin", status: "pending" });
    expect((await invitation(first.invitationId)).expiresAt.toISOString()).toBe("2026-04-14T09:00:00.000Z");
    const count = await db
      .selectFrom("invitation")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "=", "again@example.test")
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    expect(await auditRows(db, "invitation.renewed")).toEqual([
      expect.objectContaining({ subjectId: first.invitationId }),
    ]);
  });

  it("refuses to invite an existing member (CONFLICT on email), whatever the case of the address", async () => {
    const db = handle.db;
    const { actor, organizationId } = await shop();
    const existing = await createTestUser(db, { email: "already@example.test" });
    await addTestMember(db, organizationId, existing, "member");
    const before = await stateSnapshot(db);
    await expect(invite(actor, "already@example.test", "member", new Date())).rejects.toMatchObject({
      code: "CONFLICT",
      fieldErrors: { email: "This person is already a member" },
    });
    expect(await stateSnapshot(db)).toEqual(before);
  });

  it("is FORBIDDEN for a plain member", async () => {
    const db = handle.db;
    const { organizationId } = await shop();
    const member = await addTestMember(db, organizationId, await createTestUser(db), "member");
    const before = await stateSnapshot(db);
    await expect(
      inviteMember(
        db,
        mail,
        { organizationId, userId: member.userId },
        { email: "x@example.test", role: "member" },
        new Date(),
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await stateSnapshot(db)).toEqual(before);
  });
});

describe("getInvitation", () => {
  it("shows an invitation to the caller's address, and hides every other one", async () => {
    const db = handle.db;
    const clock = fixedClock(START);
    const { actor, organizationId } = await shop("Visible Shop");
    const ivy = await invitee("ivy.get@example.test");
    const { invitationId } = await invite(actor, "ivy.get@example.test", "member", clock.now());
    expect(await getInvitation(db, ivy.userId, invitationId, clock.now())).toMatchObject({
      id: invitationId,
      organizationId,
      organizationName: "Visible Shop",
      inviterName: "Olive Owner",
      role: "member",
      status: "pending",
    });
    clock.advance(INVITATION_TTL_MS);
    expect((await getInvitation(db, ivy.userId, invitationId, clock.now())).status).toBe("expired");

    const eve = await invitee("eve.get@example.test");
    await expect(getInvitation(db, eve.userId, invitationId, clock.now())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(getInvitation(db, ivy.userId, "inv_unknown", clock.now())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("acceptInvitation", () => {
  it("joins with the invitation's role, activates the organization and audits, in one go", async () => {
    const db = handle.db;
    const clock = fixedClock(START);
    const { actor, organizationId } = await shop();
    const ivy = await invitee("ivy.accept@example.test");
    const { invitationId } = await invite(actor, "ivy.accept@example.test", "admin", clock.now());
    clock.advance(INVITATION_TTL_MS - 1000);

    const joined = await acceptInvitation(db, ivy.session, invitationId, clock.now());
    expect(joined).toMatchObject({ organizationId, role: "admin" });
    const member = await db
      .selectFrom("member")
      .selectAll()
      .where("id", "=", joined.memberId)
      .executeTakeFirstOrThrow();
    expect(member).toMatchObject({ userId: ivy.userId, organizationId, role: "admin" });
    expect((await invitation(invitationId)).status).toBe("accepted");
    expect(await activeOrganizationOf(db, ivy.session.sessionId)).toBe(organizationId);
    expect(
      (await auditRows(db, "invitation.accepted")).filter((a) => a.subjectId === invitationId),
    ).toHaveLength(1);

    // A second answer is refused.
    await expect(acceptInvitation(db, ivy.session, invitationId, clock.now())).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "This invitation was already accepted",
    });
  });

  it("refuses an expired invitation (per the clock) and changes nothing", async () => {
    const db = handle.db;
    const clock = fixedClock(START);
    const { actor } = await shop();
    const ivy = await invitee("ivy.late@example.test");
    const { invitationId } = await invite(actor, "ivy.late@example.test", "member", clock.now());
    clock.advance(INVITATION_TTL_MS);
    const before = await stateSnapshot(db);
    await expect(acceptInvitation(db, ivy.session, invitationId, clock.now())).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "This invitation has expired; ask for a new one",
    });
    await expect(declineInvitation(db, ivy.session, invitationId, clock.now())).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect(await stateSnapshot(db)).toEqual(before);
  });

  it("refuses a caller with another email (NOT_FOUND) or an unverified one (FORBIDDEN)", async () => {
    const db = handle.db;
    const { actor } = await shop();
    const now = new Date();
    const { invitationId } = await invite(actor, "ivy.wrong@example.test", "member", now);
    const eve = await invitee("eve.wrong@example.test");
    const unverified = await invitee("ivy.wrong@example.test", { verified: false });
    const before = await stateSnapshot(db);
    await expect(acceptInvitation(db, eve.session, invitationId, now)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(declineInvitation(db, eve.session, invitationId, now)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(acceptInvitation(db, unverified.session, invitationId, now)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await stateSnapshot(db)).toEqual(before);
  });

  it("is CONFLICT for someone who is already a member, and leaves the invitation pending", async () => {
    const db = handle.db;
    const { actor, organizationId } = await shop();
    const now = new Date();
    const { invitationId } = await invite(actor, "ivy.twice@example.test", "member", now);
    const ivy = await invitee("ivy.twice@example.test");
    // Joined another way after the invitation was sent.
    await addTestMember(db, organizationId, ivy, "member");
    await expect(acceptInvitation(db, ivy.session, invitationId, now)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await invitation(invitationId)).status).toBe("pending");
  });
});

describe("declineInvitation and cancelInvitation", () => {
  it("declines: status rejected, audit, no membership", async () => {
    const db = handle.db;
    const { actor, organizationId } = await shop();
    const now = new Date();
    const { invitationId } = await invite(actor, "ivy.no@example.test", "member", now);
    const ivy = await invitee("ivy.no@example.test");
    await declineInvitation(db, ivy.session, invitationId, now);
    expect((await invitation(invitationId)).status).toBe("rejected");
    const member = await db
      .selectFrom("member")
      .select("id")
      .where("organizationId", "=", organizationId)
      .where("userId", "=", ivy.userId)
      .executeTakeFirst();
    expect(member).toBeUndefined();
    expect(
      (await auditRows(db, "invitation.declined")).filter((a) => a.subjectId === invitationId),
    ).toHaveLength(1);
  });

  it("cancels a pending invitation of the admin's organization only", async () => {
    const db = handle.db;
    const { actor } = await shop();
    const other = await shop();
    const now = new Date();
    const { invitationId } = await invite(actor, "ivy.cancel@example.test", "member", now);

    await expect(cancelInvitation(db, other.actor, invitationId)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await invitation(invitationId)).status).toBe("pending");

    await cancelInvitation(db, actor, invitationId);
    expect((await invitation(invitationId)).status).toBe("canceled");
    expect(
      (await auditRows(db, "invitation.canceled")).filter((a) => a.subjectId === invitationId),
    ).toHaveLength(1);
    await expect(cancelInvitation(db, actor, invitationId)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });

    const ivy = await invitee("ivy.cancel@example.test");
    await expect(acceptInvitation(db, ivy.session, invitationId, now)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "This invitation was canceled; ask for a new one",
    });
  });
});
