import { newId } from "@ktizo/db";
import { MODEL_UNITS, type ModelScale } from "@ktizo/quote";
import { z } from "zod";
import { badRequest, type Executor, idSchema, minorAmountSchema, notFound } from "../kernel/index.ts";

const mm = z.number().positive("Sizes are more than 0 mm").max(10_000);

export const lineItemSchema = z.object({
  description: z.string().trim().min(1, "Describe the part").max(200, "The description is too long"),
  /** A model file already attached to the job (kind "model"). */
  fileId: idSchema.nullable().default(null),
  quantity: z.number().int("Quantity is a whole number").min(1, "Quantity is at least 1").max(100_000),
  materialId: idSchema.nullable().default(null),
  color: z.string().trim().max(40).nullable().default(null),
  unitPriceMinor: minorAmountSchema("Unit price"),
  /** Estimated by the quote engine. */
  gramsPerUnit: z.number().int().min(0).max(10_000_000).default(0),
  minutesPerUnit: z.number().int().min(0).max(1_000_000).default(0),
  sizeMm: z.object({ x: mm, y: mm, z: mm }).nullable().default(null),
  /** A marketplace model's unit and scale as the customer chose them (issue 20); null: as the file says. */
  scale: z
    .object({ unit: z.enum(MODEL_UNITS), percent: z.number().min(1).max(10_000) })
    .nullable()
    .default(null),
});
export type LineItemInput = z.infer<typeof lineItemSchema>;

export const lineItemsSchema = z.array(lineItemSchema).max(200, "At most 200 line items per job");

export interface LineItemView {
  id: string;
  position: number;
  description: string;
  fileId: string | null;
  fileName: string | null;
  quantity: number;
  materialId: string | null;
  materialName: string | null;
  color: string | null;
  unitPriceMinor: number;
  totalMinor: number;
  gramsPerUnit: number;
  minutesPerUnit: number;
  sizeMm: { x: number; y: number; z: number } | null;
  /** null when the model is made as its file says (millimetres, 100%). */
  scale: ModelScale | null;
}

export function itemsTotal(items: { quantity: number; unitPriceMinor: number }[]): number {
  return items.reduce((s, i) => s + i.quantity * i.unitPriceMinor, 0);
}

/** Replaces a job's line items; material and file ids must belong to the same organization and job. */
export async function writeLineItems(
  trx: Executor,
  organizationId: string,
  jobId: string,
  items: LineItemInput[],
): Promise<void> {
  const materialIds = [...new Set(items.flatMap((i) => (i.materialId ? [i.materialId] : [])))];
  if (materialIds.length > 0) {
    const found = await trx
      .selectFrom("material")
      .select(["id", "name", "archivedAt"])
      .where("organizationId", "=", organizationId)
      .where("id", "in", materialIds)
      .execute();
    if (found.length !== materialIds.length) {
      throw notFound("Material not found");
    }
    const archived = found.find((m) => m.archivedAt !== null);
    if (archived) {
      throw badRequest(`${archived.name} is archived: choose another material`, { materialId: "Archived" });
    }
  }
  const fileIds = [...new Set(items.flatMap((i) => (i.fileId ? [i.fileId] : [])))];
  if (fileIds.length > 0) {
    const found = await trx
      .selectFrom("jobFile")
      .select("id")
      .where("organizationId", "=", organizationId)
      .where("jobId", "=", jobId)
      .where("id", "in", fileIds)
      .execute();
    if (found.length !== fileIds.length) {
      throw notFound("File not found");
    }
  }
  await trx.deleteFrom("jobItem").where("jobId", "=", jobId).execute();
  if (items.length === 0) return;
  await trx
    .insertInto("jobItem")
    .values(
      items.map((item, position) => ({
        id: newId("jit"),
        organizationId,
        jobId,
        position,
        description: item.description,
        fileId: item.fileId,
        quantity: item.quantity,
        materialId: item.materialId,
        color: item.color,
        unitPriceMinor: item.unitPriceMinor,
        gramsPerUnit: item.gramsPerUnit,
        minutesPerUnit: item.minutesPerUnit,
        widthMm: item.sizeMm?.x ?? null,
        depthMm: item.sizeMm?.y ?? null,
        heightMm: item.sizeMm?.z ?? null,
        scaleUnit: item.scale?.unit ?? "mm",
        scalePercent: item.scale?.percent ?? 100,
      })),
    )
    .execute();
}

export async function readLineItems(db: Executor, jobId: string): Promise<LineItemView[]> {
  const rows = await db
    .selectFrom("jobItem as i")
    .leftJoin("material as m", "m.id", "i.materialId")
    .leftJoin("jobFile as f", "f.id", "i.fileId")
    .select([
      "i.id",
      "i.position",
      "i.description",
      "i.fileId",
      "f.fileName",
      "i.quantity",
      "i.materialId",
      "m.name as materialName",
      "i.color",
      "i.unitPriceMinor",
      "i.gramsPerUnit",
      "i.minutesPerUnit",
      "i.widthMm",
      "i.depthMm",
      "i.heightMm",
      "i.scaleUnit",
      "i.scalePercent",
    ])
    .where("i.jobId", "=", jobId)
    .orderBy("i.position")
    .execute();
  return rows.map(({ widthMm, depthMm, heightMm, scaleUnit, scalePercent, ...r }) => ({
    ...r,
    scale: scaleUnit === "mm" && scalePercent === 100 ? null : { unit: scaleUnit, percent: scalePercent },
    totalMinor: r.quantity * r.unitPriceMinor,
    sizeMm:
      widthMm !== null && depthMm !== null && heightMm !== null
        ? { x: widthMm, y: depthMm, z: heightMm }
        : null,
  }));
}
