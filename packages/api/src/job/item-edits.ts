import type { JobStatus } from "@ktizo/db";
import { z } from "zod";
import {
  badRequest,
  type Executor,
  idSchema,
  inTransaction,
  minorAmountSchema,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import { recordJobAudit } from "./audit.ts";
import { type LineItemView, lineItemSchema, readLineItems } from "./items.ts";

/** Line items change while the job is a quote or approved: before stock is reserved for it. */
const EDITABLE: readonly JobStatus[] = ["quote", "approved"];

export const updateJobItemInput = z
  .object({
    itemId: idSchema,
    description: lineItemSchema.shape.description.optional(),
    quantity: lineItemSchema.shape.quantity.optional(),
    materialId: idSchema.nullable().optional(),
    color: z.string().trim().max(40, "The color is too long").nullable().optional(),
    unitPriceMinor: minorAmountSchema("Unit price").optional(),
    /** Replaces the item's model: a model file attached to the same job (null: no model). */
    fileId: idSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== "itemId"), {
    message: "Change at least one field",
    path: ["itemId"],
  });

type Field = "description" | "quantity" | "materialId" | "color" | "unitPriceMinor" | "fileId";
const FIELDS: readonly Field[] = [
  "description",
  "quantity",
  "materialId",
  "color",
  "unitPriceMinor",
  "fileId",
];

/** The size of the model in a model file's stored analysis (the quote engine's bounding box), if any. */
function modelSize(analysis: unknown): { x: number; y: number; z: number } | null {
  const size = (analysis as { bbox?: { size?: Record<string, unknown> } } | null)?.bbox?.size;
  if (!size) return null;
  const { x, y, z } = size;
  return typeof x === "number" && typeof y === "number" && typeof z === "number" && x > 0 && y > 0 && z > 0
    ? { x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100, z: Math.round(z * 100) / 100 }
    : null;
}

/**
 * Edits one line item of a job (quantity, material, color, price, description, or its model file) while
 * the job is a quote or approved. Marketplace jobs keep the price the customer paid. Recomputes the
 * job's total and leaves an audit row with each changed field's old and new value.
 */
export async function updateJobItem(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof updateJobItemInput>,
  now: Date,
): Promise<LineItemView[]> {
  const jobId = await inTransaction(db, async (trx) => {
    const item = await trx
      .selectFrom("jobItem as i")
      .innerJoin("job", "job.id", "i.jobId")
      .select([
        "i.id",
        "i.jobId",
        "i.description",
        "i.quantity",
        "i.materialId",
        "i.color",
        "i.unitPriceMinor",
        "i.fileId",
        "job.status",
        "job.source",
        "job.number",
      ])
      .where("i.id", "=", input.itemId)
      .where("i.organizationId", "=", actor.organizationId)
      .where("job.organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!item) throw notFound("Line item not found");
    if (!EDITABLE.includes(item.status)) {
      throw badRequest("Line items can only change while the job is a quote or approved", {
        itemId: "Take the job off the schedule first",
      });
    }
    const changes: Partial<Record<Field, { from: unknown; to: unknown }>> = {};
    for (const field of FIELDS) {
      const to = input[field];
      if (to !== undefined && to !== item[field]) changes[field] = { from: item[field], to };
    }
    if (changes.unitPriceMinor && item.source === "marketplace") {
      throw badRequest("A marketplace job keeps the price the customer paid", {
        unitPriceMinor: "The price of a marketplace order cannot change here",
      });
    }
    if (Object.keys(changes).length === 0) return item.jobId;
    if (changes.materialId && input.materialId) {
      const m = await trx
        .selectFrom("material")
        .select("id")
        .where("id", "=", input.materialId)
        .where("organizationId", "=", actor.organizationId)
        .where("archivedAt", "is", null)
        .executeTakeFirst();
      if (!m) throw notFound("Material not found");
    }
    let size: { x: number; y: number; z: number } | null = null;
    if (changes.fileId && input.fileId) {
      const file = await trx
        .selectFrom("jobFile")
        .select(["id", "kind", "analysis"])
        .where("id", "=", input.fileId)
        .where("jobId", "=", item.jobId)
        .where("organizationId", "=", actor.organizationId)
        .executeTakeFirst();
      if (!file) throw notFound("File not found");
      if (file.kind !== "model") {
        throw badRequest("Only a model file can be a line item's model", { fileId: "Choose a model file" });
      }
      size = modelSize(file.analysis);
    }
    await trx
      .updateTable("jobItem")
      .set({
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.quantity !== undefined ? { quantity: input.quantity } : {}),
        ...(input.materialId !== undefined ? { materialId: input.materialId } : {}),
        ...(input.color !== undefined ? { color: input.color || null } : {}),
        ...(input.unitPriceMinor !== undefined ? { unitPriceMinor: input.unitPriceMinor } : {}),
        ...(input.fileId !== undefined ? { fileId: input.fileId } : {}),
        ...(size ? { widthMm: size.x, depthMm: size.y, heightMm: size.z } : {}),
      })
      .where("id", "=", item.id)
      .execute();
    const total = await trx
      .selectFrom("jobItem")
      .select((eb) =>
        eb.fn.coalesce(eb.fn.sum<number>(eb("quantity", "*", eb.ref("unitPriceMinor"))), eb.lit(0)).as("t"),
      )
      .where("jobId", "=", item.jobId)
      .executeTakeFirstOrThrow();
    const totalMinor = Number(total.t);
    await trx.updateTable("job").set({ totalMinor, updatedAt: now }).where("id", "=", item.jobId).execute();
    await recordJobAudit(trx, actor, item.jobId, "job.item_updated", {
      itemId: item.id,
      changes,
      totalMinor,
    });
    return item.jobId;
  });
  return readLineItems(db, jobId);
}
