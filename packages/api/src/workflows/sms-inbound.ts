import { randomBytes } from "node:crypto";
import { type ConversationStatus, recordAudit } from "@ktizo/db";
import type { Services } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { logWebhookOutcome, logWebhookReceived } from "../admin/webhook-log.ts";
import { decideProof } from "../billing/proofs.ts";
import { recordSmsKeyword, sendSmsToCustomer } from "../job/conversation.ts";
import { applyDeliveryStatus, recordConversationMessage } from "../job/conversation-store.ts";
import { DomainError, type Executor, notFound, preconditionFailed, toE164 } from "../kernel/index.ts";
import { statusCallbackUrl } from "./conversation.ts";

/**
 * Texts from customers (issue 13, req. 2): the Twilio webhook (signature checked, every request logged in
 * the admin webhook log), delivery reports, STOP/START/HELP, and approval of a proof by replying YES. The
 * admin console's simulated reply enters at `receiveInboundSms`, the same path a signed request takes.
 */

/** Twilio's opt-out, opt-in and help keywords (its defaults for Advanced Opt-Out). */
const STOP_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
const START_WORDS = new Set(["START", "UNSTOP"]);
const HELP_WORDS = new Set(["HELP", "INFO"]);
const YES = /^YES(?:\s+(?:PROOF\s+)?#?(\d{1,4}))?$/;

/** Jobs in these states are closed: a text is matched to the customer's most recent other job. */
const CLOSED_JOB_STATUSES = ["completed", "cancelled", "shipped", "picked_up"] as const;

export interface InboundSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

export type InboundOutcome = "applied" | "duplicate" | "ignored";

interface Shop {
  organizationId: string;
  name: string;
}

async function shopByNumber(db: Executor, to: string): Promise<Shop | null> {
  const number = toE164(to);
  if (!number) return null;
  const row = await db
    .selectFrom("shopSmsSettings as s")
    .innerJoin("organization as o", "o.id", "s.organizationId")
    .select(["s.organizationId", "o.name"])
    .where("s.phoneE164", "=", number)
    .executeTakeFirst();
  return row ?? null;
}

/** The keyword of a text: its words in capitals, without punctuation ("Yes!" → "YES", "yes 2" → "YES 2"). */
export function keywordOf(body: string): string {
  return body
    .toUpperCase()
    .replace(/[^A-Z0-9#\s]/g, " ")
    .trim()
    .replace(/\s+/g, " ");
}

/**
 * One inbound text: matched to the shop by the number it was sent to, to the customer by E.164 number,
 * and to their most recent open job (none: the customer's timeline). Written once per MessageSid; a
 * redelivery answers "duplicate" and changes nothing.
 */
export async function receiveInboundSms(
  db: Executor,
  services: Pick<Services, "sms">,
  sms: InboundSms,
  provider: string,
  baseUrl: string,
  now: Date,
): Promise<{ outcome: InboundOutcome; detail: string; messageId: string | null }> {
  const shop = await shopByNumber(db, sms.to);
  if (!shop) return { outcome: "ignored", detail: "No shop has this number", messageId: null };
  const from = toE164(sms.from);
  if (!from) return { outcome: "ignored", detail: "The sender is not a valid number", messageId: null };
  const keyword = keywordOf(sms.body);
  const customer = await db
    .selectFrom("customer")
    .select(["id", "name"])
    .where("organizationId", "=", shop.organizationId)
    .where("phoneE164", "=", from)
    .orderBy("updatedAt", "desc")
    .orderBy("id")
    .executeTakeFirst();
  if (!customer) {
    // Nobody to put it on a timeline for, but STOP is still honoured for the number.
    if (STOP_WORDS.has(keyword) || START_WORDS.has(keyword)) {
      await recordSmsKeyword(
        db,
        {
          organizationId: shop.organizationId,
          phoneE164: from,
          optedOut: STOP_WORDS.has(keyword),
          keyword,
          messageId: null,
        },
        now,
      );
      return { outcome: "applied", detail: `${keyword} from an unknown number`, messageId: null };
    }
    return { outcome: "ignored", detail: "No customer has this number", messageId: null };
  }
  const openJob = await db
    .selectFrom("job")
    .select("id")
    .where("organizationId", "=", shop.organizationId)
    .where("customerId", "=", customer.id)
    .where("status", "not in", [...CLOSED_JOB_STATUSES])
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
  const stored = await recordConversationMessage(
    db,
    {
      organizationId: shop.organizationId,
      customerId: customer.id,
      jobId: openJob?.id ?? null,
      channel: "sms",
      direction: "in",
      authorUserId: null,
      authorLabel: customer.name,
      counterpart: from,
      body: sms.body.slice(0, 5000),
      status: "received",
      provider,
      externalId: sms.messageSid,
    },
    now,
  );
  if (!stored.created) return { outcome: "duplicate", detail: "Already received", messageId: stored.id };
  // An automatic answer is stamped just after the text it answers, so the timeline shows them in order.
  const replyAt = new Date(now.getTime() + 1);
  const reply = (body: string) =>
    sendSmsToCustomer(
      db,
      services.sms,
      {
        organizationId: shop.organizationId,
        customerId: customer.id,
        jobId: openJob?.id ?? null,
        body,
        author: { userId: null, label: shop.name },
        template: "sms-auto-reply",
        category: "service",
        isReply: true,
        statusCallback: statusCallbackUrl(services, baseUrl),
      },
      replyAt,
    );
  if (STOP_WORDS.has(keyword) || START_WORDS.has(keyword)) {
    const optedOut = STOP_WORDS.has(keyword);
    await recordSmsKeyword(
      db,
      { organizationId: shop.organizationId, phoneE164: from, optedOut, keyword, messageId: stored.id },
      now,
    );
    await recordAudit(db, {
      organizationId: shop.organizationId,
      actorUserId: null,
      action: optedOut ? "conversation.sms.opted_out" : "conversation.sms.opted_in",
      subjectType: "customer",
      subjectId: customer.id,
      data: { keyword, messageId: stored.id },
    });
    // Twilio itself confirms STOP and START to the sender; nothing more is sent.
    return { outcome: "applied", detail: optedOut ? "Opted out" : "Opted in", messageId: stored.id };
  }
  if (HELP_WORDS.has(keyword)) {
    await reply(
      `${shop.name}: texts about your print jobs. Reply STOP to stop them, START to resume. ` +
        "For help, reply to this number or contact the shop.",
    );
    return { outcome: "applied", detail: "Help sent", messageId: stored.id };
  }
  const yes = YES.exec(keyword);
  if (yes) {
    const answer = await approveByReply(
      db,
      shop,
      customer,
      yes[1] ? Number(yes[1]) : null,
      stored.id,
      from,
      now,
    );
    await reply(answer.reply);
    return { outcome: "applied", detail: answer.detail, messageId: stored.id };
  }
  return { outcome: "applied", detail: "Message received", messageId: stored.id };
}

/**
 * "YES" or "YES 2": approves the customer's one proof waiting for approval (the latest version of an open
 * job), through billing's decideProof, which changes a pending proof only (conditional, once), and keeps
 * the text as evidence. No pending proof, or several: nothing is approved and the reply says why.
 */
async function approveByReply(
  db: Executor,
  shop: Shop,
  customer: { id: string; name: string },
  version: number | null,
  messageId: string,
  from: string,
  now: Date,
): Promise<{ reply: string; detail: string }> {
  let q = db
    .selectFrom("proof as p")
    .innerJoin("job as j", "j.id", "p.jobId")
    .select(["p.id", "p.version", "j.number"])
    .where("p.organizationId", "=", shop.organizationId)
    .where("j.customerId", "=", customer.id)
    .where("p.status", "=", "pending")
    .where("j.status", "not in", [...CLOSED_JOB_STATUSES])
    .where(({ eb, selectFrom }) =>
      eb(
        "p.version",
        "=",
        selectFrom("proof as q")
          .select(sql<number>`max(q.version)`.as("v"))
          .whereRef("q.jobId", "=", "p.jobId"),
      ),
    );
  if (version !== null) q = q.where("p.version", "=", version);
  const pending = await q.orderBy("j.number").execute();
  if (pending.length === 0) {
    return {
      reply:
        version === null
          ? `${shop.name}: there is no proof waiting for your approval.`
          : `${shop.name}: proof ${version} is not waiting for your approval. Check the number in our text.`,
      detail: "No pending proof",
    };
  }
  if (pending.length > 1) {
    const list = pending.map((p) => `job #${p.number} proof ${p.version}`).join(", ");
    return {
      reply: `${shop.name}: several proofs are waiting (${list}). Please approve each from the link we sent.`,
      detail: "Ambiguous",
    };
  }
  const proof = pending[0];
  if (!proof) throw notFound("Proof not found");
  try {
    await decideProof(
      db,
      { organizationId: shop.organizationId, proofId: proof.id },
      { decision: "approved", name: customer.name, comment: "" },
      { ip: "sms", userAgent: `SMS reply from ${from}`, messageId },
      now,
    );
  } catch (e) {
    if (e instanceof DomainError)
      return { reply: `${shop.name}: ${e.message}.`, detail: `Not approved: ${e.message}` };
    throw e;
  }
  return {
    reply: `${shop.name}: thank you, proof ${proof.version} of job #${proof.number} is approved.`,
    detail: `Proof ${proof.version} approved`,
  };
}

/** Twilio's MessageStatus as the conversation's delivery status (null: not a step we record). */
export function deliveryStatusOf(status: string): ConversationStatus | null {
  switch (status) {
    case "sent":
      return "sent";
    case "delivered":
    case "read":
      return "delivered";
    case "undelivered":
      return "undelivered";
    case "failed":
    case "canceled":
      return "failed";
    default:
      return null;
  }
}

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twilioParams = z.record(z.string().max(100), z.string().max(5000));

export interface TwilioWebhookResult {
  status: 200 | 400 | 403;
  contentType: string;
  body: string;
}

/**
 * Applies a verified Twilio request's parameters: a delivery report (forwards only) or an inbound text
 * (once per MessageSid). Also what the admin console's replay of a failed event runs.
 */
export async function applyTwilioEvent(
  db: Executor,
  services: Pick<Services, "sms">,
  params: Record<string, string>,
  baseUrl: string,
  now: Date,
): Promise<{ outcome: InboundOutcome; detail: string }> {
  const sid = params.MessageSid ?? params.SmsSid ?? "";
  if (params.MessageStatus !== undefined && params.Body === undefined) {
    const status = deliveryStatusOf(params.MessageStatus);
    if (!status) return { outcome: "ignored", detail: `Status ${params.MessageStatus} is not recorded` };
    const applied = await applyDeliveryStatus(
      db,
      {
        provider: "twilio",
        externalId: sid,
        status,
        detail: params.ErrorCode ? `Twilio error ${params.ErrorCode}` : null,
      },
      now,
    );
    return applied
      ? { outcome: "applied", detail: `Message ${status}` }
      : { outcome: "duplicate", detail: "No earlier status to move from" };
  }
  return receiveInboundSms(
    db,
    services,
    { messageSid: sid, from: params.From ?? "", to: params.To ?? "", body: params.Body ?? "" },
    "twilio",
    baseUrl,
    now,
  );
}

/**
 * The Twilio webhook: the SDK's validateRequest over the exact public URL and the form parameters (a
 * forged or unsigned request is logged and answered 403, changing nothing), then an inbound text or a
 * delivery report, each applied once.
 */
export async function handleTwilioWebhook(
  db: Executor,
  services: Pick<Services, "sms">,
  request: { url: string; signature: string | null; params: Record<string, string> },
  baseUrl: string,
  now: Date,
): Promise<TwilioWebhookResult> {
  const verified = services.sms.verifyWebhook(request);
  if (!verified) {
    await logWebhookReceived(db, {
      provider: "twilio",
      signature: "invalid",
      error: request.signature ? "bad-signature" : "missing-header",
      now,
    });
    return { status: 403, contentType: "text/plain", body: "Forbidden" };
  }
  const parsed = twilioParams.safeParse(request.params);
  const params = parsed.success ? parsed.data : {};
  const sid = params.MessageSid ?? params.SmsSid ?? "";
  const statusReport = params.MessageStatus !== undefined && params.Body === undefined;
  const eventType = statusReport ? `sms.status.${params.MessageStatus}` : "sms.received";
  const logId = await logWebhookReceived(db, {
    provider: "twilio",
    signature: "valid",
    eventId: statusReport ? `${sid}:${params.MessageStatus}` : sid,
    eventType,
    event: params,
    now,
  });
  if (!parsed.success || !/^(SM|MM)[0-9a-zA-Z]{32}$/.test(sid)) {
    await logWebhookOutcome(db, logId, "ignored", "Not a message webhook (no MessageSid)", now);
    return { status: 400, contentType: "text/plain", body: "Not a message webhook" };
  }
  try {
    const applied = await applyTwilioEvent(db, services, params, baseUrl, now);
    await logWebhookOutcome(
      db,
      logId,
      applied.outcome,
      applied.outcome === "ignored" ? applied.detail : null,
      now,
    );
  } catch (e) {
    await logWebhookOutcome(db, logId, "failed", e, now);
    throw e;
  }
  return { status: 200, contentType: "text/xml", body: TWIML_EMPTY };
}

export const simulateInboundInput = z
  .object({
    organizationId: z.string().trim().min(1, "Choose the shop").max(100),
    from: z.string().trim().min(1, "Enter the sender's number").max(40),
    body: z.string().trim().min(1, "Write the text").max(1600, "At most 1600 characters"),
  })
  .strict();

/**
 * The admin console's stand-in for a customer's reply while texts go to the outbox: the same
 * `receiveInboundSms` a signed Twilio request reaches, to the shop's own number.
 */
export async function simulateInboundSms(
  db: Executor,
  services: Pick<Services, "sms">,
  admin: { userId: string },
  input: z.infer<typeof simulateInboundInput>,
  baseUrl: string,
  now: Date,
): Promise<{ outcome: InboundOutcome; detail: string; messageId: string | null }> {
  if (services.sms.provider === "twilio")
    throw preconditionFailed("Twilio is configured: real replies arrive at the webhook");
  const shop = await db
    .selectFrom("shopSmsSettings")
    .select(["phoneE164"])
    .where("organizationId", "=", input.organizationId)
    .executeTakeFirst();
  if (!shop) throw preconditionFailed("That shop has no SMS number (Workspace → Settings)");
  if (!toE164(input.from)) throw preconditionFailed("The sender is not a valid phone number");
  const result = await receiveInboundSms(
    db,
    services,
    {
      messageSid: `SM${randomBytes(16).toString("hex")}`,
      from: input.from,
      to: shop.phoneE164,
      body: input.body,
    },
    "outbox",
    baseUrl,
    now,
  );
  await recordAudit(db, {
    organizationId: input.organizationId,
    actorUserId: admin.userId,
    action: "admin.sms.simulated_inbound",
    subjectType: "organization",
    subjectId: input.organizationId,
    data: { outcome: result.outcome, detail: result.detail },
  });
  return result;
}
