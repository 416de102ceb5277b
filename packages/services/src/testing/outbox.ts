import type { Database } from "@ktizo/db";

/** Test helper (not used by production code): the one outbox row a test's send wrote, by its id or recipient. */
export function outboxRow(db: Database, by: "id" | "recipient", value: string) {
  return db.selectFrom("outboxMessage").selectAll().where(by, "=", value).executeTakeFirstOrThrow();
}
