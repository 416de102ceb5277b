import type { Executor } from "../kernel/index.ts";

/**
 * Why a job may not start printing, or null when it may: the job's current (latest) proof must be
 * approved by the customer or overridden by an owner or admin. A job without proofs is not held.
 * The job domain reads the proof rows billing writes (billing depends on job, never the reverse).
 */
export async function printingHold(db: Executor, jobId: string): Promise<string | null> {
  const current = await db
    .selectFrom("proof")
    .select(["version", "status", "overrideAt"])
    .where("jobId", "=", jobId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!current || current.status === "approved" || current.overrideAt) return null;
  return `Proof version ${current.version} is ${current.status === "rejected" ? "rejected" : "waiting for the customer's approval"}: printing waits for an approved proof (or an owner's or admin's override)`;
}
