import { recordAudit, type WebhookEventOutcome, type WebhookProvider } from "@ktizo/db";
import type { PaymentEvent } from "@ktizo/services";
import { sql } from "kysely";
import {
  conflict,
  type Executor,
  likePattern,
  notFound,
  type Page,
  pageRows,
  toPage,
} from "../kernel/index.ts";
import type { ListWebhookEventsInput } from "./schemas.ts";
import { logWebhookOutcome } from "./webhook-log.ts";

export interface WebhookEventView {
  id: string;
  provider: WebhookProvider;
  eventId: string | null;
  eventType: string | null;
  signature: "valid" | "invalid";
  outcome: WebhookEventOutcome;
  error: string | null;
  attempts: number;
  receivedAt: Date;
  updatedAt: Date;
  /** A verified event whose effect failed: an admin can apply it again. */
  replayable: boolean;
}

const isReplayable = (r: { signature: string; outcome: string; event: string | null }) =>
  r.signature === "valid" && r.outcome === "failed" && r.event !== null;

/** Webhooks received, newest first, searched by event id or type, provider, outcome and signature. */
export async function listWebhookEvents(
  db: Executor,
  input: ListWebhookEventsInput,
): Promise<Page<WebhookEventView>> {
  let base = db.selectFrom("webhookEvent");
  if (input.q) {
    const pattern = likePattern(input.q);
    base = base.where((eb) => eb.or([eb("eventId", "ilike", pattern), eb("eventType", "ilike", pattern)]));
  }
  if (input.provider) base = base.where("provider", "=", input.provider);
  if (input.outcome) base = base.where("outcome", "=", input.outcome);
  if (input.signature) base = base.where("signature", "=", input.signature);
  const [rows, total] = await pageRows(
    base
      .select([
        "id",
        "provider",
        "eventId",
        "eventType",
        "signature",
        "outcome",
        "error",
        "attempts",
        "receivedAt",
        "updatedAt",
        "event",
      ])
      .orderBy("receivedAt", "desc")
      .orderBy("id", "desc"),
    base.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(
    rows.map(({ event, ...r }) => ({ ...r, replayable: isReplayable({ ...r, event }) })),
    total,
    input,
  );
}

export interface ReplayResult {
  id: string;
  outcome: WebhookEventOutcome;
  error: string | null;
}

/**
 * Applies a failed webhook's verified event again, through the same function the webhook route uses.
 * The replay is claimed by a conditional update (failed → received), so two admins replaying at once
 * apply it once; the effect itself is guarded by processed_webhook_event as on any redelivery. Audited.
 */
export async function replayWebhookEvent(
  db: Executor,
  /**
   * Applies a verified event once, by provider (the workflows' `applyStripeEvent` and
   * `applyTwilioEvent`, given by the router).
   */
  apply: (event: PaymentEvent, provider: WebhookProvider) => Promise<"applied" | "duplicate" | "ignored">,
  id: string,
  actorUserId: string,
  now: Date,
): Promise<ReplayResult> {
  const claimed = await db
    .updateTable("webhookEvent")
    .set((eb) => ({ outcome: "received", error: null, attempts: eb("attempts", "+", 1), updatedAt: now }))
    .where("id", "=", id)
    .where("outcome", "=", "failed")
    .where("signature", "=", "valid")
    .where("event", "is not", null)
    .returning(["id", "provider", "eventId", "eventType", "event"])
    .executeTakeFirst();
  if (!claimed) {
    const exists = await db
      .selectFrom("webhookEvent")
      .select("outcome")
      .where("id", "=", id)
      .executeTakeFirst();
    if (!exists) throw notFound("No such webhook event");
    throw conflict(`Only a failed event can be replayed; this one is ${exists.outcome}`);
  }
  const stored = JSON.parse(claimed.event ?? "{}") as PaymentEvent & { created: string };
  const event: PaymentEvent = { ...stored, created: new Date(stored.created) };
  let outcome: "applied" | "duplicate" | "ignored" | "failed";
  let error: string | null = null;
  try {
    outcome = await apply(event, claimed.provider);
    await logWebhookOutcome(db, claimed.id, outcome, null, now);
  } catch (e) {
    outcome = "failed";
    error = e instanceof Error ? e.message : String(e);
    await logWebhookOutcome(db, claimed.id, "failed", e, now);
  }
  await recordAudit(db, {
    actorUserId,
    action: "admin.webhook.replayed",
    subjectType: "webhook_event",
    subjectId: claimed.id,
    data: {
      provider: claimed.provider,
      eventId: claimed.eventId,
      eventType: claimed.eventType,
      outcome,
      error,
    },
  });
  return { id: claimed.id, outcome, error };
}
