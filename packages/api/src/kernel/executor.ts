import type { DB } from "@ktizo/db";
import type { Kysely, Transaction } from "kysely";

/** A database or an open transaction: domain functions accept either. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
