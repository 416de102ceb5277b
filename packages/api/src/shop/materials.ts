import { newId, type PrintTechnology, recordAudit } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  conflict,
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

const grams = (label: string) =>
  z
    .number({ error: `${label} must be a number of grams` })
    .int(`${label} is in whole grams`)
    .min(0, `${label} cannot be negative`)
    .max(100_000_000, `${label} is too large`);

const tagList = (label: string) =>
  z
    .array(z.string().trim().min(1, `${label} cannot be empty`).max(40, `${label} are at most 40 characters`))
    .max(50, `At most 50 ${label.toLowerCase()}`)
    .transform((v) => [...new Set(v)]);

/**
 * The material's fields as given, without defaults: an update changes only the fields it names (zod 4
 * applies a default even inside `.partial()`, which emptied colors and finishes on a repricing).
 */
const materialFields = z.object({
  name: z.string().trim().min(1, "Name the material").max(80, "The name is too long (at most 80 characters)"),
  kind: z
    .string()
    .trim()
    .min(1, "Say what the material is (PLA, PETG, ABS, resin…)")
    .max(40)
    .transform((k) => k.toUpperCase()),
  technology: technologySchema,
  colors: tagList("Colors"),
  finishes: tagList("Finishes"),
  densityGramsPerCm3: z
    .number({ error: "Density must be a number (g/cm³)" })
    .min(0.1, "Density is in g/cm³ (at least 0.1)")
    .max(25, "Density is in g/cm³ (at most 25)"),
  costPerKgMinor: minorAmountSchema("Cost per kg"),
  reorderThresholdG: grams("Reorder threshold"),
  // For slicing (issue 14): filament diameter (FDM) and temperatures; absent keeps the stored value.
  filamentDiameterMm: z
    .number({ error: "Filament diameter must be a number of millimetres" })
    .min(0.5, "Filament diameter is in mm (at least 0.5)")
    .max(5, "Filament diameter is in mm (at most 5)")
    .optional(),
  printTemperatureC: z
    .number()
    .int()
    .min(0)
    .max(500, "Print temperature is in °C (at most 500)")
    .nullable()
    .optional(),
  bedTemperatureC: z
    .number()
    .int()
    .min(0)
    .max(200, "Bed temperature is in °C (at most 200)")
    .nullable()
    .optional(),
});

/** A new material: what the form leaves out takes these defaults. */
export const materialFieldsSchema = materialFields.extend({
  colors: tagList("Colors").default([]),
  finishes: tagList("Finishes").default([]),
  reorderThresholdG: grams("Reorder threshold").default(0),
});

/** Stock on hand is set once at creation; after that it changes only through stock movements. */
export const createMaterialInput = materialFieldsSchema.extend({
  initialStockG: grams("Initial stock").default(0),
});
export const updateMaterialInput = materialFields.partial().extend({ id: idSchema }).strict();
export const listMaterialsInput = z
  .object({
    search: searchSchema,
    technology: technologySchema.optional(),
    lowStockOnly: z.boolean().default(false),
    /** Archived materials (removed, kept for their history) are left out unless asked for. */
    includeArchived: z.boolean().default(false),
  })
  .default({ lowStockOnly: false, includeArchived: false });

