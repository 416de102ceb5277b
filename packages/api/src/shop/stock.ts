import { newId, recordAudit, type StockMovementKind } from "@ktizo/db";
import type { MailService } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  notFound,
  type OrgActor,
  type Page,
  pageRows,
  paginationSchema,
  toPage,
} from "../kernel/index.ts";
import { getMaterial, isLowStock, type MaterialView } from "./materials.ts";
import { emailShopManagers, type PendingEmail, recordNotification, workspaceLink } from "./notifications.ts";

export interface StockMove {
  organizationId: string;
  materialId: string;
  kind: StockMovementKind;
  /** Positive grams; for "adjust", signed (+ received, − lost or counted less). */
  grams: number;
  reason: string | null;
  jobId: string | null;
  actorUserId: string | null;
  now: Date;
  /**
   * The job's reservation (stock_reservation) this movement opens ("reserve"), closes ("release") or
   * draws on ("consume": the reservation shrinks too). Required for reserve and release; a consume
   * without one takes the grams from on-hand only.
   */
  reservationId?: string | null;
}

/** What a movement does to on-hand and reserved stock (the ledger row records exactly this). */
function effectOf(move: StockMove, g: number): { onHand: number; reserved: number } {
  const held = move.reservationId ? g : 0;
  switch (move.kind) {
    case "reserve":
      return { onHand: 0, reserved: g };
    case "release":
      return { onHand: 0, reserved: -g };
    case "consume":
      return { onHand: -g, reserved: -held };
    case "adjust":
      return { onHand: g, reserved: 0 };
  }
}

/**
 * Applies one stock movement inside `trx`: locks the material row, writes the ledger row with the
 * movement's effect (the database applies it to the material's on-hand and reserved), and raises the
 * low-stock notification when the material crosses its threshold. On-hand never goes below zero: consuming or removing more than there is fails with a clear
 * message. Returns the emails to send after commit.
 */
export async function moveStock(trx: Executor, move: StockMove): Promise<PendingEmail[]> {
  const m = await trx
    .selectFrom("material")
    .select(["id", "name", "onHandG", "reservedG", "reorderThresholdG", "lowStockNotifiedAt", "archivedAt"])
    .where("id", "=", move.materialId)
    .where("organizationId", "=", move.organizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!m) throw notFound("Material not found");
  const g = Math.round(move.grams);
  if ((move.kind === "reserve" || move.kind === "release") && !move.reservationId) {
    throw new Error(`A ${move.kind} movement belongs to a job's reservation`);
  }
  // Checked under the row lock, so a job cannot reserve a material that is being archived.
  if (move.kind === "reserve" && m.archivedAt) {
    throw badRequest(`${m.name} is archived: choose another material`, { materialId: "Archived" });
  }
  const effect = effectOf(move, g);
  if (move.kind === "consume" && g > m.onHandG) {
    throw conflict(
      `Not enough ${m.name}: ${m.onHandG} g on hand, ${g} g needed. Record the stock you received first.`,
    );
  }
  if (move.kind === "adjust" && m.onHandG + g < 0) {
    throw badRequest(`Only ${m.onHandG} g of ${m.name} on hand; you cannot remove ${-g} g`, {
      deltaG: `At most ${m.onHandG} g can be removed`,
    });
  }
  // The ledger row is the change: its trigger applies the effect to the material and returns the
  // figures after it (migration 0081), so the figures are always the sums of the ledger.
  const row = await trx
    .insertInto("stockMovement")
    .values({
      id: newId("stk"),
      organizationId: move.organizationId,
      materialId: m.id,
      kind: move.kind,
      grams: g,
      onHandDeltaG: effect.onHand,
      reservedDeltaG: effect.reserved,
      reservationId: move.reservationId ?? null,
      reason: move.reason,
      jobId: move.jobId,
      actorUserId: move.actorUserId,
      createdAt: move.now,
    })
    .returning(["onHandAfterG", "reservedAfterG"])
    .executeTakeFirstOrThrow();
  const onHand = row.onHandAfterG;
  const reserved = row.reservedAfterG;
  const low = isLowStock({ onHandG: onHand, reservedG: reserved, reorderThresholdG: m.reorderThresholdG });
  const notify = low && m.lowStockNotifiedAt === null;
  await trx
    .updateTable("material")
    .set({ updatedAt: move.now, lowStockNotifiedAt: low ? (m.lowStockNotifiedAt ?? move.now) : null })
    .where("id", "=", m.id)
    .execute();
  if (!notify) return [];
  const title = `Low stock: ${m.name}`;
  const body = `${onHand - reserved} g available (${onHand} g on hand, ${reserved} g reserved); reorder threshold ${m.reorderThresholdG} g.`;
  await recordNotification(trx, {
    organizationId: move.organizationId,
    kind: "stock.low",
    title,
    body,
    link: workspaceLink.material(m.id),
  });
  return [
    {
      organizationId: move.organizationId,
      kind: "stock.low",
      subject: title,
      text: body,
      link: workspaceLink.material(m.id),
    },
  ];
}

