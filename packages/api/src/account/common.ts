import type { DB } from "@ktizo/db";
import type { Kysely, Transaction } from "kysely";
import { DomainError } from "../errors.ts";

/** A database or an open transaction: read helpers accept either. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

/** The signed-in user acting (from the session, never from input). */
export interface UserActor {
  userId: string;
  /** The session the request came with: organization switches change this session only. */
  sessionId: string;
}

/** Who acts, inside which organization (the organization id comes from the session). */
export interface OrgActor {
  organizationId: string;
  userId: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export function toPage<T>(items: T[], total: number, p: { page: number; pageSize: number }): Page<T> {
  return {
    items,
    total,
    page: p.page,
    pageSize: p.pageSize,
    pageCount: Math.max(1, Math.ceil(total / p.pageSize)),
  };
}

/** Escapes a user's search text for ILIKE (so "%", "_" and "\" match themselves). */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const preconditionFailed = (why: string) => new DomainError("PRECONDITION_FAILED", why);

/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== "23505") return false;
  if (!constraint) return true;
  return e.constraint === constraint || (typeof e.message === "string" && e.message.includes(constraint));
}

/**
 * Locks the organization row for the rest of the transaction. Membership changes take it first so that
 * two concurrent changes cannot both pass a "not the last owner" check. Returns false when it is gone.
 */
export async function lockOrganization(trx: Executor, organizationId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("organization")
    .select("id")
    .where("id", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function countOwners(trx: Executor, organizationId: string): Promise<number> {
  const row = await trx
    .selectFrom("member")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organizationId", "=", organizationId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Sessions of `userId` that had `organizationId` active forget it (after leaving or removal). */
export async function clearActiveOrganization(trx: Executor, userId: string, organizationId: string) {
  await trx
    .updateTable("session")
    .set({ activeOrganizationId: null })
    .where("userId", "=", userId)
    .where("activeOrganizationId", "=", organizationId)
    .execute();
}