export interface MaterialView {
  id: string;
  name: string;
  kind: string;
  technology: PrintTechnology;
  colors: string[];
  finishes: string[];
  densityGramsPerCm3: number;
  costPerKgMinor: number;
  filamentDiameterMm: number;
  printTemperatureC: number | null;
  bedTemperatureC: number | null;
  onHandG: number;
  reservedG: number;
  /** On hand minus reserved (negative when more is promised than there is). */
  availableG: number;
  reorderThresholdG: number;
  lowStock: boolean;
  printerIds: string[];
  /** Set when the material was removed but kept for its stock history and jobs. */
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function materialQuery(db: Executor, organizationId: string) {
  return db
    .selectFrom("material")
    .selectAll("material")
    .select(
      sql<
        string[]
      >`coalesce((select array_agg(pm.printer_id order by pm.printer_id) from printer_material pm where pm.material_id = material.id), '{}')`.as(
        "printerIds",
      ),
    )
    .where("material.organizationId", "=", organizationId);
}

type MaterialRow = Awaited<ReturnType<ReturnType<typeof materialQuery>["executeTakeFirstOrThrow"]>>;

/** Low stock: what is left after reservations is at or below the reorder threshold. */
export function isLowStock(m: { onHandG: number; reservedG: number; reorderThresholdG: number }): boolean {
  return m.onHandG - m.reservedG <= m.reorderThresholdG;
}

function toView(row: MaterialRow): MaterialView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    technology: row.technology,
    colors: row.colors,
    finishes: row.finishes,
    densityGramsPerCm3: row.densityGramsPerCm3,
    costPerKgMinor: row.costPerKgMinor,
    filamentDiameterMm: row.filamentDiameterMm,
    printTemperatureC: row.printTemperatureC,
    bedTemperatureC: row.bedTemperatureC,
    onHandG: row.onHandG,
    reservedG: row.reservedG,
    availableG: row.onHandG - row.reservedG,
    reorderThresholdG: row.reorderThresholdG,
    lowStock: isLowStock(row),
    printerIds: row.printerIds,
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listMaterials(
  db: Executor,
  organizationId: string,
  filters: Omit<z.infer<typeof listMaterialsInput>, "includeArchived"> & { includeArchived?: boolean },
): Promise<MaterialView[]> {
  let q = materialQuery(db, organizationId);
  if (filters.search) {
    const p = likePattern(filters.search);
    q = q.where((eb) => eb.or([eb("name", "ilike", p), eb("kind", "ilike", p)]));
  }
  if (filters.technology) q = q.where("technology", "=", filters.technology);
  if (!filters.includeArchived) q = q.where("archivedAt", "is", null);
  if (filters.lowStockOnly) q = q.where(sql<boolean>`on_hand_g - reserved_g <= reorder_threshold_g`);
  const rows = await q.orderBy("name").orderBy("id").execute();
  return rows.map(toView);
}

export async function getMaterial(db: Executor, organizationId: string, id: string): Promise<MaterialView> {
  const row = await materialQuery(db, organizationId).where("material.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Material not found");
  return toView(row);
}

export async function createMaterial(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof createMaterialInput>,
  now: Date,
): Promise<MaterialView> {
  const id = newId("mat");
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto("material")
      .values({
        id,
        organizationId: actor.organizationId,
        name: input.name,
        kind: input.kind,
        technology: input.technology,
        colors: JSON.stringify(input.colors),
        finishes: JSON.stringify(input.finishes),
        densityGramsPerCm3: input.densityGramsPerCm3,
        costPerKgMinor: input.costPerKgMinor,
        ...(input.filamentDiameterMm !== undefined ? { filamentDiameterMm: input.filamentDiameterMm } : {}),
        printTemperatureC: input.printTemperatureC ?? null,
        bedTemperatureC: input.bedTemperatureC ?? null,
        reorderThresholdG: input.reorderThresholdG,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    // On-hand starts at 0; the initial stock is the first ledger row (which sets on-hand).
    if (input.initialStockG > 0) {
      await trx
        .insertInto("stockMovement")
        .values({
          id: newId("stk"),
          organizationId: actor.organizationId,
          materialId: id,
          kind: "adjust",
          grams: input.initialStockG,
          onHandDeltaG: input.initialStockG,
          reservedDeltaG: 0,
          reason: "Initial stock",
          actorUserId: actor.userId,
          createdAt: now,
        })
        .execute();
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "material.created",
      subjectType: "material",
      subjectId: id,
      data: { name: input.name, costPerKgMinor: input.costPerKgMinor, initialStockG: input.initialStockG },
    });
  });
  return getMaterial(db, actor.organizationId, id);
}

