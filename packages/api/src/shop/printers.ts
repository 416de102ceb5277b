import { isDeepStrictEqual } from "node:util";
import { newId, type PrinterStatus, type PrintTechnology, recordAudit } from "@ktizo/db";
import { type SlicerSettings, slicerSettingsSchema } from "@ktizo/slicer/settings";
import { sql } from "kysely";
import { z } from "zod";
import {
  type Executor,
  idSchema,
  inTransaction,
  likePattern,
  minorAmountSchema,
  notFound,
  type OrgActor,
  searchSchema,
  technologySchema,
} from "../kernel/index.ts";
import { enforcePlanLimit } from "./plans.ts";

export const printerStatusSchema = z.enum(["available", "maintenance", "offline"], {
  error: "Status is available, maintenance or offline",
});

const mm = (label: string) =>
  z
    .number({ error: `${label} must be a number of millimetres` })
    .positive(`${label} must be more than 0 mm`)
    .max(10_000, `${label} is more than 10 m`);

const sortedLayers = (v: number[]) => [...new Set(v)].sort((a, b) => a - b);
const layerHeights = z
  .array(z.number().positive("Layer heights are more than 0").max(5, "Layer heights are in mm (at most 5)"))
  .max(20);
const nozzle = z.number().positive().max(10, "The nozzle is in mm (at most 10)").nullable();

/**
 * The printer's fields as given, without defaults: an update changes only the fields it names (zod 4
 * applies a default even inside `.partial()`, which reset a printer's other fields on a rename).
 */
const printerFields = z.object({
  name: z.string().trim().min(1, "Name the printer").max(80, "The name is too long (at most 80 characters)"),
  make: z.string().trim().max(80),
  model: z.string().trim().max(80),
  technology: technologySchema,
  buildVolumeMm: z.object({ x: mm("Width (X)"), y: mm("Depth (Y)"), z: mm("Height (Z)") }),
  layerHeightsMm: layerHeights.transform(sortedLayers),
  nozzleMm: nozzle,
  hourlyRateMinor: minorAmountSchema("Hourly rate"),
  status: printerStatusSchema,
  notes: z.string().trim().max(2000),
  materialIds: z.array(idSchema).max(200),
  /** The printer's slicer profile beyond its build volume, nozzle and layers (issue 14). */
  slicerSettings: slicerSettingsSchema.optional(),
});

/** A new printer: what the form leaves out takes these defaults. */
export const printerFieldsSchema = printerFields.extend({
  make: printerFields.shape.make.default(""),
  model: printerFields.shape.model.default(""),
  layerHeightsMm: layerHeights.default([]).transform(sortedLayers),
  nozzleMm: nozzle.default(null),
  status: printerStatusSchema.default("available"),
  notes: printerFields.shape.notes.default(""),
  materialIds: printerFields.shape.materialIds.default([]),
});

export const createPrinterInput = printerFieldsSchema;
export const updatePrinterInput = printerFields.partial().extend({ id: idSchema }).strict();
export const listPrintersInput = z
  .object({
    search: searchSchema,
    status: printerStatusSchema.optional(),
    technology: technologySchema.optional(),
    materialId: idSchema.optional(),
  })
  .default({});

