import { recordAudit } from "@ktizo/db";
import { z } from "zod";
import { type Executor, idSchema, inTransaction, notFound, type OrgActor } from "../kernel/index.ts";
import { enforcePlanLimit } from "./plans.ts";
import { ensureShopSettings } from "./profile.ts";

const originSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, "Use an origin like https://myshop.com (no path)");

/** The embeddable quote widget's settings. */
export const widgetSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  /** Sites allowed to frame the widget. */
  allowedOrigins: z.array(originSchema).max(20, "At most 20 sites").default([]),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "Use a color like #1f6feb")
    .default("#1f6feb"),
  showPrices: z.boolean().default(true),
  defaultMaterialId: idSchema.nullable().default(null),
  greeting: z.string().trim().max(200).default("Upload a model for an instant quote"),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

export async function getWidgetSettings(db: Executor, organizationId: string): Promise<WidgetSettings> {
  await ensureShopSettings(db, organizationId);
  const row = await db
    .selectFrom("shopSettings")
    .select("widget")
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("Shop not found");
  const parsed = widgetSettingsSchema.safeParse(row.widget);
  return parsed.success ? parsed.data : widgetSettingsSchema.parse({});
}

export async function updateWidgetSettings(
  db: Executor,
  actor: OrgActor,
  input: WidgetSettings,
  now: Date,
): Promise<WidgetSettings> {
  if (input.defaultMaterialId) {
    const m = await db
      .selectFrom("material")
      .select("id")
      .where("organizationId", "=", actor.organizationId)
      .where("id", "=", input.defaultMaterialId)
      .where("archivedAt", "is", null)
      .executeTakeFirst();
    if (!m) throw notFound("Material not found");
  }
  await ensureShopSettings(db, actor.organizationId);
  await inTransaction(db, async (trx) => {
    // Switching the widget on needs a plan that includes it (issue 16, req. 9).
    if (input.enabled) await enforcePlanLimit(trx, actor.organizationId, "widget", now);
    await trx
      .updateTable("shopSettings")
      .set({ widget: JSON.stringify(input), updatedAt: now })
      .where("organizationId", "=", actor.organizationId)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "shop.widget.updated",
      subjectType: "organization",
      subjectId: actor.organizationId,
      data: { ...input },
    });
  });
  return getWidgetSettings(db, actor.organizationId);
}
