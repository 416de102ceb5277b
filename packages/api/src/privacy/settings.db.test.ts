import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database, DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { AiDisabledError, createServices, fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addTestMember,
  callerFor,
  createTestOrganization,
  createTestUser,
  type TestActor,
} from "../testing/index.ts";
import { startLoopback } from "../testing/loopback.ts";
import { CONSENT_COOKIE, consentCookie, readConsent } from "./consent.ts";
import { requestDeletion } from "./deletion.ts";
import { canSendMarketing, captureAnalytics, createIsAiAllowed, updatePrivacySettings } from "./settings.ts";

let handle: DbHandle;
let db: Database;
const clock = fixedClock("2026-04-01T09:00:00Z");
let owner: TestActor;
let member: TestActor;
let organizationId: string;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  const created = await createTestOrganization(db, await createTestUser(db, { name: "Owner" }));
  owner = created.owner;
  organizationId = created.organizationId;
  member = await addTestMember(db, organizationId, await createTestUser(db, { name: "Member" }), "member");
});
afterAll(() => handle.close());

describe("consent cookie", () => {
  it("reads accepted, rejected and not-asked", () => {
    expect(readConsent(null)).toBeNull();
    expect(readConsent("theme=dark")).toBeNull();
    expect(readConsent(`theme=dark; ${CONSENT_COOKIE}=accepted`)).toBe(true);
    expect(readConsent(`${CONSENT_COOKIE}=rejected; ktizo.session_token=x`)).toBe(false);
    expect(readConsent(`${CONSENT_COOKIE}=maybe`)).toBeNull();
    expect(consentCookie("accepted", { secure: true })).toBe(
      `__Host-${CONSENT_COOKIE}=accepted; Path=/; Max-Age=15724800; SameSite=Lax; HttpOnly; Secure`,
    );
  });
});

