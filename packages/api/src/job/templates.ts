import { newId, recordAudit } from "@ktizo/db";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  isUniqueViolation,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";

/**
 * Message templates per shop (issue 13, req. 1): a name, an optional email subject and a body with
 * placeholders. `renderTemplate` is the one function that fills them; an unknown placeholder is refused
 * when the template is saved and when it is rendered, with its name in the error.
 */

export const TEMPLATE_PLACEHOLDERS = [
  "job_number",
  "customer_name",
  "proof_link",
  "payment_link",
  "pickup_address",
  "shop_name",
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
export type TemplateValues = Record<TemplatePlaceholder, string | null>;

const PLACEHOLDER = /\{([^{}\s]{1,40})\}/g;
const KNOWN = new Set<string>(TEMPLATE_PLACEHOLDERS);
const LIST = TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(", ");

/** The placeholders a text uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ""))];
}

function unknownPlaceholders(text: string): string[] {
  return placeholdersIn(text).filter((p) => !KNOWN.has(p));
}

const WHAT_IS_MISSING: Record<TemplatePlaceholder, string> = {
  job_number: "no job",
  customer_name: "no customer",
  proof_link: "no proof waiting for approval",
  payment_link: "no invoice to pay",
  pickup_address: "no pickup address in the shop profile",
  shop_name: "no shop name",
};

/**
 * Fills a template's placeholders. Refuses an unknown placeholder, and a known one this conversation has
 * no value for (a {proof_link} on a job without a pending proof), rather than send a message with a hole.
 */
export function renderTemplate(text: string, values: TemplateValues): string {
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0) {
    throw badRequest(
      `Unknown placeholder${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `{${u}}`).join(", ")}. Use ${LIST}.`,
      { body: "Unknown placeholder" },
    );
  }
  const missing = (placeholdersIn(text) as TemplatePlaceholder[]).filter((p) => !values[p]);
  if (missing.length > 0) {
    throw badRequest(
      `Cannot fill ${missing.map((m) => `{${m}}`).join(", ")}: ${missing.map((m) => WHAT_IS_MISSING[m]).join("; ")}`,
      { body: "A placeholder has no value here" },
    );
  }
  return text.replace(PLACEHOLDER, (_, name: string) => values[name as TemplatePlaceholder] ?? "");
}

const knownPlaceholders = (label: string) => (text: string, ctx: z.RefinementCtx) => {
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: `${label}: unknown placeholder ${unknown.map((u) => `{${u}}`).join(", ")}. Use ${LIST}.`,
    });
  }
};

const templateFields = z
  .object({
    name: z.string().trim().min(1, "Name the template").max(80, "At most 80 characters"),
    subject: z
      .string()
      .trim()
      .max(200, "At most 200 characters")
      .superRefine(knownPlaceholders("Subject"))
      .transform((v) => (v === "" ? null : v))
      .nullable()
      .default(null),
    body: z
      .string()
      .trim()
      .min(1, "Write the message")
      .max(1500, "At most 1500 characters (an SMS of 10 parts)")
      .superRefine(knownPlaceholders("Body")),
  })
  .strict();
export const createTemplateInput = templateFields;
export const updateTemplateInput = templateFields.extend({ id: idSchema }).strict();

export interface MessageTemplateView {
  id: string;
  name: string;
  subject: string | null;
  body: string;
  updatedAt: Date;
}

export async function listTemplates(db: Executor, organizationId: string): Promise<MessageTemplateView[]> {
  return db
    .selectFrom("messageTemplate")
    .select(["id", "name", "subject", "body", "updatedAt"])
    .where("organizationId", "=", organizationId)
    .orderBy("name")
    .orderBy("id")
    .limit(200)
    .execute();
}

export async function getTemplate(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<MessageTemplateView> {
  const row = await db
    .selectFrom("messageTemplate")
    .select(["id", "name", "subject", "body", "updatedAt"])
    .where("organizationId", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("Template not found");
  return row;
}

const duplicateName = (name: string) => conflict(`A template named "${name}" already exists`);

export async function createTemplate(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof createTemplateInput>,
  now: Date,
): Promise<MessageTemplateView> {
  const id = newId("tpl");
  try {
    await inTransaction(db, async (trx) => {
      await trx
        .insertInto("messageTemplate")
        .values({
          id,
          organizationId: actor.organizationId,
          name: input.name,
          subject: input.subject,
          body: input.body,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      await recordAudit(trx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        action: "conversation.template.created",
        subjectType: "message_template",
        subjectId: id,
        data: { name: input.name },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateName(input.name);
    throw e;
  }
  return getTemplate(db, actor.organizationId, id);
}

export async function updateTemplate(
  db: Executor,
  actor: OrgActor,
  input: z.infer<typeof updateTemplateInput>,
  now: Date,
): Promise<MessageTemplateView> {
  try {
    await inTransaction(db, async (trx) => {
      const row = await trx
        .updateTable("messageTemplate")
        .set({ name: input.name, subject: input.subject, body: input.body, updatedAt: now })
        .where("id", "=", input.id)
        .where("organizationId", "=", actor.organizationId)
        .returning("id")
        .executeTakeFirst();
      if (!row) throw notFound("Template not found");
      await recordAudit(trx, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        action: "conversation.template.updated",
        subjectType: "message_template",
        subjectId: input.id,
        data: { name: input.name },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateName(input.name);
    throw e;
  }
  return getTemplate(db, actor.organizationId, input.id);
}

export async function deleteTemplate(db: Executor, actor: OrgActor, id: string): Promise<{ id: string }> {
  await inTransaction(db, async (trx) => {
    const row = await trx
      .deleteFrom("messageTemplate")
      .where("id", "=", id)
      .where("organizationId", "=", actor.organizationId)
      .returning("name")
      .executeTakeFirst();
    if (!row) throw notFound("Template not found");
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "conversation.template.deleted",
      subjectType: "message_template",
      subjectId: id,
      data: { name: row.name },
    });
  });
  return { id };
}
