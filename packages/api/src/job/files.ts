import { type JobFileKind, newId } from "@ktizo/db";
import { isQuoteError, type ModelAnalysis } from "@ktizo/quote";
import { z } from "zod";
import { badRequest, type Executor, idSchema, inTransaction, notFound } from "../kernel/index.ts";
import { recordJobAudit } from "./audit.ts";

/** What job files need from the storage service (services.storage satisfies it). */
export interface JobFileStorage {
  put(input: {
    bytes: Uint8Array;
    contentType: string;
    fileName: string;
  }): Promise<{ key: string; size: number }>;
  delete(key: string): Promise<void>;
}

export const jobFileKindSchema = z.enum(["model", "mockup", "proof", "photo", "other"], {
  error: "File kind is model, mockup, proof, photo or other",
});

const MB = 1024 * 1024;
export const MAX_FILE_BYTES: Record<JobFileKind, number> = {
  model: 100 * MB,
  mockup: 25 * MB,
  proof: 25 * MB,
  photo: 25 * MB,
  other: 25 * MB,
};

const MODEL_EXTENSIONS = ["stl", "3mf", "obj"];
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
const DOC_TYPES = ["application/pdf"];
const ALLOWED_TYPES: Record<Exclude<JobFileKind, "model">, string[]> = {
  mockup: [...IMAGE_TYPES, ...DOC_TYPES],
  proof: [...IMAGE_TYPES, ...DOC_TYPES],
  photo: IMAGE_TYPES,
  other: [...IMAGE_TYPES, ...DOC_TYPES, "text/plain", "text/csv", "application/zip"],
};

/** Magic numbers of the types whose contents we can recognise; a mismatch is refused. */
const SIGNATURES: Record<string, number[][]> = {
  "image/png": [[0x89, 0x50, 0x4e, 0x47]],
  "image/jpeg": [[0xff, 0xd8, 0xff]],
  "image/gif": [[0x47, 0x49, 0x46, 0x38]],
  "image/webp": [[0x52, 0x49, 0x46, 0x46]],
  "application/pdf": [[0x25, 0x50, 0x44, 0x46]],
  "application/zip": [[0x50, 0x4b, 0x03, 0x04]],
};

function extensionOf(fileName: string): string {
  const m = /\.([a-z0-9]{1,8})$/i.exec(fileName);
  return m?.[1]?.toLowerCase() ?? "";
}

export const attachJobFileInput = z.object({
  organizationId: idSchema,
  jobId: idSchema,
  actorUserId: idSchema.nullable(),
  fileName: z.string().trim().min(1, "The file needs a name").max(255, "The file name is too long"),
  contentType: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/, "Not a content type"),
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: "Expected the file's bytes" }),
  kind: jobFileKindSchema,
  /** Shown to the customer on their order's page (a marketplace order's job). */
  shared: z.boolean().default(false),
});

/** Checks size and type for the kind; returns the content type to store. */
export function validateJobFile(input: {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  kind: JobFileKind;
}): string {
  const { bytes, kind } = input;
  if (bytes.length === 0) throw badRequest("The file is empty", { file: "The file is empty" });
  if (bytes.length > MAX_FILE_BYTES[kind]) {
    throw badRequest(`The file is too large (at most ${MAX_FILE_BYTES[kind] / MB} MB for ${kind} files)`, {
      file: "Too large",
    });
  }
  if (kind === "model") {
    const ext = extensionOf(input.fileName);
    if (!MODEL_EXTENSIONS.includes(ext)) {
      throw badRequest("Model files are STL, 3MF or OBJ", { file: "Upload an .stl, .3mf or .obj file" });
    }
    return ext === "3mf" ? "model/3mf" : ext === "obj" ? "model/obj" : "model/stl";
  }
  const allowed = ALLOWED_TYPES[kind];
  if (!allowed.includes(input.contentType)) {
    throw badRequest(`This type of file cannot be attached as ${kind === "other" ? "a file" : `a ${kind}`}`, {
      file: `Allowed: ${allowed.join(", ")}`,
    });
  }
  const signatures = SIGNATURES[input.contentType];
  if (signatures && !signatures.some((sig) => sig.every((b, i) => bytes[i] === b))) {
    throw badRequest("The file's contents do not match its type", {
      file: "The file looks damaged or mislabelled",
    });
  }
  return input.contentType;
}

/** The columns of a job file that the workspace shows (never its storage key). */
export const JOB_FILE_COLUMNS = [
  "id",
  "kind",
  "fileName",
  "contentType",
  "sizeBytes",
  "analysis",
  "uploadedBy",
  "sharedWithCustomer",
  "createdAt",
] as const;

export interface JobFileView {
  id: string;
  jobId: string;
  kind: JobFileKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  analysis: Record<string, unknown> | null;
  uploadedBy: string | null;
  sharedWithCustomer: boolean;
  createdAt: Date;
}

/**
 * Where a job file's bytes go and how a model is analysed: the runtime's worker pool
 * (`runtime.analyzeModel`), or, for a model already analysed at upload, its stored analysis.
 */
export interface JobFileDeps {
  storage: JobFileStorage;
  analyze: (bytes: Uint8Array) => Promise<ModelAnalysis>;
}

/**
 * Stores an uploaded file for a job (the web app's upload route calls this): validates size and type,
 * stores the bytes under a generated key, and for models stores the quote engine's analysis (or the
 * reason it could not analyse the file). A failed database write removes the stored bytes again.
 */
