import { sql } from "kysely";
import type { Executor, OrgActor } from "../shop/common.ts";
import type { PendingEmail } from "../shop/notifications.ts";
import { moveStock } from "../shop/stock.ts";

/** Grams a job needs per material (line items without a material need none). */
export async function jobMaterialNeeds(
  trx: Executor,
  jobId: string,
): Promise<{ materialId: string; grams: number }[]> {
  const rows = await trx
    .selectFrom("jobItem")
    .select(["materialId", sql<number>`sum(grams_per_unit * quantity)::int`.as("grams")])
    .where("jobId", "=", jobId)
    .where("materialId", "is not", null)
    .groupBy("materialId")
    .orderBy("materialId")
    .execute();
  return rows.flatMap((r) =>
    r.materialId && r.grams > 0 ? [{ materialId: r.materialId, grams: r.grams }] : [],
  );
}

async function moveAll(
  trx: Executor,
  actor: OrgActor,
  jobId: string,
  kind: "reserve" | "release" | "consume",
  now: Date,
  fromReserved = true,
): Promise<PendingEmail[]> {
  const emails: PendingEmail[] = [];
  for (const need of await jobMaterialNeeds(trx, jobId)) {
    emails.push(
      ...(await moveStock(trx, {
        organizationId: actor.organizationId,
        materialId: need.materialId,
        kind,
        grams: need.grams,
        reason: null,
        jobId,
        actorUserId: actor.userId,
        now,
        fromReserved,
      })),
    );
  }
  return emails;
}

/** Reserves the job's material when it is scheduled (idempotent per job). */
export async function reserveJobStock(trx: Executor, actor: OrgActor, jobId: string, now: Date) {
  const emails = await moveAll(trx, actor, jobId, "reserve", now);
  await trx.updateTable("job").set({ stockState: "reserved" }).where("id", "=", jobId).execute();
  return emails;
}

/** Gives back what the job had reserved (unscheduled or cancelled). */
export async function releaseJobStock(trx: Executor, actor: OrgActor, jobId: string, now: Date) {
  const emails = await moveAll(trx, actor, jobId, "release", now);
  await trx.updateTable("job").set({ stockState: "none" }).where("id", "=", jobId).execute();
  return emails;
}

/** Takes the job's material out of stock once it is printed. */
export async function consumeJobStock(
  trx: Executor,
  actor: OrgActor,
  jobId: string,
  now: Date,
  wasReserved: boolean,
) {
  const emails = await moveAll(trx, actor, jobId, "consume", now, wasReserved);
  await trx.updateTable("job").set({ stockState: "consumed" }).where("id", "=", jobId).execute();
  return emails;
}
