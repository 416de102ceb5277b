import { recordAudit } from "@ktizo/db";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  inTransaction,
  isUniqueViolation,
  type OrgActor,
  shopCountry,
  toE164,
} from "../kernel/index.ts";

/**
 * The shop's SMS sender (issue 13, req. 2): the Twilio number customers text (inbound texts are matched
 * to the shop by it, so one number belongs to one shop) and, optionally, the Messaging Service that
 * sends on its behalf. Without them the shop cannot text.
 */

export const updateSmsSettingsInput = z
  .object({
    /** Empty: the shop stops texting. */
    phone: z.string().trim().max(40, "At most 40 characters"),
    messagingServiceSid: z
      .string()
      .trim()
      .regex(/^(MG[0-9a-fA-F]{32})?$/, "A Messaging Service SID is MG followed by 32 hexadecimal digits")
      .transform((v) => (v === "" ? null : v))
      .nullable()
      .default(null),
  })
  .strict();

export interface SmsSettingsView {
  phoneE164: string | null;
  messagingServiceSid: string | null;
  updatedAt: Date | null;
}

export async function getSmsSettings(db: Executor, organizationId: string): Promise<SmsSettingsView> {
  const row = await db
    .selectFrom("shopSmsSettings")
    .select(["phoneE164", "messagingServiceSid", "updatedAt"])
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return row ?? { phoneE164: null, messagingServiceSid: null, updatedAt: null };
}

/** The sender to pass to the SMS service: the Messaging Service when set, else the number. */
export function smsSenderOf(settings: SmsSettingsView): string | null {
  return settings.messagingServiceSid ?? settings.phoneE164;
}

export async function updateSmsSettings(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof updateSmsSettingsInput>,
  now: Date,
): Promise<SmsSettingsView> {
  if (input.phone === "") {
    if (input.messagingServiceSid)
      throw badRequest("A Messaging Service needs the shop's number too", { phone: "Enter the number" });
    await inTransaction(db, async (trx) => {
      await trx.deleteFrom("shopSmsSettings").where("organizationId", "=", actor.organizationId).execute();
      await recordAudit(trx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        action: "shop.sms.cleared",
        subjectType: "organization",
        subjectId: actor.organizationId,
        data: {},
      });
    });
    return getSmsSettings(db, actor.organizationId);
  }
  const phoneE164 = toE164(input.phone, await shopCountry(db, actor.organizationId));
  if (!phoneE164)
    throw badRequest("Not a valid phone number", { phone: "Enter the Twilio number, such as +14155552671" });
  try {
    await inTransaction(db, async (trx) => {
      await trx
        .insertInto("shopSmsSettings")
        .values({
          organizationId: actor.organizationId,
          phoneE164,
          messagingServiceSid: input.messagingServiceSid,
          updatedAt: now,
        })
        .onConflict((oc) =>
          oc.column("organizationId").doUpdateSet({
            phoneE164,
            messagingServiceSid: input.messagingServiceSid,
            updatedAt: now,
          }),
        )
        .execute();
      await recordAudit(trx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        action: "shop.sms.updated",
        subjectType: "organization",
        subjectId: actor.organizationId,
        data: { phone: phoneE164, messagingServiceSid: input.messagingServiceSid },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("That number already belongs to another shop");
    throw e;
  }
  return getSmsSettings(db, actor.organizationId);
}