export async function attachJobFile(
  db: Executor,
  { storage, analyze }: JobFileDeps,
  rawInput: z.input<typeof attachJobFileInput>,
  now: Date,
): Promise<JobFileView> {
  const input = attachJobFileInput.parse(rawInput);
  const job = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", input.organizationId)
    .where("id", "=", input.jobId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  const contentType = validateJobFile(input);
  let analysis: Record<string, unknown> | null = null;
  if (input.kind === "model") {
    try {
      const a = await analyze(input.bytes);
      analysis = { ...a };
    } catch (e) {
      if (!isQuoteError(e)) throw e;
      analysis = { error: e.toJSON() };
    }
  }
  const stored = await storage.put({ bytes: input.bytes, contentType, fileName: input.fileName });
  const row = {
    id: newId("jfl"),
    organizationId: input.organizationId,
    jobId: input.jobId,
    kind: input.kind,
    storageKey: stored.key,
    fileName: input.fileName,
    contentType,
    sizeBytes: stored.size,
    analysis,
    uploadedBy: input.actorUserId,
    sharedWithCustomer: input.shared,
    createdAt: now,
  };
  try {
    await inTransaction(db, async (trx) => {
      await trx
        .insertInto("jobFile")
        .values({ ...row, analysis: analysis === null ? null : JSON.stringify(analysis) })
        .execute();
      await recordJobAudit(
        trx,
        { organizationId: input.organizationId, userId: input.actorUserId },
        input.jobId,
        "job.file_attached",
        { fileId: row.id, kind: row.kind, fileName: row.fileName, sizeBytes: row.sizeBytes },
      );
    });
  } catch (e) {
    await storage.delete(stored.key).catch(() => undefined);
    throw e;
  }
  const { storageKey: _k, organizationId: _o, ...view } = row;
  return view;
}

/**
 * Where a file's bytes are, for the download route (which sends it as an attachment): only a file of
 * that job of the member's organization (from the session); any other answers NOT_FOUND.
 */
export async function getJobFileForDownload(
  db: Executor,
  member: { organizationId: string },
  jobId: string,
  fileId: string,
): Promise<{ storageKey: string; fileName: string; contentType: string; sizeBytes: number }> {
  const row = await db
    .selectFrom("jobFile")
    .select(["storageKey", "fileName", "contentType", "sizeBytes"])
    .where("organizationId", "=", member.organizationId)
    .where("jobId", "=", jobId)
    .where("id", "=", fileId)
    .executeTakeFirst();
  if (!row) throw notFound("File not found");
  return row;
}

export async function listJobFiles(
  db: Executor,
  organizationId: string,
  jobId: string,
): Promise<JobFileView[]> {
  const job = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", organizationId)
    .where("id", "=", jobId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  return db
    .selectFrom("jobFile")
    .select(["jobId", ...JOB_FILE_COLUMNS])
    .where("jobId", "=", jobId)
    .orderBy("createdAt", "desc")
    .orderBy("id")
    .execute();
}

/** Removes a file: the row (with an audit row) first, then the stored bytes. */
export async function deleteJobFile(
  db: Executor,
  storage: JobFileStorage,
  actor: { organizationId: string; userId: string },
  fileId: string,
): Promise<{ id: string }> {
  const row = await db
    .selectFrom("jobFile")
    .select(["id", "jobId", "storageKey", "fileName", "kind"])
    .where("organizationId", "=", actor.organizationId)
    .where("id", "=", fileId)
    .executeTakeFirst();
  if (!row) throw notFound("File not found");
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("jobFile").where("id", "=", row.id).execute();
    await recordJobAudit(trx, actor, row.jobId, "job.file_deleted", {
      fileId: row.id,
      fileName: row.fileName,
      kind: row.kind,
    });
  });
  await storage.delete(row.storageKey);
  return { id: row.id };
}

export const shareJobFileInput = z.object({
  id: idSchema,
  shared: z.boolean({ error: "Say whether the customer sees the file" }),
});

/**
 * Shares a job's file with the customer of the job's marketplace order (their order page lists it and
 * lets them download it), or stops sharing it. Conditional on the file being the shop's own.
 */
export async function shareJobFile(
  db: Executor,
  actor: { organizationId: string; userId: string },
  input: z.infer<typeof shareJobFileInput>,
): Promise<{ id: string; sharedWithCustomer: boolean }> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable("jobFile")
      .set({ sharedWithCustomer: input.shared })
      .where("organizationId", "=", actor.organizationId)
      .where("id", "=", input.id)
      .returning(["id", "jobId", "fileName", "sharedWithCustomer"])
      .executeTakeFirst();
    if (!row) throw notFound("File not found");
    await recordJobAudit(trx, actor, row.jobId, input.shared ? "job.file_shared" : "job.file_unshared", {
      fileId: row.id,
      fileName: row.fileName,
    });
    return { id: row.id, sharedWithCustomer: row.sharedWithCustomer };
  });
}

/**
 * Where a shared file's bytes are, for the customer's download route: only a file the shop shared, of
 * the job of an order of this signed-in customer; another customer's order answers NOT_FOUND.
 */
export async function getSharedJobFileForDownload(
  db: Executor,
  customer: { userId: string },
  orderId: string,
  fileId: string,
): Promise<{ storageKey: string; fileName: string; contentType: string; sizeBytes: number }> {
  const row = await db
    .selectFrom("jobFile as f")
    .innerJoin("marketplaceOrder as o", "o.jobId", "f.jobId")
    .select(["f.storageKey", "f.fileName", "f.contentType", "f.sizeBytes"])
    .where("o.id", "=", orderId)
    .where("o.userId", "=", customer.userId)
    .where("f.id", "=", fileId)
    .where("f.sharedWithCustomer", "=", true)
    .executeTakeFirst();
  if (!row) throw notFound("File not found");
  return row;
}
