import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { fixedClock } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, createTestUser, testServices } from "../testing/index.ts";
import { requestDeletion } from "./deletion.ts";
import { requestExport } from "./export.ts";

const DAY = 24 * 60 * 60 * 1000;
let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

describe("open privacy requests in the admin console (P29)", () => {
  it("lists exports and deletions with their age, flagging those that are late", async () => {
    const db = handle.db;
    const clock = fixedClock("2026-02-01T00:00:00Z");
    const services = testServices(db, clock);
    const admin = await createTestUser(db, { platformRole: "admin" });
    const exporter = await createTestUser(db, { email: "exporter@example.test" });
    const leaver = await createTestUser(db, { email: "leaver@example.test" });
    await requestExport(db, clock, exporter.userId);
    clock.advance(1000); // oldest first
    await requestDeletion(db, services.mail, clock, leaver.userId);

    const api = callerFor(handle, admin, { clock, services });
    expect(
      (await api.privacy.admin.openRequests()).map((r) => [r.kind, r.email, r.ageDays, r.urgency]),
    ).toEqual([
      ["export", "exporter@example.test", 0, "ok"],
      ["deletion", "leaver@example.test", 0, "ok"],
    ]);

    // Two days on, the unbuilt export is late (the job is not running); the deletion is on schedule.
    clock.advance(2 * DAY);
    expect((await api.privacy.admin.openRequests()).map((r) => [r.kind, r.ageDays, r.urgency])).toEqual([
      ["export", 2, "warn"],
      ["deletion", 2, "ok"],
    ]);
    // Past 30 days: the export is overdue, and so is a deletion more than a day past its date.
    clock.advance(30 * DAY);
    expect((await api.privacy.admin.openRequests()).map((r) => [r.kind, r.ageDays, r.urgency])).toEqual([
      ["export", 32, "overdue"],
      ["deletion", 32, "overdue"],
    ]);
  });
});