export const adjustStockInput = z
  .object({
    materialId: idSchema,
    /** Grams received (+) or removed (−). */
    deltaG: z.number().int("Grams are whole numbers").min(-100_000_000).max(100_000_000).optional(),
    /** Or: what a stock count found; the difference is recorded. */
    countedG: z
      .number()
      .int("Grams are whole numbers")
      .min(0, "A count cannot be negative")
      .max(100_000_000)
      .optional(),
    reason: z
      .string()
      .trim()
      .min(3, "Say why the stock changes (at least 3 characters)")
      .max(500, "The reason is too long (at most 500 characters)"),
  })
  .refine((v) => (v.deltaG === undefined) !== (v.countedG === undefined), {
    message: "Give either the change in grams or the counted amount",
    path: ["deltaG"],
  })
  .refine((v) => v.deltaG !== 0, { message: "The change cannot be 0 g", path: ["deltaG"] });

/** A manual stock change (delivery, waste, stock count): needs a reason; ledger row + audit row. */
export async function adjustStock(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: OrgActor,
  input: z.infer<typeof adjustStockInput>,
  now: Date,
): Promise<MaterialView> {
  const emails = await inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom("material")
      .select("onHandG")
      .where("id", "=", input.materialId)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound("Material not found");
    const delta = input.deltaG ?? (input.countedG ?? current.onHandG) - current.onHandG;
    if (delta === 0) throw badRequest("The count matches the stock on hand; nothing to record");
    const pending = await moveStock(trx, {
      organizationId: actor.organizationId,
      materialId: input.materialId,
      kind: "adjust",
      grams: delta,
      reason: input.reason,
      jobId: null,
      actorUserId: actor.userId,
      now,
    });
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "stock.adjusted",
      subjectType: "material",
      subjectId: input.materialId,
      data: { deltaG: delta, fromG: current.onHandG, toG: current.onHandG + delta, reason: input.reason },
    });
    return pending;
  });
  await emailShopManagers(db, mail, emails);
  return getMaterial(db, actor.organizationId, input.materialId);
}

export const listStockMovementsInput = paginationSchema.extend({
  materialId: idSchema.optional(),
  kind: z.enum(["reserve", "release", "consume", "adjust"]).optional(),
});

export interface StockMovementView {
  id: string;
  materialId: string;
  materialName: string;
  kind: StockMovementKind;
  grams: number;
  onHandAfterG: number;
  reservedAfterG: number;
  reason: string | null;
  jobId: string | null;
  jobNumber: number | null;
  actorUserId: string | null;
  actorName: string | null;
  createdAt: Date;
}

/** The stock ledger, newest first. */
export async function listStockMovements(
  db: Executor,
  organizationId: string,
  input: z.infer<typeof listStockMovementsInput>,
): Promise<Page<StockMovementView>> {
  let q = db
    .selectFrom("stockMovement as s")
    .innerJoin("material as m", "m.id", "s.materialId")
    .leftJoin("job as j", "j.id", "s.jobId")
    .leftJoin("user as u", "u.id", "s.actorUserId")
    .where("s.organizationId", "=", organizationId);
  if (input.materialId) q = q.where("s.materialId", "=", input.materialId);
  if (input.kind) q = q.where("s.kind", "=", input.kind);
  const [items, total] = await pageRows(
    q
      .select([
        "s.id",
        "s.materialId",
        "m.name as materialName",
        "s.kind",
        "s.grams",
        "s.onHandAfterG",
        "s.reservedAfterG",
        "s.reason",
        "s.jobId",
        "j.number as jobNumber",
        "s.actorUserId",
        "u.name as actorName",
        "s.createdAt",
      ])
      .orderBy("s.createdAt", "desc")
      .orderBy("s.id", "desc"),
    q.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(items, total, input);
}
