import { newId, type WebhookEventOutcome, type WebhookProvider } from "@ktizo/db";
import type { Executor } from "../kernel/index.ts";

/**
 * The record of every webhook received (issue 16, req. 4), written by the webhook routes: a row when the
 * request arrives (signature checked; the verified event kept so it can be replayed), then its outcome.
 * Writes outside the effect's transaction, so a failed effect still leaves its row behind as "failed".
 * Only a failed event keeps its payload (for the replay); an applied, duplicate or ignored one drops it.
 */

const MAX_ERROR = 1000;

export async function logWebhookReceived(
  db: Executor,
  entry: {
    provider: WebhookProvider;
    now: Date;
  } & (
    | { signature: "valid"; eventId: string; eventType: string; event: unknown }
    | { signature: "invalid"; error: string }
  ),
): Promise<string> {
  const id = newId("whe");
  await db
    .insertInto("webhookEvent")
    .values({
      id,
      provider: entry.provider,
      eventId: entry.signature === "valid" ? entry.eventId : null,
      eventType: entry.signature === "valid" ? entry.eventType : null,
      signature: entry.signature,
      outcome: entry.signature === "valid" ? "received" : "rejected",
      error: entry.signature === "invalid" ? entry.error.slice(0, MAX_ERROR) : null,
      event: entry.signature === "valid" ? JSON.stringify(entry.event) : null,
      receivedAt: entry.now,
      updatedAt: entry.now,
    })
    .execute();
  return id;
}

export async function logWebhookOutcome(
  db: Executor,
  id: string,
  outcome: Exclude<WebhookEventOutcome, "received" | "rejected">,
  error: unknown,
  now: Date,
): Promise<void> {
  const message = error === null ? null : error instanceof Error ? error.message : String(error);
  await db
    .updateTable("webhookEvent")
    // The event (with its customer data) is kept only while it may be replayed: until it succeeds.
    .set({
      outcome,
      error: message?.slice(0, MAX_ERROR) ?? null,
      updatedAt: now,
      ...(outcome === "failed" ? {} : { event: null }),
    })
    .where("id", "=", id)
    .execute();
}
