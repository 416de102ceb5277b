import type { Database } from "@ktizo/db";
import type { GoogleService } from "@ktizo/services";
import { z } from "zod";
import { idSchema, notFound } from "../kernel/index.ts";

/** A Google account the user connected in a shop (issue 13), as the privacy center lists it. */
export interface ConnectedGoogleAccount {
  organizationId: string;
  organizationName: string;
  email: string;
  scopes: string[];
  connectedAt: Date;
  linkedThreads: number;
  cachedMessages: number;
  driveFolders: number;
}

export async function listGoogleAccounts(db: Database, userId: string): Promise<ConnectedGoogleAccount[]> {
  const rows = await db
    .selectFrom("googleAccount as a")
    .innerJoin("organization as o", "o.id", "a.organizationId")
    .select((eb) => [
      "a.organizationId",
      "o.name as organizationName",
      "a.email",
      "a.scopes",
      "a.createdAt",
      eb
        .selectFrom("gmailThreadLink")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("accountId", "=", "a.id")
        .as("linkedThreads"),
      eb
        .selectFrom("gmailMessage")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("accountId", "=", "a.id")
        .as("cachedMessages"),
      eb
        .selectFrom("driveFolder")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("accountId", "=", "a.id")
        .as("driveFolders"),
    ])
    .where("a.userId", "=", userId)
    .orderBy("a.createdAt")
    .execute();
  return rows.map((r) => ({
    organizationId: r.organizationId,
    organizationName: r.organizationName,
    email: r.email,
    scopes: r.scopes.split(" ").filter(Boolean),
    connectedAt: r.createdAt,
    linkedThreads: Number(r.linkedThreads ?? 0),
    cachedMessages: Number(r.cachedMessages ?? 0),
    driveFolders: Number(r.driveFolders ?? 0),
  }));
}

export const disconnectGoogleInput = z.object({ organizationId: idSchema }).strict();

/** Revokes the user's own grant at Google and deletes its token, links and cached mail. */
export async function disconnectGoogleAccount(
  db: Database,
  google: Pick<GoogleService, "disconnect">,
  userId: string,
  organizationId: string,
): Promise<{ revoked: boolean }> {
  const own = await db
    .selectFrom("googleAccount")
    .select("id")
    .where("userId", "=", userId)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!own) throw notFound("No Google account connected there");
  return google.disconnect({ organizationId, userId });
}
