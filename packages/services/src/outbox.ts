import type { Database, OutboxMessageTable } from "@ktizo/db";
import type { Insertable } from "kysely";
import { ProviderError } from "./errors.ts";

/** What a message is, as the outbox table keeps it (email and SMS alike), without how it left. */
export type OutboxEntry = Omit<
  Insertable<OutboxMessageTable>,
  "id" | "provider" | "providerMessageId" | "status" | "error" | "createdAt"
>;

/** A local stand-in's send: the message is stored in the outbox, not sent anywhere. */
export async function storeInOutbox(db: Database, entry: OutboxEntry): Promise<string> {
  const row = await db
    .insertInto("outboxMessage")
    .values({ ...entry, provider: "outbox", status: "stored" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A real provider's send, recorded in the outbox with its outcome whichever it is: sent, with the id the
 * provider gave it, or failed, with the error, which is then thrown as a ProviderError naming the row.
 */
export async function sendRecorded(
  db: Database,
  provider: string,
  entry: OutboxEntry,
  attempt: () => Promise<string | null>,
): Promise<{ id: string; providerMessageId: string | null }> {
  let providerMessageId: string | null = null;
  let failure: unknown = null;
  try {
    providerMessageId = await attempt();
  } catch (error) {
    failure = error;
  }
  const row = await db
    .insertInto("outboxMessage")
    .values({
      ...entry,
      provider,
      providerMessageId,
      status: failure ? "failed" : "sent",
      error: failure ? String(failure instanceof Error ? failure.message : failure) : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (failure) throw new ProviderError(provider, `sending failed (outbox ${row.id})`, { cause: failure });
  return { id: row.id, providerMessageId };
}
