import { recordAudit } from "@ktizo/db";
import type { Executor, OrgActor } from "../kernel/index.ts";

/** Audit row for a job change (who, when, what). */
export async function recordJobAudit(
  trx: Executor,
  actor: OrgActor,
  jobId: string,
  action: string,
  data: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action,
    subjectType: "job",
    subjectId: jobId,
    data,
  });
}
