import { newId, type StockReservationOutcome } from "@ktizo/db";
import { sql } from "kysely";
import type { Executor, OrgActor } from "../kernel/index.ts";
import type { PendingEmail } from "../shop/notifications.ts";
import { moveStock } from "../shop/stock.ts";

// A scheduled job holds its material as one stock_reservation row per material. The row is ended
// exactly once, by a conditional update (ended_at is null), which also locks it: whichever path ends
// it first (unschedule, cancel, printer deletion, printing done) moves the stock, and every later or
// concurrent attempt finds nothing open and moves nothing. Callers hold the job row lock.

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

/**
 * Locks materials in one order, the database's, before any of them moves. A transaction that moves
 * several (a job with two materials, a printer deletion unscheduling several jobs) then never holds one
 * while waiting for another that a second transaction holds while waiting for the first.
 */
export async function lockMaterials(trx: Executor, materialIds: string[]) {
  if (materialIds.length === 0) return;
  await trx
    .selectFrom("material")
    .select("id")
    .where("id", "in", [...new Set(materialIds)])
    .orderBy("id")
    .forUpdate()
    .execute();
}

/** Locks every material the jobs hold, before ending several jobs' reservations in one transaction. */
export async function lockHeldMaterials(trx: Executor, jobIds: string[]) {
  if (jobIds.length === 0) return;
  const held = await trx
    .selectFrom("stockReservation")
    .select("materialId")
    .where("jobId", "in", jobIds)
    .where("endedAt", "is", null)
    .execute();
  await lockMaterials(
    trx,
    held.map((h) => h.materialId),
  );
}

/** Reserves the job's material when it is scheduled: one reservation per material, never two open. */
export async function reserveJobStock(trx: Executor, actor: OrgActor, jobId: string, now: Date) {
  const emails: PendingEmail[] = [];
  const needs = await jobMaterialNeeds(trx, jobId);
  await lockMaterials(
    trx,
    needs.map((n) => n.materialId),
  );
  for (const need of needs) {
    const opened = await trx
      .insertInto("stockReservation")
      .values({
        id: newId("srv"),
        organizationId: actor.organizationId,
        jobId,
        materialId: need.materialId,
        grams: need.grams,
        createdAt: now,
      })
      .onConflict((oc) => oc.columns(["jobId", "materialId"]).where("endedAt", "is", null).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!opened) continue;
    emails.push(...(await move(trx, actor, jobId, now, "reserve", need.materialId, need.grams, opened.id)));
  }
  await trx.updateTable("job").set({ stockState: "reserved" }).where("id", "=", jobId).execute();
  return emails;
}

/** Ends the job's open reservations (locking them); returns what they held, by material. */
async function endReservations(trx: Executor, jobId: string, outcome: StockReservationOutcome, now: Date) {
  const ended = await trx
    .updateTable("stockReservation")
    .set({ endedAt: now, outcome })
    .where("jobId", "=", jobId)
    .where("endedAt", "is", null)
    .returning(["id", "materialId", "grams"])
    .execute();
  await lockMaterials(
    trx,
    ended.map((r) => r.materialId),
  );
  return ended;
}

function move(
  trx: Executor,
  actor: OrgActor,
  jobId: string,
  now: Date,
  kind: "reserve" | "release" | "consume",
  materialId: string,
  grams: number,
  reservationId: string | null,
) {
  return moveStock(trx, {
    organizationId: actor.organizationId,
    materialId,
    kind,
    grams,
    reason: null,
    jobId,
    actorUserId: actor.userId,
    now,
    reservationId,
  });
}

/**
 * Gives back exactly what the job holds (unscheduled, cancelled, its printer deleted): each open
 * reservation is released once. Nothing open, nothing moves.
 */
export async function releaseJobStock(trx: Executor, actor: OrgActor, jobId: string, now: Date) {
  const emails: PendingEmail[] = [];
  for (const r of await endReservations(trx, jobId, "released", now)) {
    emails.push(...(await move(trx, actor, jobId, now, "release", r.materialId, r.grams, r.id)));
  }
  await trx
    .updateTable("job")
    .set({ stockState: "none" })
    .where("id", "=", jobId)
    .where("stockState", "=", "reserved")
    .execute();
  return emails;
}

/**
 * Takes the job's material out of stock once it is printed: what it reserved, or (never reserved)
 * what its items need. Once only: a job whose stock is consumed is left alone.
 */
export async function consumeJobStock(trx: Executor, actor: OrgActor, jobId: string, now: Date) {
  const job = await trx.selectFrom("job").select("stockState").where("id", "=", jobId).executeTakeFirst();
  if (!job || job.stockState === "consumed") return [];
  const emails: PendingEmail[] = [];
  const ended = await endReservations(trx, jobId, "consumed", now);
  const takes =
    ended.length > 0 || job.stockState === "reserved"
      ? ended.map((r) => ({ materialId: r.materialId, grams: r.grams, reservationId: r.id }))
      : (await jobMaterialNeeds(trx, jobId)).map((n) => ({ ...n, reservationId: null }));
  await lockMaterials(
    trx,
    takes.map((t) => t.materialId),
  );
  for (const t of takes) {
    emails.push(...(await move(trx, actor, jobId, now, "consume", t.materialId, t.grams, t.reservationId)));
  }
  await trx.updateTable("job").set({ stockState: "consumed" }).where("id", "=", jobId).execute();
  return emails;
}
