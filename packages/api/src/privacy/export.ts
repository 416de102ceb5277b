import { type Database, newId, recordAudit } from "@ktizo/db";
import type { Clock, StorageService, StoredFileStream } from "@ktizo/services";
import { DomainError, notFound } from "../kernel/index.ts";
import { groupByTable, rowsMentioning, textColumns } from "./tables.ts";
import { type ZipEntry, zipStream } from "./zip.ts";

/** P24/P27: one export per 24 hours; the download link works for 7 days. */
export const EXPORT_INTERVAL_MS = 24 * 60 * 60 * 1000;
export const EXPORT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** File contents above this total are listed but not embedded (the listing says so). */
export const EXPORT_MAX_FILE_BYTES = 50 * 1024 * 1024;

/** Tables whose rows are security machinery, not data about the person (their sessions are included). */
const SKIPPED_TABLES = new Set(["verification", "rate_limit", "kysely_migration", "kysely_migration_lock"]);
/** Secrets are never exported, even the user's own: an export file must not be a key to the account. */
const SECRET_COLUMN = /(password|token|secret|ciphertext)/i;
/** Counts that merely contain a secret-sounding word: the AI audit trail's token counts (issue 15). */
const NOT_SECRET = new Set(["inputTokens", "outputTokens", "tokensEstimated"]);

export interface ExportSummary {
  id: string;
  status: "pending" | "ready" | "expired" | "failed";
  requestedAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
}

export async function listExports(db: Database, userId: string): Promise<ExportSummary[]> {
  const rows = await db
    .selectFrom("privacyRequest")
    .select(["id", "status", "requestedAt", "completedAt", "expiresAt"])
    .where("userId", "=", userId)
    .where("kind", "=", "export")
    .orderBy("requestedAt", "desc")
    .limit(10)
    .execute();
  return rows.map((r) => ({ ...r, status: r.status as ExportSummary["status"] }));
}

/** Asks for a copy of everything about the user (P24, P27); the background job builds it. */
export async function requestExport(db: Database, clock: Clock, userId: string): Promise<ExportSummary> {
  const now = clock.now();
  return db.transaction().execute(async (trx) => {
    const recent = await trx
      .selectFrom("privacyRequest")
      .select("requestedAt")
      .where("userId", "=", userId)
      .where("kind", "=", "export")
      .where("requestedAt", ">", new Date(now.getTime() - EXPORT_INTERVAL_MS))
      .orderBy("requestedAt", "desc")
      .executeTakeFirst();
    if (recent) {
      const next = new Date(recent.requestedAt.getTime() + EXPORT_INTERVAL_MS);
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `You can ask for one export every 24 hours; the next one from ${next.toISOString().slice(0, 16).replace("T", " ")} UTC`,
      );
    }
    const id = newId("prq");
    await trx
      .insertInto("privacyRequest")
      .values({ id, kind: "export", status: "pending", userId, requestedAt: now })
      .execute();
    await recordAudit(trx, {
      actorUserId: userId,
      action: "privacy.export.requested",
      subjectType: "privacy_request",
      subjectId: id,
      at: now,
    });
    return { id, status: "pending" as const, requestedAt: now, completedAt: null, expiresAt: null };
  });
}

export interface ExportDocument {
  format: "ktizo-personal-data-export";
  version: 1;
  generatedAt: string;
  user: { id: string; email: string; name: string };
  /** Every row, of every table, that mentions the user's id or email (secrets redacted). */
  tables: Record<string, Record<string, unknown>[]>;
  /** The user's stored files; their content is read from storage only while the archive is written. */
  files: { key: string; table: string; fileName: string | null }[];
}

/** Builds the export document for one user: every table, found through information_schema. */
export async function buildExport(db: Database, userId: string, now: Date): Promise<ExportDocument | null> {
  const user = await db
    .selectFrom("user")
    .select(["id", "email", "name"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) return null;
  // The shops' customer records of this person, and their phone numbers: their texts and emails with the
  // shops, SMS consent and STOP records name the customer record or the number, not the account.
  const customers = await db
    .selectFrom("customer")
    .select(["id", "phoneE164"])
    .where((eb) =>
      eb.or([eb("userId", "=", user.id), eb(eb.fn("lower", ["email"]), "=", user.email.toLowerCase())]),
    )
    .execute();
  const byTable = groupByTable(await textColumns(db));
  // Issue 13: the user's connected Google accounts (token secrets redacted below), and through their
  // ids and addresses the thread links, cached mail and Drive folders that belong to them.
  const google = await db
    .selectFrom("googleAccount")
    .select(["id", "email"])
    .where("userId", "=", userId)
    .execute();
  const needles = [
    user.id,
    user.email,
    ...customers.map((c) => c.id),
    ...customers.flatMap((c) => (c.phoneE164 ? [c.phoneE164] : [])),
    ...google.flatMap((a) => [a.id, a.email]),
  ];
  const tables: ExportDocument["tables"] = {};
  const files: ExportDocument["files"] = [];
  for (const [table, columns] of byTable) {
    if (SKIPPED_TABLES.has(table)) continue;
    const rows = await rowsMentioning(db, table, columns, needles);
    if (rows.length === 0) continue;
    tables[table] = rows.map((row) => {
      const clean: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row))
        clean[k] = SECRET_COLUMN.test(k) && !NOT_SECRET.has(k) && v !== null ? "[redacted]" : v;
      return clean;
    });
    for (const row of rows) {
      const key = row.storageKey ?? row.attachmentKey;
      if (typeof key === "string" && table !== "privacy_request") {
        const name = row.fileName ?? row.attachmentName ?? null;
        files.push({ key, table, fileName: typeof name === "string" ? name : null });
      }
    }
  }
  return {
    format: "ktizo-personal-data-export",
    version: 1,
    generatedAt: now.toISOString(),
    user,
    tables,
    files,
  };
}