describe("AI switches (P13, P28)", () => {
  it("sends nothing to the AI provider when the organization or user switch is off", async () => {
    const anthropic = await startLoopback(() => ({
      status: 400,
      body: { type: "error", error: { type: "invalid_request_error", message: "loopback" } },
    }));
    try {
      const { services } = createServices({
        settings: {
          KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-privacy-")),
          ANTHROPIC_API_KEY: "sk-ant-test",
          ANTHROPIC_API_BASE_URL: anthropic.url,
        },
        db,
        clock,
        isAiAllowed: createIsAiAllowed(db),
      });
      const ask = (actor: TestActor) =>
        services.ai.suggest(
          { organizationId, userId: actor.userId },
          { task: "job-notes", context: "PLA bracket" },
        );

      // Organization switch off (through the API, as an admin would), for everyone in it.
      await callerFor(handle, owner, { clock }).privacy.organization.setAiOff({ aiOff: true });
      await expect(ask(owner)).rejects.toBeInstanceOf(AiDisabledError);
      await expect(ask(member)).rejects.toBeInstanceOf(AiDisabledError);
      expect(anthropic.received).toHaveLength(0);

      // A member cannot switch it back on.
      await expect(
        callerFor(handle, member, { clock }).privacy.organization.setAiOff({ aiOff: false }),
      ).rejects.toThrow(/admin/);
      await callerFor(handle, owner, { clock }).privacy.organization.setAiOff({ aiOff: false });

      // User switch off, restriction, objection: that user only.
      await callerFor(handle, member, { clock }).privacy.settings.update({ aiOff: true });
      await expect(ask(member)).rejects.toBeInstanceOf(AiDisabledError);
      await updatePrivacySettings(db, member.userId, { aiOff: false, restrictProcessing: true }, clock.now());
      await expect(ask(member)).rejects.toBeInstanceOf(AiDisabledError);
      await updatePrivacySettings(
        db,
        member.userId,
        { restrictProcessing: false, objectProcessing: true },
        clock.now(),
      );
      await expect(ask(member)).rejects.toBeInstanceOf(AiDisabledError);
      // Someone outside the organization naming it in the scope.
      const outsider = await createTestUser(db);
      await expect(ask(outsider)).rejects.toBeInstanceOf(AiDisabledError);
      expect(anthropic.received).toHaveLength(0);

      // With both switches on, the request does reach the provider.
      await expect(ask(owner)).rejects.toThrow();
      expect(anthropic.received.length).toBeGreaterThan(0);
    } finally {
      await anthropic.close();
    }
  });

  it("refuses AI for an account scheduled for deletion", async () => {
    const isAiAllowed = createIsAiAllowed(db);
    const person = await addTestMember(db, organizationId, await createTestUser(db), "member");
    expect(await isAiAllowed({ organizationId, userId: person.userId })).toBe(true);
    const { services } = createServices({
      settings: { KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-privacy-")) },
      db,
      clock,
    });
    await requestDeletion(db, services.mail, clock, person.userId);
    expect(await isAiAllowed({ organizationId, userId: person.userId })).toBe(false);
  });
});

describe("server-side analytics (P14, P28) against a loopback PostHog", () => {
  it("sends only with consent, honours the in-app switch and restriction, and carries no personal data", async () => {
    const posthog = await startLoopback(() => ({ body: { status: 1 } }));
    try {
      const { services } = createServices({
        settings: {
          KTIZO_DATA_DIR: mkdtempSync(join(tmpdir(), "ktizo-privacy-")),
          POSTHOG_KEY: "phc_loopback",
          POSTHOG_HOST: posthog.url,
          ANALYTICS_ID_SECRET: "x".repeat(40),
        },
        db,
        clock,
      });
      const user = await createTestUser(db, { name: "Ana Lytics", email: "ana.lytics@example.test" });
      const send = (consent: boolean | null) =>
        captureAnalytics(db, services.analytics, {
          event: "quote_requested",
          userId: user.userId,
          properties: { materials: 2 },
          consent,
        });
      const counts: Record<string, boolean> = {};
      counts.notAsked = await send(null);
      counts.rejected = await send(false);
      counts.accepted = await send(true);
      await updatePrivacySettings(db, user.userId, { analyticsOff: true }, clock.now());
      counts.switchedOff = await send(true);
      await updatePrivacySettings(
        db,
        user.userId,
        { analyticsOff: false, restrictProcessing: true },
        clock.now(),
      );
      counts.restricted = await send(true);
      await updatePrivacySettings(
        db,
        user.userId,
        { restrictProcessing: false, objectProcessing: true },
        clock.now(),
      );
      counts.objected = await send(true);
      counts.anonymousAccepted = await captureAnalytics(db, services.analytics, {
        event: "page_viewed",
        userId: null,
        consent: true,
      });
      counts.anonymousNotAsked = await captureAnalytics(db, services.analytics, {
        event: "page_viewed",
        userId: null,
        consent: undefined,
      });
      await services.analytics.flush();
      expect(counts).toEqual({
        notAsked: false,
        rejected: false,
        accepted: true,
        switchedOff: false,
        restricted: false,
        objected: false,
        anonymousAccepted: true,
        anonymousNotAsked: false,
      });
      const events = posthog.received.flatMap(
        (r) => (JSON.parse(r.text) as { batch?: { event: string }[] }).batch ?? [],
      );
      expect(events.map((e) => e.event).sort()).toEqual(["page_viewed", "quote_requested"]);
      const all = posthog.received.map((r) => r.text).join("\n");
      expect(all).not.toContain(user.userId);
      expect(all).not.toContain("ana.lytics@example.test");
      expect(all).not.toContain("Ana Lytics");
      await services.analytics.shutdown();
    } finally {
      await posthog.close();
    }
  });
});

describe("marketing opt-out (P19, P28)", () => {
  it("is off by default, follows the switch and stops under restriction", async () => {
    const user = await createTestUser(db);
    expect(await canSendMarketing(db, user.userId)).toBe(false);
    await updatePrivacySettings(db, user.userId, { marketingOff: false }, clock.now());
    expect(await canSendMarketing(db, user.userId)).toBe(true);
    await updatePrivacySettings(db, user.userId, { objectProcessing: true }, clock.now());
    expect(await canSendMarketing(db, user.userId)).toBe(false);
    // Settings changes leave an audit row.
    const audit = await db
      .selectFrom("auditLog")
      .select("action")
      .where("subjectId", "=", user.userId)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["privacy.settings.updated", "privacy.settings.updated"]);
  });
});
