import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainError } from "../kernel/index.ts";
import { activeOrganizationOf, insertSession } from "../testing/account-support.ts";
import { callerFor, createTestUser, type TestActor, withActiveOrganization } from "../testing/index.ts";

/**
 * The procedures wired end to end, as the web app uses them: one organization's life from creation to
 * members leaving. The rules themselves are tested beside each domain function.
 */
let handle: DbHandle;
const clock = fixedClock("2026-07-01T12:00:00Z");
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const call = (actor: TestActor) => callerFor(handle, actor, { clock }).account;

async function refused(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("account router", () => {
  it("runs an organization's life: create, invite, join, change roles, remove, leave", async () => {
    const db = handle.db;
    let olive = await createTestUser(db, { name: "Olive", email: "olive@example.test" });
    await insertSession(db, olive);
    await insertSession(db, olive, { id: "ses_olive_phone" });

    expect((await call(olive).updateProfile({ name: "  Olive Oyl ", country: "gb" })).name).toBe("Olive Oyl");
    const sessions = await call(olive).sessions.list();
    expect(sessions.filter((s) => s.current).map((s) => s.id)).toEqual([olive.session.sessionId]);
    expect(await call(olive).sessions.revoke({ sessionId: "ses_olive_phone" })).toEqual({
      revoked: 1,
      current: false,
    });
    expect(await call(olive).sessions.revokeOthers()).toEqual({ revoked: 0 });

    const org = await call(olive).organizations.create({
      name: "Olive's Prints",
      companyName: "Olive Prints Ltd",
      country: "GB",
      currency: "GBP",
      phone: "+44 20 7946 0000",
    });
    expect(org).toMatchObject({ slug: "olive-s-prints", role: "owner" });
    expect(await activeOrganizationOf(db, olive.session.sessionId)).toBe(org.id);
    olive = withActiveOrganization(olive, org.id);

    // A taken slug comes back as CONFLICT with the field named, ready for the form.
    const taken = await refused(
      call(olive).organizations.create({
        name: "Copy",
        slug: "olive-s-prints",
        companyName: "Copy",
        country: "GB",
        currency: "GBP",
      }),
    );
    expect(taken.code).toBe("CONFLICT");
    expect((taken.cause as DomainError).fieldErrors).toEqual({ slug: "This address is already taken" });
    // Bad input is BAD_REQUEST before anything runs.
    const bad = await refused(
      call(olive).organizations.create({
        name: "X",
        slug: "admin",
        companyName: "X",
        country: "EU",
        currency: "ABC",
      }),
    );
    expect(bad.code).toBe("BAD_REQUEST");

    expect(await call(olive).organization.get()).toMatchObject({ id: org.id, profile: { currency: "GBP" } });
    // The name changes on the shop profile, the one way to edit it.
    await callerFor(handle, olive, { clock }).shop.profile.update({ name: "Olive Prints" });

    const invited = await call(olive).members.invite({ email: "Pat@Example.test", role: "admin" });
    let pat = await createTestUser(db, { name: "Pat", email: "pat@example.test" });
    await insertSession(db, pat);
    expect(await call(pat).invitations.get({ invitationId: invited.invitationId })).toMatchObject({
      organizationName: "Olive Prints",
      inviterName: "Olive Oyl",
      role: "admin",
      status: "pending",
    });
    expect(await call(pat).invitations.accept({ invitationId: invited.invitationId })).toMatchObject({
      organizationId: org.id,
      role: "admin",
    });
    pat = withActiveOrganization(pat, org.id);

    const declined = await call(pat).members.invite({ email: "quinn@example.test", role: "member" });
    const quinn = await createTestUser(db, { email: "quinn@example.test" });
    await insertSession(db, quinn);
    expect(await call(quinn).invitations.decline({ invitationId: declined.invitationId })).toEqual({
      declined: true,
    });
    const canceled = await call(pat).members.invite({ email: "rae@example.test", role: "member" });
    expect(await call(pat).invitations.cancel({ invitationId: canceled.invitationId })).toEqual({
      canceled: true,
    });

    const list = await call(pat).members.list();
    expect(list.members.map((m) => [m.name, m.role])).toEqual([
      ["Olive Oyl", "owner"],
      ["Pat", "admin"],
    ]);
    expect(list.invitations).toEqual([]);
    const patMember = list.members.find((m) => m.userId === pat.userId)!;

    await call(olive).members.changeRole({ memberId: patMember.memberId, role: "owner" });
    expect(await call(olive).organizations.leave()).toEqual({ left: true });
    expect(await activeOrganizationOf(db, olive.session.sessionId)).toBeNull();
    expect(await call(olive).organizations.list()).toEqual([]);
    expect((await call(olive).me()).activeOrganizationId).toBeNull();

    const last = await refused(call(pat).organizations.leave());
    expect(last.code).toBe("PRECONDITION_FAILED");

    const sam = await createTestUser(db, { email: "sam@example.test" });
    const samInvite = await call(pat).members.invite({ email: "sam@example.test", role: "member" });
    await insertSession(db, sam);
    await call(sam).invitations.accept({ invitationId: samInvite.invitationId });
    await call(sam).organizations.switch({ organizationId: org.id });
    const samMember = (await call(pat).members.list()).members.find((m) => m.userId === sam.userId)!;
    expect(await call(pat).members.remove({ memberId: samMember.memberId })).toEqual({ removed: true });
    expect(await activeOrganizationOf(db, sam.session.sessionId)).toBeNull();

    const me = await call(pat).me();
    expect(me.memberships).toEqual([
      { organizationId: org.id, name: "Olive Prints", slug: "olive-s-prints", role: "owner" },
    ]);
  });
});