/** A file name that is safe inside an archive on every system. */
function archiveName(name: string): string {
  const clean = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? "_" : c))
    .join("")
    .replace(/^\.+/, "_");
  return clean.slice(-120) || "file";
}

/** A stored file opened for the archive; a missing or unreadable one is left out, as if deleted. */
async function openQuietly(storage: StorageService, key: string): Promise<StoredFileStream | null> {
  try {
    return await storage.open(key);
  } catch {
    return null;
  }
}

/**
 * The export as a zip (P27: structured, machine-readable): one `tables/<table>.json` per table, the
 * user's own files under `files/<table>/` (streamed from storage one after another), and last
 * `export.json` (who, when, what is inside). Written as it is read: a large export never sits in memory.
 */
export function exportArchive(doc: ExportDocument, storage: StorageService): AsyncGenerator<Uint8Array> {
  const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  async function* entries(): AsyncGenerator<ZipEntry> {
    for (const [table, rows] of Object.entries(doc.tables)) {
      yield { name: `tables/${table}.json`, body: json(rows) };
    }
    const listed: Record<string, unknown>[] = [];
    let embedded = 0;
    for (const [i, ref] of doc.files.entries()) {
      const stored = await openQuietly(storage, ref.key);
      if (!stored) continue;
      const size = stored.size;
      const fits = size !== null && embedded + size <= EXPORT_MAX_FILE_BYTES;
      const path = fits
        ? `files/${ref.table}/${i + 1}-${archiveName(ref.fileName ?? stored.fileName)}`
        : null;
      listed.push({
        path,
        table: ref.table,
        fileName: ref.fileName ?? stored.fileName,
        contentType: stored.contentType,
        size,
        ...(fits ? {} : { note: "too large to include; ask support for a copy" }),
      });
      if (!path || size === null) {
        await stored.body.cancel();
        continue;
      }
      embedded += size;
      yield { name: path, body: stored.body };
    }
    yield {
      name: "export.json",
      body: json({
        format: doc.format,
        version: 2,
        generatedAt: doc.generatedAt,
        user: doc.user,
        tables: Object.fromEntries(Object.keys(doc.tables).map((t) => [t, `tables/${t}.json`])),
        files: listed,
      }),
    };
  }
  return zipStream(entries(), new Date(doc.generatedAt));
}

/**
 * The export job's work: builds every pending export, stores it as a zip under a generated key and
 * opens a 7-day download; expired exports lose their file.
 */
export async function runPendingExports(
  db: Database,
  deps: { storage: StorageService; clock: Clock },
): Promise<{ built: string[]; expired: string[] }> {
  const now = deps.clock.now();
  const pending = await db
    .selectFrom("privacyRequest")
    .select(["id", "userId"])
    .where("kind", "=", "export")
    .where("status", "=", "pending")
    .orderBy("requestedAt")
    .execute();
  const built: string[] = [];
  for (const request of pending) {
    if (!request.userId) continue;
    const doc = await buildExport(db, request.userId, now);
    if (!doc) {
      await db
        .updateTable("privacyRequest")
        .set({ status: "failed", error: "account not found" })
        .where("id", "=", request.id)
        .execute();
      continue;
    }
    const stored = await deps.storage.putStream({
      body: exportArchive(doc, deps.storage),
      contentType: "application/zip",
      fileName: `ktizo-data-export-${now.toISOString().slice(0, 10)}.zip`,
    });
    // Re-check: the request may have been purged with its account meanwhile.
    const updated = await db
      .updateTable("privacyRequest")
      .set({
        status: "ready",
        fileKey: stored.key,
        completedAt: now,
        expiresAt: new Date(now.getTime() + EXPORT_LINK_TTL_MS),
      })
      .where("id", "=", request.id)
      .where("status", "=", "pending")
      .returning("id")
      .executeTakeFirst();
    if (!updated) await deps.storage.delete(stored.key);
    else built.push(request.id);
  }
  const expiring = await db
    .selectFrom("privacyRequest")
    .select(["id", "fileKey"])
    .where("kind", "=", "export")
    .where("status", "=", "ready")
    .where("expiresAt", "<=", now)
    .execute();
  for (const e of expiring) {
    if (e.fileKey) await deps.storage.delete(e.fileKey);
    await db
      .updateTable("privacyRequest")
      .set({ status: "expired", fileKey: null })
      .where("id", "=", e.id)
      .execute();
  }
  return { built, expired: expiring.map((e) => e.id) };
}

/**
 * The file behind a download link, opened as a stream: only the requester's own, ready, unexpired
 * export. Anything else is NOT_FOUND. Routes send it with `Content-Disposition: attachment`.
 */
export async function getExportFile(
  db: Database,
  storage: StorageService,
  clock: Clock,
  userId: string,
  requestId: string,
): Promise<StoredFileStream> {
  const row = await db
    .selectFrom("privacyRequest")
    .select(["fileKey", "expiresAt"])
    .where("id", "=", requestId)
    .where("userId", "=", userId)
    .where("kind", "=", "export")
    .where("status", "=", "ready")
    .executeTakeFirst();
  if (!row?.fileKey || !row.expiresAt || row.expiresAt <= clock.now())
    throw notFound("This download has expired");
  const file = await storage.open(row.fileKey);
  if (!file) throw notFound("This download has expired");
  return file;
}

/** Response headers for a file download: always an attachment, never rendered inline. */
export function attachmentHeaders(
  file: Pick<StoredFileStream, "contentType" | "fileName" | "size">,
): Headers {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return new Headers({
    "Content-Type": file.contentType,
    ...(file.size === null ? {} : { "Content-Length": String(file.size) }),
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  });
}
