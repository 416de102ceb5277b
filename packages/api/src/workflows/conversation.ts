import type { MessageCategory } from "@ktizo/db";
import { absoluteUrl, type Services } from "@ktizo/services";
import { z } from "zod";
import { jobDocumentLinks } from "../billing/conversation-links.ts";
import { customerContact, sendEmailToCustomer, sendSmsToCustomer } from "../job/conversation.ts";
import { getTemplate, renderTemplate, type TemplateValues } from "../job/templates.ts";
import {
  badRequest,
  type Executor,
  idSchema,
  type MemberActor,
  notFound,
  preconditionFailed,
} from "../kernel/index.ts";
import { sendMessage } from "../marketplace/messages.ts";
import { shopPickupAddress } from "../shop/profile.ts";
import { notifying } from "./customer-notifier.ts";

/**
 * Replies from the job's or customer's conversation (issue 13, req. 1): the body (typed, or a template)
 * is rendered by `renderTemplate` with this job's values, previewed without side effects, and sent on the
 * channel the user picked: the marketplace order chat (portal), email, or SMS. Lives in workflows because
 * it needs billing's proof and payment links and the marketplace's chat.
 */

export const TWILIO_WEBHOOK_PATH = "/api/webhooks/twilio";

const target = {
  jobId: idSchema.optional(),
  customerId: idSchema.optional(),
};
const hasTarget = (v: { jobId?: string; customerId?: string }) =>
  (v.jobId === undefined) !== (v.customerId === undefined);

export const conversationDraftInput = z
  .object({
    ...target,
    channel: z.enum(["portal", "email", "sms"], { error: "Choose portal, email or SMS" }),
    templateId: idSchema.optional(),
    /** The text to send (placeholders allowed); ignored when a template is given. */
    body: z.string().trim().max(1500, "At most 1500 characters").default(""),
    subject: z.string().trim().max(200, "At most 200 characters").default(""),
  })
  .strict()
  .refine(hasTarget, { message: "Give a job or a customer" });
export type ConversationDraft = z.infer<typeof conversationDraftInput>;

interface Scope {
  organizationId: string;
  customerId: string;
  job: { id: string; number: number; title: string; orderId: string | null } | null;
}

async function scopeOf(db: Executor, organizationId: string, draft: ConversationDraft): Promise<Scope> {
  if (draft.jobId) {
    const job = await db
      .selectFrom("job")
      .select(["id", "number", "title", "orderId", "customerId"])
      .where("id", "=", draft.jobId)
      .where("organizationId", "=", organizationId)
      .executeTakeFirst();
    if (!job) throw notFound("Job not found");
    return { organizationId, customerId: job.customerId, job };
  }
  const customer = await customerContact(db, organizationId, draft.customerId ?? "");
  return { organizationId, customerId: customer.id, job: null };
}

async function valuesFor(
  db: Executor,
  scope: Scope,
  baseUrl: string,
  now: Date,
  mode: "preview" | "send",
): Promise<TemplateValues> {
  const customer = await customerContact(db, scope.organizationId, scope.customerId);
  const shop = await shopPickupAddress(db, scope.organizationId);
  const links = scope.job
    ? await jobDocumentLinks(db, scope.organizationId, scope.job.id, now, mode)
    : { proof: null, payment: null };
  const linkOf = (path: string | undefined) =>
    path === undefined ? null : path.startsWith("/") ? absoluteUrl(baseUrl, path) : path;
  return {
    job_number: scope.job ? `#${scope.job.number}` : null,
    customer_name: customer.name,
    proof_link: linkOf(links.proof?.path),
    payment_link: linkOf(links.payment?.path),
    pickup_address: shop.pickupAddress,
    shop_name: shop.name,
  };
}

async function textOf(db: Executor, organizationId: string, draft: ConversationDraft) {
  if (draft.templateId) {
    const t = await getTemplate(db, organizationId, draft.templateId);
    return { body: t.body, subject: t.subject ?? draft.subject };
  }
  if (draft.body === "") throw badRequest("Write a message or choose a template", { body: "Required" });
  return { body: draft.body, subject: draft.subject };
}

function render(text: { body: string; subject: string }, values: TemplateValues, channel: string) {
  const body = renderTemplate(text.body, values);
  const subject =
    channel === "email" ? renderTemplate(text.subject || `Message from {shop_name}`, values) : null;
  return { body, subject };
}

/** What would be sent: rendered with this job's values, links named but not created. Changes nothing. */
export async function previewConversationMessage(
  db: Executor,
  organizationId: string,
  draft: ConversationDraft,
  baseUrl: string,
  now: Date,
): Promise<{ body: string; subject: string | null; smsSegments: number }> {
  const scope = await scopeOf(db, organizationId, draft);
  const rendered = render(
    await textOf(db, organizationId, draft),
    await valuesFor(db, scope, baseUrl, now, "preview"),
    draft.channel,
  );
  return { ...rendered, smsSegments: smsSegments(rendered.body) };
}

