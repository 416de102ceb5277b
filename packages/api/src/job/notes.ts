import { newId } from "@ktizo/db";
import { z } from "zod";
import {
  type Executor,
  forbidden,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import { recordJobAudit } from "./audit.ts";

export const addNoteInput = z.object({
  jobId: idSchema,
  body: z
    .string()
    .trim()
    .min(1, "Write something")
    .max(5000, "The note is too long (at most 5000 characters)"),
});

export interface JobNoteView {
  id: string;
  jobId: string;
  body: string;
  authorUserId: string | null;
  createdAt: Date;
}

/** A timestamped production note by the acting member. */
export async function addJobNote(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof addNoteInput>,
  now: Date,
): Promise<JobNoteView> {
  const job = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", actor.organizationId)
    .where("id", "=", input.jobId)
    .executeTakeFirst();
  if (!job) throw notFound("Job not found");
  const note = {
    id: newId("jnt"),
    organizationId: actor.organizationId,
    jobId: job.id,
    authorUserId: actor.userId,
    body: input.body,
    createdAt: now,
  };
  await db.insertInto("jobNote").values(note).execute();
  return { id: note.id, jobId: note.jobId, body: note.body, authorUserId: note.authorUserId, createdAt: now };
}

/** Deletes a note: its author, or an admin or owner. Audited (notes are part of the job's record). */
export async function deleteJobNote(
  db: Executor,
  actor: OrgActor & { role: "owner" | "admin" | "member" },
  noteId: string,
): Promise<{ id: string }> {
  const note = await db
    .selectFrom("jobNote")
    .select(["id", "jobId", "authorUserId", "body"])
    .where("organizationId", "=", actor.organizationId)
    .where("id", "=", noteId)
    .executeTakeFirst();
  if (!note) throw notFound("Note not found");
  if (note.authorUserId !== actor.userId && actor.role === "member") {
    throw forbidden("Only the author or an admin can delete this note");
  }
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom("jobNote").where("id", "=", note.id).execute();
    await recordJobAudit(trx, actor, note.jobId, "job.note_deleted", { noteId: note.id, body: note.body });
  });
  return { id: note.id };
}
