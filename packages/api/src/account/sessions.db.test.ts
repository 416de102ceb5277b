import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRows, insertSession } from "../testing/account-support.ts";
import { createTestUser } from "../testing/index.ts";
import { listSessions, revokeOtherSessions, revokeSession } from "./sessions.ts";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(() => handle.close());

const sessionIds = async (userId: string) =>
  (
    await handle.db.selectFrom("session").select("id").where("userId", "=", userId).orderBy("id").execute()
  ).map((r) => r.id);

describe("sessions", () => {
  it("lists the user's live sessions with the current one marked, never tokens", async () => {
    const db = handle.db;
    const user = await createTestUser(db);
    const current = await insertSession(db, user);
    const laptop = await insertSession(db, user, { id: "ses_laptop_a", userAgent: "Firefox" });
    await insertSession(db, user, { id: "ses_expired_a", expiresAt: new Date(Date.now() - 1000) });
    const other = await createTestUser(db);
    await insertSession(db, other);

    const sessions = await listSessions(db, user.session, new Date());
    expect(sessions.map((s) => s.id).sort()).toEqual([current, laptop].sort());
    expect(sessions.find((s) => s.id === current)!.current).toBe(true);
    expect(sessions.find((s) => s.id === laptop)).toMatchObject({ current: false, userAgent: "Firefox" });
    for (const s of sessions) expect(Object.keys(s)).not.toContain("token");
  });

  it("revokes one of the user's sessions, with an audit row", async () => {
    const db = handle.db;
    const user = await createTestUser(db);
    const current = await insertSession(db, user);
    await insertSession(db, user, { id: "ses_phone_b" });
    await expect(revokeSession(db, user.session, "ses_phone_b")).resolves.toEqual({
      revoked: 1,
      current: false,
    });
    expect(await sessionIds(user.userId)).toEqual([current]);
    const audit = (await auditRows(db, "session.revoked")).filter((a) => a.subjectId === user.userId);
    expect(audit.map((a) => a.data)).toEqual([{ sessionId: "ses_phone_b" }]);
  });

  it("answers NOT_FOUND for another user's session and leaves it alone", async () => {
    const db = handle.db;
    const user = await createTestUser(db);
    await insertSession(db, user);
    const victim = await createTestUser(db);
    const victimSession = await insertSession(db, victim);
    await expect(revokeSession(db, user.session, victimSession)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(revokeSession(db, user.session, "ses_unknown")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await sessionIds(victim.userId)).toEqual([victimSession]);
    expect((await auditRows(db, "session.revoked")).filter((a) => a.subjectId === user.userId)).toEqual([]);
  });

  it("revokes every other session of the user, keeping the current one and other users' sessions", async () => {
    const db = handle.db;
    const user = await createTestUser(db);
    const current = await insertSession(db, user);
    await insertSession(db, user, { id: "ses_c1" });
    await insertSession(db, user, { id: "ses_c2" });
    const other = await createTestUser(db);
    const otherSession = await insertSession(db, other);

    await expect(revokeOtherSessions(db, user.session)).resolves.toEqual({ revoked: 2 });
    expect(await sessionIds(user.userId)).toEqual([current]);
    expect(await sessionIds(other.userId)).toEqual([otherSession]);
    const audit = (await auditRows(db, "session.revoked_others")).filter((a) => a.subjectId === user.userId);
    expect(audit.map((a) => a.data)).toEqual([{ revoked: 2 }]);
    await expect(revokeOtherSessions(db, user.session)).resolves.toEqual({ revoked: 0 });
  });
});
