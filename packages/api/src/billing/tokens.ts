import { createHash, randomBytes } from "node:crypto";
import { newId, type PortalDocumentType } from "@ktizo/db";
import type { Executor } from "../kernel/index.ts";
import { notFound } from "../kernel/index.ts";

/** How long an emailed document link works. */
export const PORTAL_TOKEN_DAYS = 60;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A new link to exactly one document. The token (256 random bits) is only in the link; the database
 * keeps its SHA-256, so a leaked table opens nothing.
 */
export async function createPortalToken(
  trx: Executor,
  doc: { organizationId: string; type: PortalDocumentType; id: string },
  now: Date,
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await trx
    .insertInto("portalToken")
    .values({
      id: newId("ptk"),
      organizationId: doc.organizationId,
      tokenHash: hash(token),
      documentType: doc.type,
      documentId: doc.id,
      expiresAt: new Date(now.getTime() + PORTAL_TOKEN_DAYS * 86_400_000),
      createdAt: now,
    })
    .execute();
  return token;
}

export const portalPath = (token: string) => `/portal/${token}`;

/** The document a link opens; unknown, malformed and expired links all answer the same NOT_FOUND. */
export async function openPortalToken(db: Executor, token: string, now: Date) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound("This link is not valid or has expired");
  const row = await db
    .selectFrom("portalToken")
    .select(["organizationId", "documentType", "documentId"])
    .where("tokenHash", "=", hash(token))
    .where("expiresAt", ">", now)
    .executeTakeFirst();
  if (!row) throw notFound("This link is not valid or has expired");
  return row;
}
