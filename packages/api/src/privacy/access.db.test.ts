import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addTestMember,
  callerFor,
  codeOf,
  createTestOrganization,
  createTestUser,
  type TestActor,
  uncoveredProcedures,
} from "../testing/index.ts";
import { privacyRouter } from "./router.ts";

/**
 * Every privacy procedure by tier: signed out is refused; signed-in procedures act on the caller's own
 * data only; organization procedures need membership (and admin to change); admin ones are hidden.
 */
let handle: DbHandle;
let member: TestActor;
let admin: TestActor;
let noOrg: TestActor;
type Caller = ReturnType<typeof callerFor>;

interface Case {
  path: string;
  call: (c: Caller) => Promise<unknown>;
  tier: "public" | "signedIn" | "org:member" | "org:admin" | "org:owner" | "platformAdmin";
}

const cases: Case[] = [
  { path: "privacy.messaging.list", tier: "signedIn", call: (c) => c.privacy.messaging.list() },
  {
    path: "privacy.messaging.update",
    tier: "signedIn",
    // Nobody's customer record: a signed-in person only ever reaches their own (NOT_FOUND otherwise).
    call: (c) =>
      c.privacy.messaging.update({ customerId: "cus_not_mine", notifyChannel: "sms", smsConsent: false }),
  },
  { path: "privacy.settings.get", tier: "signedIn", call: (c) => c.privacy.settings.get() },
  {
    path: "privacy.settings.update",
    tier: "signedIn",
    call: (c) => c.privacy.settings.update({ aiOff: false }),
  },
  { path: "privacy.organization.get", tier: "org:member", call: (c) => c.privacy.organization.get() },
  {
    path: "privacy.organization.setAiOff",
    tier: "org:admin",
    call: (c) => c.privacy.organization.setAiOff({ aiOff: false }),
  },
  {
    path: "privacy.organization.cancellation",
    tier: "org:member",
    call: (c) => c.privacy.organization.cancellation(),
  },
  {
    path: "privacy.organization.cancel",
    tier: "org:owner",
    call: (c) => c.privacy.organization.cancel({ confirmSlug: "not-the-slug" }),
  },
  {
    path: "privacy.organization.undoCancel",
    tier: "org:owner",
    call: (c) => c.privacy.organization.undoCancel(),
  },
  { path: "privacy.exports.list", tier: "signedIn", call: (c) => c.privacy.exports.list() },
  { path: "privacy.google.accounts", tier: "signedIn", call: (c) => c.privacy.google.accounts() },
  {
    path: "privacy.google.disconnect",
    tier: "signedIn",
    call: (c) => c.privacy.google.disconnect({ organizationId: "org_not_mine" }),
  },
  { path: "privacy.exports.request", tier: "signedIn", call: (c) => c.privacy.exports.request() },
  { path: "privacy.deletion.status", tier: "signedIn", call: (c) => c.privacy.deletion.status() },
  {
    path: "privacy.deletion.request",
    tier: "signedIn",
    call: (c) => c.privacy.deletion.request({ confirmation: "not confirmed" }),
  },
  { path: "privacy.deletion.cancel", tier: "signedIn", call: (c) => c.privacy.deletion.cancel() },
  {
    path: "privacy.exports.download",
    tier: "signedIn",
    call: (c) => c.privacy.exports.download({ id: "prq_x" }),
  },
  { path: "privacy.policies.current", tier: "public", call: (c) => c.privacy.policies.current() },
  { path: "privacy.policies.get", tier: "public", call: (c) => c.privacy.policies.get({ kind: "terms" }) },
  { path: "privacy.policies.pending", tier: "signedIn", call: (c) => c.privacy.policies.pending() },
  { path: "privacy.policies.accept", tier: "signedIn", call: (c) => c.privacy.policies.accept() },
  {
    path: "privacy.admin.policyVersions",
    tier: "platformAdmin",
    call: (c) => c.privacy.admin.policyVersions(),
  },
  {
    path: "privacy.admin.publishPolicy",
    tier: "platformAdmin",
    call: (c) =>
      c.privacy.admin.publishPolicy({
        kind: "terms",
        title: "Terms",
        body: "Be nice.",
        effectiveAt: new Date(),
      }),
  },
  { path: "privacy.admin.openRequests", tier: "platformAdmin", call: (c) => c.privacy.admin.openRequests() },
];

beforeAll(async () => {
  handle = await createTestDb();
  const owner = await createTestUser(handle.db);
  const { organizationId } = await createTestOrganization(handle.db, owner);
  member = await addTestMember(handle.db, organizationId, await createTestUser(handle.db), "member");
  admin = await addTestMember(handle.db, organizationId, await createTestUser(handle.db), "admin");
  noOrg = await createTestUser(handle.db);
});
afterAll(() => handle.close());

describe("privacy access", () => {
  it("covers every procedure", () => {
    expect(
      uncoveredProcedures(
        privacyRouter,
        cases.map((c) => c.path),
        "privacy",
      ),
    ).toEqual([]);
  });

  it.each(cases)("$path refuses those outside its tier", async ({ call, tier }) => {
    const signedOut = await codeOf(call(callerFor(handle, null)));
    if (tier === "public") {
      // Public policy pages: readable by anyone (NOT_FOUND only because nothing is published here).
      expect(["OK", "NOT_FOUND"]).toContain(signedOut);
      return;
    }
    expect(signedOut).toBe(
      tier === "platformAdmin" ? "NOT_FOUND" : tier.startsWith("org:") ? "FORBIDDEN" : "UNAUTHORIZED",
    );
    if (tier.startsWith("org:")) expect(await codeOf(call(callerFor(handle, noOrg)))).toBe("NOT_FOUND");
    if (tier === "org:admin") {
      expect(await codeOf(call(callerFor(handle, member)))).toBe("FORBIDDEN");
      expect(await codeOf(call(callerFor(handle, admin)))).toBe("OK");
    }
    if (tier === "org:owner") {
      expect(await codeOf(call(callerFor(handle, member)))).toBe("FORBIDDEN");
      expect(await codeOf(call(callerFor(handle, admin)))).toBe("FORBIDDEN");
    }
    if (tier === "platformAdmin") expect(await codeOf(call(callerFor(handle, member)))).toBe("NOT_FOUND");
  });
});
