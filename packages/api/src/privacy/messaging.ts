import { recordAudit } from "@ktizo/db";
import { z } from "zod";
import { type Executor, idSchema, inTransaction, notFound } from "../kernel/index.ts";

/**
 * The signed-in person's messaging choices with each shop that keeps them as a customer (issue 13,
 * req. 6 and 7): the channel for notifications and the agreement to receive texts (when and how it was
 * recorded). Listed in the privacy center, where the person changes them or withdraws consent.
 */

export interface MessagingChoice {
  customerId: string;
  shopName: string;
  phoneE164: string | null;
  notifyChannel: "email" | "sms" | "both" | "none";
  smsConsentAt: Date | null;
  smsConsentSource: "staff" | "customer" | null;
}

export async function listMessagingChoices(db: Executor, userId: string): Promise<MessagingChoice[]> {
  return db
    .selectFrom("customer as c")
    .innerJoin("organization as o", "o.id", "c.organizationId")
    .select([
      "c.id as customerId",
      "o.name as shopName",
      "c.phoneE164",
      "c.notifyChannel",
      "c.smsConsentAt",
      "c.smsConsentSource",
    ])
    .where("c.userId", "=", userId)
    .orderBy("o.name")
    .orderBy("c.id")
    .limit(200)
    .execute();
}

export const updateMessagingChoiceInput = z
  .object({
    customerId: idSchema,
    notifyChannel: z.enum(["email", "sms", "both", "none"], { error: "Choose email, SMS, both or none" }),
    smsConsent: z.boolean(),
  })
  .strict();

/** The person's own choice for one shop; another person's customer record answers NOT_FOUND. */
export async function updateMessagingChoice(
  db: Executor,
  userId: string,
  input: z.infer<typeof updateMessagingChoiceInput>,
  now: Date,
): Promise<MessagingChoice[]> {
  await inTransaction(db, async (trx) => {
    const c = await trx
      .selectFrom("customer")
      .select(["id", "organizationId", "smsConsentAt"])
      .where("id", "=", input.customerId)
      .where("userId", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    if (!c) throw notFound("Not found");
    const consentChanged = input.smsConsent !== (c.smsConsentAt !== null);
    await trx
      .updateTable("customer")
      .set({
        notifyChannel: input.notifyChannel,
        updatedAt: now,
        ...(consentChanged
          ? input.smsConsent
            ? { smsConsentAt: now, smsConsentSource: "customer" as const, smsConsentBy: userId }
            : { smsConsentAt: null, smsConsentSource: null, smsConsentBy: null }
          : {}),
      })
      .where("id", "=", c.id)
      .where("userId", "=", userId)
      .execute();
    await recordAudit(trx, {
      organizationId: c.organizationId,
      actorUserId: userId,
      action: "customer.messaging_choice",
      subjectType: "customer",
      subjectId: c.id,
      data: {
        notifyChannel: input.notifyChannel,
        ...(consentChanged ? { smsConsent: input.smsConsent ? "given" : "withdrawn" } : {}),
      },
    });
  });
  return listMessagingChoices(db, userId);
}
