import { newId, recordAudit } from "@ktizo/db";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  type MemberActor,
  notFound,
} from "../kernel/index.ts";
import { openPortalToken } from "./tokens.ts";

export const addProofInput = z.object({ jobId: idSchema, fileId: idSchema }).strict();
export const overrideProofInput = z
  .object({
    jobId: idSchema,
    reason: z
      .string()
      .trim()
      .min(5, "Say why printing may start without approval")
      .max(500, "At most 500 characters"),
  })
  .strict();
export const decideProofInput = z
  .object({
    decision: z.enum(["approved", "rejected"], { error: "Approve or reject the proof" }),
    name: z.string().trim().min(2, "Type your full name").max(120, "At most 120 characters"),
    comment: z.string().trim().max(2000, "At most 2000 characters").default(""),
  })
  .refine((v) => v.decision === "approved" || v.comment.length > 0, {
    message: "Say what should change",
    path: ["comment"],
  });

/** A new proof version on the job from one of its files (image, PDF or model). */
export async function addProof(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof addProofInput>,
  now: Date,
) {
  return inTransaction(db, async (trx) => {
    const job = await trx
      .selectFrom("job")
      .select("id")
      .where("id", "=", input.jobId)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!job) throw notFound("Job not found");
    const file = await trx
      .selectFrom("jobFile")
      .select(["id", "contentType"])
      .where("id", "=", input.fileId)
      .where("jobId", "=", job.id)
      .executeTakeFirst();
    if (!file) throw badRequest("That file is not on this job", { fileId: "Choose a file of this job" });
    const last = await trx
      .selectFrom("proof")
      .select((eb) => eb.fn.max("version").as("v"))
      .where("jobId", "=", job.id)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const id = newId("prf");
    await trx
      .insertInto("proof")
      .values({
        id,
        organizationId: actor.organizationId,
        jobId: job.id,
        jobFileId: file.id,
        version,
        createdBy: actor.userId,
        createdAt: now,
      })
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.proof.added",
      subjectType: "job",
      subjectId: job.id,
      data: { proofId: id, version, fileId: file.id },
    });
    return { id, version };
  });
}

export async function listProofs(db: Executor, organizationId: string, jobId: string) {
  const job = await db
    .selectFrom("job")
    .select("id")
    .where("id", "=", jobId)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  return db
    .selectFrom("proof")
    .innerJoin("jobFile", "jobFile.id", "proof.jobFileId")
    .select([
      "proof.id",
      "proof.version",
      "proof.status",
      "proof.comment",
      "proof.decidedName",
      "proof.decidedAt",
      "proof.overrideReason",
      "proof.overrideAt",
      "proof.createdAt",
      "jobFile.fileName",
      "jobFile.contentType",
    ])
    .where("proof.jobId", "=", jobId)
    .orderBy("proof.version", "desc")
    .execute();
}

/** An owner or admin lets printing start without the customer's approval of the current proof. */
export async function overrideProof(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof overrideProofInput>,
  now: Date,
) {
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom("proof")
      .select(["id", "version", "status", "overrideAt"])
      .where("jobId", "=", input.jobId)
      .where("organizationId", "=", actor.organizationId)
      .orderBy("version", "desc")
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound("This job has no proof to override");
    if (current.status === "approved" || current.overrideAt)
      throw conflict("Printing is not held by this proof");
    await trx
      .updateTable("proof")
      .set({ overrideReason: input.reason, overrideBy: actor.userId, overrideAt: now })
      .where("id", "=", current.id)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.proof.overridden",
      subjectType: "job",
      subjectId: input.jobId,
      data: { proofId: current.id, version: current.version, reason: input.reason },
    });
    return { proofId: current.id };
  });
}

/** The customer's decision on a proof version (through its portal link), with the evidence kept. */
export async function decideProof(
  db: Executor,
  scope: { organizationId: string; proofId: string },
  input: z.infer<typeof decideProofInput>,
  evidence: { ip: string; userAgent: string; messageId?: string },
  now: Date,
) {
  return inTransaction(db, async (trx) => {
    const p = await trx
      .selectFrom("proof")
      .select(["id", "jobId", "version", "status"])
      .where("id", "=", scope.proofId)
      .where("organizationId", "=", scope.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!p) throw notFound("This link is not valid or has expired");
    if (p.status !== "pending") throw conflict(`This proof is already ${p.status}`);
    const newer = await trx
      .selectFrom("proof")
      .select("id")
      .where("jobId", "=", p.jobId)
      .where("version", ">", p.version)
      .executeTakeFirst();
    if (newer) throw conflict("A newer proof version replaced this one");
    await trx
      .updateTable("proof")
      .set({
        status: input.decision,
        comment: input.comment || null,
        decidedName: input.name,
        decidedAt: now,
        decidedIp: evidence.ip.slice(0, 100),
        decidedUserAgent: evidence.userAgent.slice(0, 500),
        decidedMessageId: evidence.messageId ?? null,
      })
      .where("id", "=", p.id)
      .execute();
    await recordAudit(trx, {
      organizationId: scope.organizationId,
      actorUserId: null,
      action: `billing.proof.${input.decision}`,
      subjectType: "job",
      subjectId: p.jobId,
      data: {
        proofId: p.id,
        version: p.version,
        name: input.name,
        comment: input.comment,
        ...(evidence.messageId ? { messageId: evidence.messageId } : {}),
      },
    });
  });
}

/** How the portal shows a proof file: a picture, a PDF to open, or a model in the 3D viewer. */
export function proofViewKind(fileName: string, contentType: string): "image" | "pdf" | "model" | "other" {
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  if (["stl", "3mf", "obj"].includes(ext)) return "model";
  if (contentType === "application/pdf") return "pdf";
  if (/^image\/(png|jpeg|gif|webp)$/.test(contentType)) return "image";
  return "other";
}

/**
 * The stored file of the proof version a portal link was made for (for the portal's viewer and
 * download); any other link, or an expired one, opens nothing.
 */
export async function portalProofFile(db: Executor, tokenText: string, now: Date) {
  const t = await openPortalToken(db, tokenText, now);
  if (t.documentType !== "proof") throw notFound("This link is not valid or has expired");
  const file = await db
    .selectFrom("proof")
    .innerJoin("jobFile", "jobFile.id", "proof.jobFileId")
    .select(["jobFile.storageKey", "jobFile.fileName", "jobFile.contentType"])
    .where("proof.id", "=", t.documentId)
    .where("proof.organizationId", "=", t.organizationId)
    .executeTakeFirst();
  if (!file) throw notFound("This link is not valid or has expired");
  return file;
}
