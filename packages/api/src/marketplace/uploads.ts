import { createReadStream } from "node:fs";
import { newId } from "@ktizo/db";
import { isQuoteError, type ModelAnalysis } from "@ktizo/quote";
import type { StagedFile, StorageService } from "@ktizo/services";
import type { Executor } from "../kernel/index.ts";
import { badRequest, enforceRateLimit, notFound } from "../kernel/index.ts";
import type { UploadOwner } from "./common.ts";

/** The model formats the quote engine reads, by file extension. */
const CONTENT_TYPES: Record<string, string> = {
  stl: "model/stl",
  "3mf": "model/3mf",
  obj: "model/obj",
};

export interface UploadView {
  id: string;
  fileName: string;
  sizeBytes: number;
  analysis: ModelAnalysis;
  createdAt: Date;
}

/**
 * An uploaded model: bytes (tests, small copies), or a file the web route streamed to disk while it
 * arrived (`receiveFiles` in @ktizo/runtime/remix), so the web process never holds the model whole.
 * A file written into storage's staging place (`StorageService.stage`) brings its `commit`: it becomes
 * the stored copy once accepted (no second write); without it, the stored copy streams from `path`.
 */
export type NewUpload =
  | { fileName: string; bytes: Uint8Array<ArrayBuffer> }
  | {
      fileName: string;
      path: string;
      size: number;
      commit?: StagedFile["commit"];
      /** The analysis made while the file arrived (`receiveFiles` with `analyze`); else `analyzeFile`. */
      analysis?: () => Promise<ModelAnalysis>;
    };

export interface ModelUploadDeps {
  storage: Pick<StorageService, "put" | "putStream" | "delete">;
  /** Analyses bytes, leaving them intact (the stored copy is written from them afterwards). */
  analyze: (bytes: Uint8Array) => Promise<ModelAnalysis>;
  /** Analyses a file on disk (the pool's workers read it themselves); required for `path` uploads. */
  analyzeFile?: (path: string) => Promise<ModelAnalysis>;
}

/**
 * Checks and stores one uploaded model. `analyze` is the quote engine's analysis (the web app runs it in
 * the worker pool, so a large file never blocks the server); a file it refuses is not stored, and the
 * refusal says why. `maxBytes` is the size limit from settings (the route also enforces it while streaming).
 */
/**
 * Checks the client-IP upload limit before the body of a marketplace upload is read (each upload is
 * stored and analysed). Throws TOO_MANY_REQUESTS with when to try again.
 */
export async function admitMarketplaceUpload(db: Executor, clientIp: string, now: Date): Promise<void> {
  await enforceRateLimit(db, "marketplaceUpload", [clientIp], now);
}

export async function createModelUpload(
  db: Executor,
  deps: ModelUploadDeps,
  owner: UploadOwner,
  file: NewUpload,
  options: { maxBytes: number; now: Date },
): Promise<UploadView> {
  const fileName = file.fileName.split(/[/\\]/).pop()?.trim().slice(0, 200) || "model";
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  const contentType = CONTENT_TYPES[ext];
  if (!contentType || !fileName.includes(".")) {
    throw badRequest(`${fileName}: only STL, 3MF and OBJ files can be quoted`, {
      file: "Use an STL, 3MF or OBJ file",
    });
  }
  const size = "bytes" in file ? file.bytes.byteLength : file.size;
  if (size === 0) throw badRequest(`${fileName} is empty`, { file: "The file is empty" });
  if (size > options.maxBytes) {
    const mb = Math.floor(options.maxBytes / (1024 * 1024));
    throw badRequest(`${fileName} is larger than ${mb} MB`, { file: `At most ${mb} MB` });
  }
  let analysis: ModelAnalysis;
  try {
    if ("bytes" in file) analysis = await deps.analyze(file.bytes);
    else if (file.analysis) analysis = await file.analysis();
    else if (deps.analyzeFile) analysis = await deps.analyzeFile(file.path);
    else throw new Error("createModelUpload: a file upload needs deps.analyzeFile");
  } catch (e) {
    if (isQuoteError(e)) throw badRequest(`${fileName}: ${e.message}`, { file: e.message });
    throw e;
  }
  if (analysis.triangles === 0 || !(analysis.volumeMm3 > 0)) {
    throw badRequest(`${fileName}: the model has no volume to print`, { file: "No printable volume" });
  }
  const stored =
    "bytes" in file
      ? await deps.storage.put({ bytes: file.bytes, contentType, fileName })
      : file.commit
        ? await file.commit({ contentType, fileName })
        : await deps.storage.putStream({ body: createReadStream(file.path), contentType, fileName });
  const row = {
    id: newId("upl"),
    userId: owner.userId,
    uploadSessionId: owner.userId ? null : (owner.uploadSessionId ?? null),
    storageKey: stored.key,
    fileName,
    contentType,
    sizeBytes: stored.size,
    createdAt: options.now,
  };
  try {
    await db
      .insertInto("modelUpload")
      .values({ ...row, analysis: JSON.stringify(analysis) })
      .execute();
  } catch (e) {
    await deps.storage.delete(stored.key).catch(() => undefined);
    throw e;
  }
  return { id: row.id, fileName, sizeBytes: row.sizeBytes, analysis, createdAt: options.now };
}

/** One of the owner's uploads, or NOT_FOUND. */
export async function getUpload(db: Executor, owner: UploadOwner, uploadId: string) {
  const row = await db
    .selectFrom("modelUpload")
    .select(["id", "fileName", "sizeBytes", "analysis", "createdAt", "storageKey", "userId"])
    .where("id", "=", uploadId)
    .where((eb) =>
      eb.or([
        ...(owner.userId ? [eb("userId", "=", owner.userId)] : []),
        ...(owner.uploadSessionId ? [eb("uploadSessionId", "=", owner.uploadSessionId)] : []),
      ]),
    )
    .executeTakeFirst();
  if (!row) throw notFound("Upload not found");
  return { ...row, analysis: row.analysis as unknown as ModelAnalysis };
}

export async function listUploads(db: Executor, owner: UploadOwner): Promise<UploadView[]> {
  if (!owner.userId && !owner.uploadSessionId) return [];
  const rows = await db
    .selectFrom("modelUpload")
    .select(["id", "fileName", "sizeBytes", "analysis", "createdAt"])
    .where((eb) =>
      eb.or([
        ...(owner.userId ? [eb("userId", "=", owner.userId)] : []),
        ...(owner.uploadSessionId ? [eb("uploadSessionId", "=", owner.uploadSessionId)] : []),
      ]),
    )
    .orderBy("createdAt", "desc")
    .limit(100)
    .execute();
  return rows.map((r) => ({ ...r, analysis: r.analysis as unknown as ModelAnalysis }));
}

/** On sign-up or sign-in: the visitor's anonymous uploads become the user's. */
export async function claimUploads(
  db: Executor,
  userId: string,
  uploadSessionId: string,
): Promise<{ claimed: number }> {
  const rows = await db
    .updateTable("modelUpload")
    .set({ userId, uploadSessionId: null })
    .where("uploadSessionId", "=", uploadSessionId)
    .where("userId", "is", null)
    .returning("id")
    .execute();
  return { claimed: rows.length };
}

/** Where the owner's model bytes are, for the preview download route. */
export async function getUploadFile(db: Executor, owner: UploadOwner, uploadId: string) {
  const upload = await getUpload(db, owner, uploadId);
  return { storageKey: upload.storageKey, fileName: upload.fileName };
}
