import { randomBytes } from "node:crypto";
import type { Database } from "@ktizo/db";
import type { TestActor } from "./index.ts";

/**
 * Helpers for this folder's tests. The shared createTestUser only builds a SessionInfo; session
 * procedures need the matching `session` row, which better-auth would have written at sign-in.
 */
export async function insertSession(
  db: Database,
  actor: TestActor,
  options: { id?: string; expiresAt?: Date; userAgent?: string; activeOrganizationId?: string | null } = {},
): Promise<string> {
  const id = options.id ?? actor.session.sessionId;
  await db
    .insertInto("session")
    .values({
      id,
      userId: actor.userId,
      token: randomBytes(16).toString("hex"),
      expiresAt: options.expiresAt ?? new Date(Date.now() + 30 * 24 * 3600_000),
      ipAddress: "203.0.113.7",
      userAgent: options.userAgent ?? "vitest",
      activeOrganizationId:
        options.activeOrganizationId === undefined
          ? actor.session.activeOrganizationId
          : options.activeOrganizationId,
    })
    .execute();
  return id;
}

export async function auditRows(db: Database, action: string) {
  return db.selectFrom("auditLog").selectAll().where("action", "=", action).orderBy("createdAt").execute();
}

export async function activeOrganizationOf(db: Database, sessionId: string): Promise<string | null> {
  const row = await db
    .selectFrom("session")
    .select("activeOrganizationId")
    .where("id", "=", sessionId)
    .executeTakeFirstOrThrow();
  return row.activeOrganizationId;
}

/**
 * A snapshot of every table the account and admin procedures write, to prove a refused call changed
 * nothing (not only the row counts: roles, statuses and active organizations too).
 */
export async function stateSnapshot(db: Database) {
  const [users, sessions, organizations, profiles, members, invitations, audit, outbox] = await Promise.all([
    db.selectFrom("user").select(["id", "name", "country", "banned", "updatedAt"]).orderBy("id").execute(),
    db.selectFrom("session").select(["id", "activeOrganizationId"]).orderBy("id").execute(),
    db.selectFrom("organization").select(["id", "name", "slug"]).orderBy("id").execute(),
    db.selectFrom("organizationProfile").selectAll().orderBy("organizationId").execute(),
    db.selectFrom("member").select(["id", "role"]).orderBy("id").execute(),
    db.selectFrom("invitation").select(["id", "status", "role", "expiresAt"]).orderBy("id").execute(),
    db.selectFrom("auditLog").select("id").orderBy("id").execute(),
    db.selectFrom("outboxMessage").select("id").orderBy("id").execute(),
  ]);
  return { users, sessions, organizations, profiles, members, invitations, audit, outbox };
}
