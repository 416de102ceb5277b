import { type Database, newId, recordAudit } from "@ktizo/db";
import type { GoogleAccountRef, GoogleAccountStatus } from "./types.ts";

/** The stored Google account of one workspace user (both adapters keep it the same way). */
export async function findAccount(db: Database, ref: GoogleAccountRef) {
  return db
    .selectFrom("googleAccount")
    .selectAll()
    .where("organizationId", "=", ref.organizationId)
    .where("userId", "=", ref.userId)
    .executeTakeFirst();
}

export function accountStatus(
  row: { id: string; email: string; scopes: string; createdAt: Date } | undefined,
): GoogleAccountStatus {
  if (!row) return { connected: false, accountId: null, email: null, scopes: [], connectedAt: null };
  return {
    connected: true,
    accountId: row.id,
    email: row.email,
    scopes: row.scopes.split(" ").filter(Boolean),
    connectedAt: row.createdAt,
  };
}

/**
 * Stores (or replaces) the user's account. Reconnecting keeps the row, so thread links and Drive folders
 * survive a reconnect with the same Google address; a different address starts over (its links belonged
 * to the other mailbox).
 */
export async function saveAccount(
  db: Database,
  ref: GoogleAccountRef,
  input: { email: string; scopes: string[]; refreshTokenCiphertext: string; historyId: string | null },
  now: Date,
): Promise<GoogleAccountStatus> {
  return db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom("googleAccount")
      .select(["id", "email"])
      .where("organizationId", "=", ref.organizationId)
      .where("userId", "=", ref.userId)
      .forUpdate()
      .executeTakeFirst();
    if (existing && existing.email.toLowerCase() !== input.email.toLowerCase()) {
      await tx.deleteFrom("googleAccount").where("id", "=", existing.id).execute();
    }
    const sameAccount = existing && existing.email.toLowerCase() === input.email.toLowerCase();
    const row = sameAccount
      ? await tx
          .updateTable("googleAccount")
          .set({
            scopes: input.scopes.join(" "),
            refreshTokenCiphertext: input.refreshTokenCiphertext,
            updatedAt: now,
          })
          .where("id", "=", existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx
          .insertInto("googleAccount")
          .values({
            id: newId("gac"),
            organizationId: ref.organizationId,
            userId: ref.userId,
            email: input.email,
            scopes: input.scopes.join(" "),
            refreshTokenCiphertext: input.refreshTokenCiphertext,
            historyId: input.historyId,
            createdAt: now,
            updatedAt: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      organizationId: ref.organizationId,
      actorUserId: ref.userId,
      action: "google.connected",
      subjectType: "google_account",
      subjectId: row.id,
      data: { email: input.email, scopes: input.scopes },
    });
    return accountStatus(row);
  });
}

/** Deletes the account: its token, and by cascade its thread links and cached mail; Drive folders keep their link but lose the account. */
export async function deleteAccount(
  db: Database,
  ref: GoogleAccountRef,
  data: { revoked: boolean },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .deleteFrom("googleAccount")
      .where("organizationId", "=", ref.organizationId)
      .where("userId", "=", ref.userId)
      .returning(["id", "email"])
      .executeTakeFirst();
    if (!row) return;
    await recordAudit(tx, {
      organizationId: ref.organizationId,
      actorUserId: ref.userId,
      action: "google.disconnected",
      subjectType: "google_account",
      subjectId: row.id,
      data,
    });
  });
}

/** The associated data a user's refresh token is encrypted with: it decrypts for no other user or shop. */
export function tokenBinding(ref: GoogleAccountRef): string {
  return `${ref.organizationId}:${ref.userId}`;
}