/** Parts a text is billed as: 160 GSM-7 characters (153 when split), 70 otherwise (67 when split). */
export function smsSegments(body: string): number {
  const gsm = /^[\n\r -_a-zA-Z0-9!"#$%&'()*+,\-./:;<=>?@£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà]*$/.test(body);
  const single = gsm ? 160 : 70;
  const split = gsm ? 153 : 67;
  return body.length <= single ? 1 : Math.ceil(body.length / split);
}

const authorOf = async (db: Executor, actor: MemberActor) => {
  const u = await db.selectFrom("user").select(["name"]).where("id", "=", actor.userId).executeTakeFirst();
  return { userId: actor.userId, label: u?.name ?? "Shop" };
};

/** The status-callback URL Twilio reports deliveries to (only a real Twilio account sends them). */
export function statusCallbackUrl(services: Pick<Services, "sms">, baseUrl: string): string | null {
  return services.sms.provider === "twilio" ? absoluteUrl(baseUrl, TWILIO_WEBHOOK_PATH) : null;
}

/**
 * Sends a reply on the chosen channel. A text that may not be sent (opted out, no consent) is recorded
 * as blocked on the timeline and refused with the reason.
 */
export async function sendConversationMessage(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "storage">,
  actor: MemberActor,
  draft: ConversationDraft,
  baseUrl: string,
  now: Date,
): Promise<{ messageId: string; channel: "portal" | "email" | "sms" }> {
  const scope = await scopeOf(db, actor.organizationId, draft);
  const text = await textOf(db, actor.organizationId, draft);
  // Rendered once without side effects first: an unfillable placeholder creates no portal link.
  render(text, await valuesFor(db, scope, baseUrl, now, "preview"), draft.channel);
  const { body, subject } = render(text, await valuesFor(db, scope, baseUrl, now, "send"), draft.channel);
  const author = await authorOf(db, actor);
  const template = draft.templateId ? "conversation-template" : "conversation-reply";
  if (draft.channel === "portal") {
    if (!scope.job?.orderId)
      throw badRequest("Only a job from a marketplace order has a portal conversation", {
        channel: "Choose email or SMS",
      });
    const sent = await sendMessage(
      db,
      notifying(services),
      { side: "shop", organizationId: actor.organizationId, userId: actor.userId },
      { orderId: scope.job.orderId, body },
      now,
    );
    return { messageId: sent.id, channel: "portal" };
  }
  if (draft.channel === "email") {
    const sent = await sendEmailToCustomer(
      db,
      services.mail,
      {
        organizationId: actor.organizationId,
        customerId: scope.customerId,
        jobId: scope.job?.id ?? null,
        subject: subject ?? "",
        body,
        author,
        template,
        category: "service",
      },
      now,
    );
    return { messageId: sent.messageId, channel: "email" };
  }
  const sent = await sendSmsToCustomer(
    db,
    services.sms,
    {
      organizationId: actor.organizationId,
      customerId: scope.customerId,
      jobId: scope.job?.id ?? null,
      body,
      author,
      template,
      category: "service",
      statusCallback: statusCallbackUrl(services, baseUrl),
    },
    now,
  );
  if (sent.status === "blocked") throw preconditionFailed(`Not sent: ${sent.reason}`);
  return { messageId: sent.messageId, channel: "sms" };
}

export const textProofInput = z.object({ proofId: idSchema }).strict();

/**
 * Texts the customer the pending proof's link with "Reply YES to approve proof N"; their "YES" comes
 * back through the Twilio webhook (`receiveInboundSms`).
 */
export async function textProof(
  db: Executor,
  services: Pick<Services, "sms">,
  actor: MemberActor,
  input: z.infer<typeof textProofInput>,
  baseUrl: string,
  now: Date,
): Promise<{ messageId: string }> {
  const p = await db
    .selectFrom("proof")
    .innerJoin("job", "job.id", "proof.jobId")
    .select(["proof.id", "proof.version", "proof.status", "job.id as jobId", "job.customerId", "job.title"])
    .where("proof.id", "=", input.proofId)
    .where("proof.organizationId", "=", actor.organizationId)
    .executeTakeFirst();
  if (!p) throw notFound("Proof not found");
  if (p.status !== "pending") throw preconditionFailed(`This proof is already ${p.status}`);
  const scope: Scope = {
    organizationId: actor.organizationId,
    customerId: p.customerId,
    job: { id: p.jobId, number: 0, title: p.title, orderId: null },
  };
  const values = await valuesFor(db, scope, baseUrl, now, "send");
  const sent = await sendSmsToCustomer(
    db,
    services.sms,
    {
      organizationId: actor.organizationId,
      customerId: p.customerId,
      jobId: p.jobId,
      body:
        `${values.shop_name}: proof ${p.version} of "${p.title}" is ready: ${values.proof_link}\n` +
        `Reply YES to approve proof ${p.version}.`,
      author: await authorOf(db, actor),
      template: "billing-proof-sms",
      category: "service" satisfies MessageCategory,
      statusCallback: statusCallbackUrl(services, baseUrl),
    },
    now,
  );
  if (sent.status === "blocked") throw preconditionFailed(`Not sent: ${sent.reason}`);
  return { messageId: sent.messageId };
}
