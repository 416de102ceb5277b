import { type BillingTaxRate, newId, recordAudit } from "@ktizo/db";
import { z } from "zod";
import { badRequest, type Executor, inTransaction, type MemberActor } from "../kernel/index.ts";

/** The billing settings of a shop; a shop that never saved them gets these defaults. */
export interface BillingSettings {
  taxRates: BillingTaxRate[];
  invoicePrefix: string;
  creditNotePrefix: string;
  defaultTermsDays: number;
  taxId: string | null;
  legalFooter: string;
  remindDaysBefore: number;
  remindOnDue: boolean;
  remindOverdueEveryDays: number;
  remindOverdueMax: number;
  retentionYears: number;
}

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  taxRates: [],
  invoicePrefix: "INV",
  creditNotePrefix: "CN",
  defaultTermsDays: 30,
  taxId: null,
  legalFooter: "",
  remindDaysBefore: 3,
  remindOnDue: true,
  remindOverdueEveryDays: 7,
  remindOverdueMax: 3,
  retentionYears: 10,
};

const prefix = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{1,8}$/, "Use 1-8 letters or digits");

export const taxRateInput = z.object({
  id: z.string().trim().max(40).optional(),
  name: z.string().trim().min(1, "Name the tax (for example VAT 20 %)").max(40, "At most 40 characters"),
  rateBps: z
    .number({ error: "The rate must be a number" })
    .int("The rate is in basis points (2000 = 20 %)")
    .min(1, "A tax rate above 0")
    .max(10_000, "At most 100 %"),
  inclusive: z.boolean().default(false),
});

export const updateBillingSettingsInput = z
  .object({
    taxRates: z.array(taxRateInput).max(20, "At most 20 tax rates"),
    invoicePrefix: prefix,
    creditNotePrefix: prefix,
    defaultTermsDays: z.number().int().min(0).max(365, "At most 365 days"),
    taxId: z
      .string()
      .trim()
      .max(40, "At most 40 characters")
      .transform((v) => (v === "" ? null : v))
      .nullable(),
    legalFooter: z.string().trim().max(500, "At most 500 characters"),
    remindDaysBefore: z.number().int().min(0).max(60),
    remindOnDue: z.boolean(),
    remindOverdueEveryDays: z.number().int().min(0).max(90),
    remindOverdueMax: z.number().int().min(0).max(20),
    retentionYears: z.number().int().min(1, "At least a year").max(30, "At most 30 years"),
  })
  .partial()
  .strict();

export async function getBillingSettings(db: Executor, organizationId: string): Promise<BillingSettings> {
  const row = await db
    .selectFrom("billingSettings")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_BILLING_SETTINGS };
  const { organizationId: _o, updatedAt: _u, ...settings } = row;
  return settings;
}

export async function updateBillingSettings(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof updateBillingSettingsInput>,
  now: Date,
): Promise<BillingSettings> {
  return inTransaction(db, async (trx) => {
    const current = await getBillingSettings(trx, actor.organizationId);
    const taxRates = input.taxRates?.map((r) => ({ ...r, id: r.id || newId("tax") }));
    if (taxRates && new Set(taxRates.map((r) => r.id)).size !== taxRates.length) {
      throw badRequest("Two tax rates have the same id", { taxRates: "Duplicate tax rate" });
    }
    const { taxRates: _entered, ...rest } = input;
    const next: BillingSettings = { ...current, ...rest, taxRates: taxRates ?? current.taxRates };
    const values = { ...next, taxRates: JSON.stringify(next.taxRates), updatedAt: now };
    await trx
      .insertInto("billingSettings")
      .values({ organizationId: actor.organizationId, ...values })
      .onConflict((oc) => oc.column("organizationId").doUpdateSet(values))
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.settings.updated",
      subjectType: "organization",
      subjectId: actor.organizationId,
      data: { fields: Object.keys(input) },
    });
    return next;
  });
}
