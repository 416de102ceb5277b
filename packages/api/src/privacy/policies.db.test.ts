import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock, type Services } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestUser, type TestActor, testServices } from "../testing/index.ts";
import { privacyPolicyAnnounceJob } from "./jobs.ts";
import { acceptPolicies, announcePendingPolicies } from "./policies.ts";

const DAY = 24 * 60 * 60 * 1000;
let handle: DbHandle;
let db: Database;
let services: Services;
let admin: TestActor;
const clock = fixedClock("2026-06-01T12:00:00Z");

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  services = testServices(db, clock);
  admin = await createTestUser(db, { platformRole: "admin", name: "Admin" });
});
afterAll(() => handle.close());

describe("versioned policies (P31)", () => {
  it("publishes with 30 days' notice, announces by email and banner, records acceptance", async () => {
    const api = callerFor(handle, admin, { clock, services });
    // The first version may take effect at once; accepted at sign-up.
    const v1 = await api.privacy.admin.publishPolicy({
      kind: "privacy",
      title: "Privacy policy",
      body: "We keep your data safe.",
      effectiveAt: clock.now(),
    });
    expect(v1.version).toBe(1);
    // Audited at the injected clock's time (a fixed day in June), not the database's.
    const audited = await db
      .selectFrom("auditLog")
      .select("createdAt")
      .where("action", "=", "policy.published")
      .executeTakeFirstOrThrow();
    expect(audited.createdAt.toISOString()).toBe(clock.now().toISOString());
    const user = await createTestUser(db, { email: "reader@example.test" });
    expect(await acceptPolicies(db, user.userId, clock.now(), "sign-up")).toEqual([v1.id]);

    // Sooner than 30 days is refused; nothing is published or sent.
    await expect(
      api.privacy.admin.publishPolicy({
        kind: "privacy",
        title: "Privacy policy",
        body: "v2",
        effectiveAt: new Date(clock.now().getTime() + 29 * DAY),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db.selectFrom("policyVersion").select("id").execute()).toHaveLength(1);

    const v2 = await api.privacy.admin.publishPolicy({
      kind: "privacy",
      title: "Privacy policy",
      body: "Version two.",
      summary: "We now use Sentry for error reports.",
      effectiveAt: new Date(clock.now().getTime() + 30 * DAY),
    });
    const announcements = () =>
      db
        .selectFrom("outboxMessage")
        .select(["recipient", "category", "subject"])
        .where("template", "=", "policy-change")
        .execute();
    // Not inside the admin's request: the background job sends the emails, once.
    expect(await announcements()).toEqual([]);
    await privacyPolicyAnnounceJob.run({}, { db, services, clock });
    await privacyPolicyAnnounceJob.run({}, { db, services, clock });
    const mails = await announcements();
    const verified = await db.selectFrom("user").select("id").where("emailVerified", "=", true).execute();
    expect(mails).toHaveLength(verified.length);
    expect(mails).toContainEqual({
      recipient: "reader@example.test",
      category: "service",
      subject: "Our privacy policy changes on 2026-07-01",
    });

    const reader = callerFor(handle, user, { clock, services });
    expect(await reader.privacy.policies.pending()).toMatchObject({
      upcoming: [{ id: v2.id }],
      unaccepted: [],
    });
    // The public page still shows v1 until the effective date.
    expect((await reader.privacy.policies.get({ kind: "privacy" })).body).toBe("We keep your data safe.");

    // After the date, the first sign-in records acceptance once.
    clock.advance(31 * DAY);
    expect((await reader.privacy.policies.get({ kind: "privacy" })).body).toBe("Version two.");
    expect(await acceptPolicies(db, user.userId, clock.now(), "sign-in")).toEqual([v2.id]);
    expect(await acceptPolicies(db, user.userId, clock.now(), "sign-in")).toEqual([]);
    const rows = await db
      .selectFrom("policyAcceptance")
      .select(["policyVersionId", "context"])
      .where("userId", "=", user.userId)
      .orderBy("acceptedAt")
      .execute();
    expect(rows).toEqual([
      { policyVersionId: v1.id, context: "sign-up" },
      { policyVersionId: v2.id, context: "sign-in" },
    ]);
    const versions = await api.privacy.admin.policyVersions();
    expect(versions.map((v) => [v.version, v.acceptances])).toEqual([
      [2, 1],
      [1, 1],
    ]);
  });
});

describe("policy announcements (P31)", () => {
  it("resume after a failure half-way without emailing anyone twice", async () => {
    const api = callerFor(handle, admin, { clock, services });
    for (let i = 0; i < 5; i++) await createTestUser(db, { email: `batch${i}@example.test` });
    await api.privacy.admin.publishPolicy({
      kind: "terms",
      title: "Terms of service",
      body: "Version one.",
      effectiveAt: clock.now(),
    });
    const v2 = await api.privacy.admin.publishPolicy({
      kind: "terms",
      title: "Terms of service",
      body: "Version two.",
      effectiveAt: new Date(clock.now().getTime() + 45 * DAY),
    });
    // The mail provider fails on the fourth message: the first batches are recorded as sent.
    let calls = 0;
    const flaky = {
      provider: "flaky",
      send: async (message: Parameters<Services["mail"]["send"]>[0]) => {
        calls += 1;
        if (calls === 4) throw new Error("SMTP timeout");
        return services.mail.send(message);
      },
    };
    await expect(announcePendingPolicies(db, flaky, clock.now(), 2)).rejects.toThrow("SMTP timeout");
    await announcePendingPolicies(db, services.mail, clock.now(), 2);
    expect(await announcePendingPolicies(db, services.mail, clock.now(), 2)).toBe(0);

    const sent = await db
      .selectFrom("outboxMessage")
      .select("recipient")
      .where("template", "=", "policy-change")
      .where("subject", "like", "Our terms of service%")
      .execute();
    const verified = await db.selectFrom("user").select("email").where("emailVerified", "=", true).execute();
    expect(sent.map((m) => m.recipient).sort()).toEqual(verified.map((u) => u.email).sort());
    const row = await db
      .selectFrom("policyVersion")
      .select("announcedAt")
      .where("id", "=", v2.id)
      .executeTakeFirstOrThrow();
    expect(row.announcedAt).not.toBeNull();
  });
});
