import { newId, recordAudit } from "@ktizo/db";
import { z } from "zod";
import { badRequest, type Executor, forbidden, idSchema, inTransaction, notFound } from "../kernel/index.ts";
import { ensureShopSettings } from "./profile.ts";

/** What the logo needs from the storage service (services.storage satisfies it). */
export interface LogoStorage {
  put(input: {
    bytes: Uint8Array;
    contentType: string;
    fileName: string;
  }): Promise<{ key: string; size: number }>;
  get(key: string): Promise<{ bytes: Uint8Array } | null>;
  delete(key: string): Promise<void>;
}

export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/**
 * The image type the bytes really are (PNG, JPEG, GIF or WebP), whatever the upload claimed; null for
 * anything else (SVG is refused on purpose: it can carry scripts).
 */
export function sniffImageType(
  bytes: Uint8Array,
): "image/png" | "image/jpeg" | "image/gif" | "image/webp" | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x47, 0x49, 0x46, 0x38, 0x37, 0x61]) || starts([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]))
    return "image/gif";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

export const setShopLogoInput = z.object({
  organizationId: idSchema,
  actorUserId: idSchema,
  fileName: z.string().trim().max(255, "The file name is too long").default("logo"),
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: "Expected the image's bytes" }),
});

/** The public address of a logo (served by the web app's /logos/:id route). */
export const logoPath = (logoId: string) => `/logos/${logoId}`;

async function requireAdmin(db: Executor, organizationId: string, userId: string) {
  const member = await db
    .selectFrom("member")
    .select("role")
    .where("organizationId", "=", organizationId)
    .where("userId", "=", userId)
    .executeTakeFirst();
  if (!member) throw notFound("Shop not found");
  if (member.role !== "owner" && member.role !== "admin") throw forbidden("This needs the admin role");
}

/**
 * Replaces the shop's logo with an uploaded image (admins and owners). The type is taken from the
 * contents, never the name or the claimed type; at most 2 MB. The bytes go to the storage service under
 * a generated key; the shop's logo becomes /logos/<new id>, and the previous file is removed after commit.
 * Bad input is refused before anything is stored.
 */
export async function setShopLogo(
  db: Executor,
  storage: LogoStorage,
  rawInput: z.input<typeof setShopLogoInput>,
  now: Date,
): Promise<{ logo: string }> {
  const input = setShopLogoInput.parse(rawInput);
  await requireAdmin(db, input.organizationId, input.actorUserId);
  if (input.bytes.length === 0) throw badRequest("The image is empty", { logo: "Choose an image" });
  if (input.bytes.length > MAX_LOGO_BYTES) {
    throw badRequest("The logo is too large (at most 2 MB)", { logo: "At most 2 MB" });
  }
  const contentType = sniffImageType(input.bytes);
  if (!contentType) {
    throw badRequest("The logo must be a PNG, JPEG, GIF or WebP image", {
      logo: "This file is not a PNG, JPEG, GIF or WebP image",
    });
  }
  await ensureShopSettings(db, input.organizationId);
  const stored = await storage.put({ bytes: input.bytes, contentType, fileName: input.fileName || "logo" });
  const logoId = newId("logo");
  let previousKey: string | null = null;
  try {
    await inTransaction(db, async (trx) => {
      const before = await trx
        .selectFrom("shopSettings")
        .select("logoStorageKey")
        .where("organizationId", "=", input.organizationId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      previousKey = before.logoStorageKey;
      await trx
        .updateTable("shopSettings")
        .set({ logoId, logoStorageKey: stored.key, logoContentType: contentType, updatedAt: now })
        .where("organizationId", "=", input.organizationId)
        .execute();
      await trx
        .updateTable("organization")
        .set({ logo: logoPath(logoId) })
        .where("id", "=", input.organizationId)
        .execute();
      await recordAudit(trx, {
        organizationId: input.organizationId,
        actorUserId: input.actorUserId,
        action: "shop.logo_changed",
        subjectType: "organization",
        subjectId: input.organizationId,
        data: { logoId, contentType, sizeBytes: input.bytes.length },
      });
    });
  } catch (error) {
    await storage.delete(stored.key);
    throw error;
  }
  if (previousKey) await storage.delete(previousKey);
  return { logo: logoPath(logoId) };
}

/** Removes the shop's logo (admins and owners), with an audit row; the stored file is deleted. */
export async function removeShopLogo(
  db: Executor,
  storage: LogoStorage,
  input: { organizationId: string; actorUserId: string },
): Promise<void> {
  await requireAdmin(db, input.organizationId, input.actorUserId);
  const key = await inTransaction(db, async (trx) => {
    const before = await trx
      .selectFrom("shopSettings")
      .select(["logoStorageKey", "logoId"])
      .where("organizationId", "=", input.organizationId)
      .forUpdate()
      .executeTakeFirst();
    await trx
      .updateTable("shopSettings")
      .set({ logoId: null, logoStorageKey: null, logoContentType: null })
      .where("organizationId", "=", input.organizationId)
      .execute();
    await trx
      .updateTable("organization")
      .set({ logo: null })
      .where("id", "=", input.organizationId)
      .execute();
    await recordAudit(trx, {
      organizationId: input.organizationId,
      actorUserId: input.actorUserId,
      action: "shop.logo_removed",
      subjectType: "organization",
      subjectId: input.organizationId,
      data: { logoId: before?.logoId ?? null },
    });
    return before?.logoStorageKey ?? null;
  });
  if (key) await storage.delete(key);
}

/** A logo by its public id, for the public /logos/:id route; null when there is none. */
export async function readShopLogo(
  db: Executor,
  storage: LogoStorage,
  logoId: string,
): Promise<{ bytes: Uint8Array; contentType: string } | null> {
  if (!/^[\w-]{1,100}$/.test(logoId)) return null;
  const row = await db
    .selectFrom("shopSettings")
    .select(["logoStorageKey", "logoContentType"])
    .where("logoId", "=", logoId)
    .executeTakeFirst();
  if (!row?.logoStorageKey || !row.logoContentType) return null;
  const stored = await storage.get(row.logoStorageKey);
  return stored ? { bytes: stored.bytes, contentType: row.logoContentType } : null;
}