export interface PrinterView {
  id: string;
  name: string;
  make: string;
  model: string;
  technology: PrintTechnology;
  buildVolumeMm: { x: number; y: number; z: number };
  layerHeightsMm: number[];
  nozzleMm: number | null;
  hourlyRateMinor: number;
  status: PrinterStatus;
  notes: string;
  materialIds: string[];
  slicerSettings: SlicerSettings;
  /** Bumped by every change that affects slicing; slices and quotes name the version they used. */
  slicerProfileVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

function printerQuery(db: Executor, organizationId: string) {
  return db
    .selectFrom("printer")
    .selectAll("printer")
    .select(
      sql<
        string[]
      >`coalesce((select array_agg(pm.material_id order by pm.material_id) from printer_material pm where pm.printer_id = printer.id), '{}')`.as(
        "materialIds",
      ),
    )
    .where("printer.organizationId", "=", organizationId);
}

type PrinterRow = Awaited<ReturnType<ReturnType<typeof printerQuery>["executeTakeFirstOrThrow"]>>;

function toView(row: PrinterRow): PrinterView {
  return {
    id: row.id,
    name: row.name,
    make: row.make,
    model: row.model,
    technology: row.technology,
    buildVolumeMm: { x: row.buildWidthMm, y: row.buildDepthMm, z: row.buildHeightMm },
    layerHeightsMm: row.layerHeightsMm,
    nozzleMm: row.nozzleMm,
    hourlyRateMinor: row.hourlyRateMinor,
    status: row.status,
    notes: row.notes,
    materialIds: row.materialIds,
    slicerSettings: row.slicerSettings as SlicerSettings,
    slicerProfileVersion: row.slicerProfileVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listPrinters(
  db: Executor,
  organizationId: string,
  filters: z.infer<typeof listPrintersInput>,
): Promise<PrinterView[]> {
  let q = printerQuery(db, organizationId);
  if (filters.search) {
    const p = likePattern(filters.search);
    q = q.where((eb) => eb.or([eb("name", "ilike", p), eb("make", "ilike", p), eb("model", "ilike", p)]));
  }
  if (filters.status) q = q.where("status", "=", filters.status);
  if (filters.technology) q = q.where("technology", "=", filters.technology);
  if (filters.materialId) {
    const materialId = filters.materialId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("printerMaterial as pm")
          .select("pm.printerId")
          .whereRef("pm.printerId", "=", "printer.id")
          .where("pm.materialId", "=", materialId),
      ),
    );
  }
  const rows = await q.orderBy("name").orderBy("id").execute();
  return rows.map(toView);
}

export async function getPrinter(db: Executor, organizationId: string, id: string): Promise<PrinterView> {
  const row = await printerQuery(db, organizationId).where("printer.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Printer not found");
  return toView(row);
}

async function setPrinterMaterials(
  trx: Executor,
  organizationId: string,
  printerId: string,
  materialIds: string[],
) {
  const unique = [...new Set(materialIds)];
  if (unique.length > 0) {
    const found = await trx
      .selectFrom("material")
      .select("id")
      .where("organizationId", "=", organizationId)
      .where("id", "in", unique)
      .where("archivedAt", "is", null)
      .execute();
    if (found.length !== unique.length) {
      throw notFound("Material not found");
    }
  }
  await trx.deleteFrom("printerMaterial").where("printerId", "=", printerId).execute();
  if (unique.length > 0) {
    await trx
      .insertInto("printerMaterial")
      .values(unique.map((materialId) => ({ printerId, materialId, organizationId })))
      .execute();
  }
}

export async function createPrinter(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof createPrinterInput>,
  /** From the router: the shop's plan must allow one more printer (the seed and fixtures leave it out). */
  plan?: { now: Date },
): Promise<PrinterView> {
  const id = newId("prn");
  await inTransaction(db, async (trx) => {
    if (plan) {
      // One printer at a time per shop, so two at once cannot both pass the plan's limit.
      await trx
        .selectFrom("organization")
        .select("id")
        .where("id", "=", actor.organizationId)
        .forUpdate()
        .execute();
      await enforcePlanLimit(trx, actor.organizationId, "printer", plan.now);
    }
    await trx
      .insertInto("printer")
      .values({
        id,
        organizationId: actor.organizationId,
        name: input.name,
        make: input.make,
        model: input.model,
        technology: input.technology,
        buildWidthMm: input.buildVolumeMm.x,
        buildDepthMm: input.buildVolumeMm.y,
        buildHeightMm: input.buildVolumeMm.z,
        layerHeightsMm: JSON.stringify(input.layerHeightsMm),
        nozzleMm: input.nozzleMm,
        hourlyRateMinor: input.hourlyRateMinor,
        status: input.status,
        notes: input.notes,
        slicerSettings: JSON.stringify(input.slicerSettings ?? {}),
      })
      .execute();
    await setPrinterMaterials(trx, actor.organizationId, id, input.materialIds);
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "printer.created",
      subjectType: "printer",
      subjectId: id,
      data: { name: input.name, hourlyRateMinor: input.hourlyRateMinor },
    });
  });
  return getPrinter(db, actor.organizationId, id);
}

export async function updatePrinter(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof updatePrinterInput>,
  now: Date,
): Promise<PrinterView> {
  const before = await getPrinter(db, actor.organizationId, input.id);
  const slicing = slicingChanged(before, input);
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("printer")
      .set({
        updatedAt: now,
        ...(input.slicerSettings !== undefined
          ? { slicerSettings: JSON.stringify(input.slicerSettings) }
          : {}),
        ...(slicing ? { slicerProfileVersion: sql<number>`slicer_profile_version + 1` } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.make !== undefined ? { make: input.make } : {}),
        ...(input.model !== undefined ? { model: input.model } : {}),
        ...(input.technology !== undefined ? { technology: input.technology } : {}),
        ...(input.buildVolumeMm !== undefined
          ? {
              buildWidthMm: input.buildVolumeMm.x,
              buildDepthMm: input.buildVolumeMm.y,
              buildHeightMm: input.buildVolumeMm.z,
            }
          : {}),
        ...(input.layerHeightsMm !== undefined
          ? { layerHeightsMm: JSON.stringify(input.layerHeightsMm) }
          : {}),
        ...(input.nozzleMm !== undefined ? { nozzleMm: input.nozzleMm } : {}),
        ...(input.hourlyRateMinor !== undefined ? { hourlyRateMinor: input.hourlyRateMinor } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
      })
      .where("id", "=", input.id)
      .where("organizationId", "=", actor.organizationId)
      .execute();
    if (input.materialIds !== undefined)
      await setPrinterMaterials(trx, actor.organizationId, input.id, input.materialIds);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.hourlyRateMinor !== undefined && input.hourlyRateMinor !== before.hourlyRateMinor) {
      changes.hourlyRateMinor = { from: before.hourlyRateMinor, to: input.hourlyRateMinor };
    }
    if (input.status !== undefined && input.status !== before.status) {
      changes.status = { from: before.status, to: input.status };
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "printer.updated",
      subjectType: "printer",
      subjectId: input.id,
      data: { fields: Object.keys(input).filter((k) => k !== "id"), changes },
    });
  });
  return getPrinter(db, actor.organizationId, input.id);
}

/** Whether an update changes what the slicer is given (then the profile version goes up). */
function slicingChanged(before: PrinterView, input: z.infer<typeof updatePrinterInput>): boolean {
  // Deep comparison: jsonb does not keep key order.
  const differs = (a: unknown, b: unknown) => b !== undefined && !isDeepStrictEqual(a, b);
  return (
    differs(before.technology, input.technology) ||
    differs(before.buildVolumeMm, input.buildVolumeMm) ||
    differs(before.layerHeightsMm, input.layerHeightsMm) ||
    differs(before.nozzleMm, input.nozzleMm) ||
    differs(before.slicerSettings, input.slicerSettings)
  );
}
