import type { Kysely, Transaction } from "kysely";
import type { DB } from "./schema/index.ts";

export interface AuditEntry {
  organizationId?: string | null;
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
  /** When it happened, from the caller's injected clock; the database's clock when omitted. */
  at?: Date;
}

/** Writes an audit row: who, when, what. Call it in the same transaction as the change it records. */
export async function recordAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("auditLog")
    .values({
      organizationId: entry.organizationId ?? null,
      actorUserId: entry.actorUserId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      data: JSON.stringify(entry.data ?? {}),
      ...(entry.at ? { createdAt: entry.at } : {}),
    })
    .execute();
}
