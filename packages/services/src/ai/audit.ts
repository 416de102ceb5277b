import { type Database, newId } from "@ktizo/db";
import type { AiRequestRecord, AiRequestRecorder } from "./types.ts";

/**
 * The one writer of the AI audit trail (`ai_request_log`, issue 15 req. 6): who, when, which feature,
 * the kinds of data sent (never the content), provider, model, token counts and the outcome.
 */
export async function recordAiRequest(db: Database, record: AiRequestRecord): Promise<void> {
  await db
    .insertInto("aiRequestLog")
    .values({
      id: newId("air"),
      organizationId: record.organizationId,
      userId: record.userId,
      feature: record.feature,
      dataKinds: JSON.stringify(record.dataKinds),
      provider: record.provider,
      model: record.model,
      inputTokens: Math.max(0, Math.round(record.inputTokens)),
      outputTokens: Math.max(0, Math.round(record.outputTokens)),
      tokensEstimated: record.tokensEstimated,
      outcome: record.outcome,
      errorKind: record.errorKind,
      createdAt: record.at,
    })
    .execute();
}

/** The gate's recorder on a database (createServices wires it). */
export function databaseAiRecorder(db: Database): AiRequestRecorder {
  return (record) => recordAiRequest(db, record);
}
