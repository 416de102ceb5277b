import type { AiService } from "@ktizo/services";
import { z } from "zod";
import { recordSuggestionOutcome, suggestionOutcomeInput } from "../ai/activity.ts";
import { askAi, limitAiAssist } from "../ai/ask.ts";
import { badRequest, type Executor } from "../kernel/index.ts";
import { ORDER_STATUS_LABELS } from "../marketplace/common.ts";
import { listMessages } from "../marketplace/messages.ts";
import { getShopOrder } from "../marketplace/shop-orders.ts";

/**
 * A suggested reply to a customer's message on a marketplace order (issue 15, req. 5; AI only): the
 * thread and a summary of the order go through the AI gate (never the customer's name, email or
 * address), the shop edits the draft and sends it through the ordinary message form, or dismisses
 * it; either is recorded.
 */

type Actor = { organizationId: string; userId: string };

export const orderRef = z.object({ orderId: z.string().min(1).max(100) });

export interface ReplySuggestion {
  reply: string;
  source: "anthropic" | "rules";
}

/** Only the last messages matter for a reply; the AI service takes at most this many. */
const THREAD_TAIL = 20;

export async function suggestOrderReply(
  db: Executor,
  ai: AiService,
  actor: Actor,
  input: z.output<typeof orderRef>,
  now: Date,
): Promise<ReplySuggestion> {
  // The shop's own paid order, or NOT_FOUND, before anything costs a request.
  const order = await getShopOrder(db, actor.organizationId, input.orderId);
  const thread = await listMessages(db, { side: "shop", ...actor }, input.orderId, now);
  const messages = thread
    .filter((m) => m.body.trim().length > 0 && m.body !== "[deleted]")
    .slice(-THREAD_TAIL)
    .map((m) => ({ from: m.side, body: m.body.slice(0, 5000) }));
  if (!messages.some((m) => m.from === "customer"))
    throw badRequest("The customer has not written yet: there is nothing to reply to.");
  await limitAiAssist(db, actor, now);
  const shop = await db
    .selectFrom("organization")
    .select("name")
    .where("id", "=", actor.organizationId)
    .executeTakeFirstOrThrow();
  const items = order.lines.map((l) => `${l.quantity} × ${l.description}`).join(", ");
  const orderSummary = [
    `Order #${order.number}: ${items || "no items listed"}`,
    `status: ${ORDER_STATUS_LABELS[order.status]}`,
    `shipping: ${order.shippingOption.name}`,
    order.trackingNumber ? "a tracking number was sent" : "no tracking number yet",
  ].join("; ");
  return askAi(
    () =>
      ai.draftReply(actor, {
        shopName: shop.name.slice(0, 200),
        orderSummary: orderSummary.slice(0, 2000),
        messages,
      }),
    { what: "Reply suggestions", withoutAi: "write the reply yourself." },
  );
}

export const replyOutcomeInput = orderRef.extend(suggestionOutcomeInput.shape);

/** The shop sent the drafted reply (maybe edited) or dismissed it: recorded for the order. */
export async function recordReplyOutcome(
  db: Executor,
  actor: Actor,
  input: z.output<typeof replyOutcomeInput>,
  now: Date,
): Promise<{ recorded: true }> {
  await getShopOrder(db, actor.organizationId, input.orderId);
  await recordSuggestionOutcome(
    db,
    actor,
    { feature: "reply_draft", subjectType: "marketplace_order", subjectId: input.orderId },
    input,
    now,
  );
  return { recorded: true };
}