export async function updateMaterial(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof updateMaterialInput>,
  now: Date,
): Promise<MaterialView> {
  const before = await getMaterial(db, actor.organizationId, input.id);
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable("material")
      .set({
        updatedAt: now,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.technology !== undefined ? { technology: input.technology } : {}),
        ...(input.colors !== undefined ? { colors: JSON.stringify(input.colors) } : {}),
        ...(input.finishes !== undefined ? { finishes: JSON.stringify(input.finishes) } : {}),
        ...(input.densityGramsPerCm3 !== undefined ? { densityGramsPerCm3: input.densityGramsPerCm3 } : {}),
        ...(input.costPerKgMinor !== undefined ? { costPerKgMinor: input.costPerKgMinor } : {}),
        ...(input.reorderThresholdG !== undefined ? { reorderThresholdG: input.reorderThresholdG } : {}),
        ...(input.filamentDiameterMm !== undefined ? { filamentDiameterMm: input.filamentDiameterMm } : {}),
        ...(input.printTemperatureC !== undefined ? { printTemperatureC: input.printTemperatureC } : {}),
        ...(input.bedTemperatureC !== undefined ? { bedTemperatureC: input.bedTemperatureC } : {}),
      })
      .where("id", "=", input.id)
      .where("organizationId", "=", actor.organizationId)
      .execute();
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.costPerKgMinor !== undefined && input.costPerKgMinor !== before.costPerKgMinor) {
      changes.costPerKgMinor = { from: before.costPerKgMinor, to: input.costPerKgMinor };
    }
    if (input.reorderThresholdG !== undefined && input.reorderThresholdG !== before.reorderThresholdG) {
      changes.reorderThresholdG = { from: before.reorderThresholdG, to: input.reorderThresholdG };
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "material.updated",
      subjectType: "material",
      subjectId: input.id,
      data: { fields: Object.keys(input).filter((k) => k !== "id"), changes },
    });
  });
  return getMaterial(db, actor.organizationId, input.id);
}

/**
 * Removes a material. Refused while scheduled jobs hold a reservation of it. A material with history
 * (stock ledger rows or job line items) is archived: the ledger and the jobs keep it, while it leaves
 * every list, picker, printer and the marketplace. A material without history is deleted.
 */
export async function deleteMaterial(
  db: Executor,
  actor: OrgActor,
  id: string,
  now: Date,
): Promise<{ id: string; archived: boolean }> {
  return inTransaction(db, async (trx) => {
    const material = await trx
      .selectFrom("material")
      .select(["id", "name", "onHandG", "reservedG", "archivedAt"])
      .where("id", "=", id)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!material || material.archivedAt) throw notFound("Material not found");
    if (material.reservedG > 0) {
      throw conflict(`${material.name} is reserved for scheduled jobs; take them off the schedule first`);
    }
    const [movements, items] = await Promise.all([
      trx
        .selectFrom("stockMovement")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("materialId", "=", id)
        .executeTakeFirstOrThrow(),
      trx
        .selectFrom("jobItem")
        .select(sql<number>`count(*)::int`.as("n"))
        .where("materialId", "=", id)
        .executeTakeFirstOrThrow(),
    ]);
    const archived = movements.n > 0 || items.n > 0;
    if (archived) {
      await trx
        .updateTable("material")
        .set({ archivedAt: now, updatedAt: now })
        .where("id", "=", id)
        .execute();
      await trx.deleteFrom("printerMaterial").where("materialId", "=", id).execute();
    } else {
      await trx.deleteFrom("material").where("id", "=", id).execute();
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: archived ? "material.archived" : "material.deleted",
      subjectType: "material",
      subjectId: id,
      data: {
        name: material.name,
        onHandG: material.onHandG,
        stockMovements: movements.n,
        jobItems: items.n,
      },
    });
    return { id, archived };
  });
}
