import { type DB, recordAudit } from "@ktizo/db";
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";

/** A database or an open transaction: domain functions accept either. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Who acts, inside which organization (taken from the session by the router, never from input). */
export interface OrgActor {
  organizationId: string;
  /** null: the platform itself (a marketplace order, a background job). */
  userId: string | null;
}

/** A signed-in member acting in their organization. */
export interface MemberActor extends OrgActor {
  userId: string;
}

export const idSchema = z.string().trim().min(1, "Required").max(100, "Not a valid id");

export const paginationSchema = z.object({
  page: z.number().int().min(1, "Pages start at 1").default(1),
  pageSize: z.number().int().min(1).max(100, "At most 100 rows per page").default(25),
});
export type Pagination = z.infer<typeof paginationSchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export function toPage<T>(items: T[], total: number, p: Pagination): Page<T> {
  return {
    items,
    total,
    page: p.page,
    pageSize: p.pageSize,
    pageCount: Math.max(1, Math.ceil(total / p.pageSize)),
  };
}

/** Escapes a user's search text for ILIKE (so "%" and "_" match themselves). */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const searchSchema = z.string().trim().max(200, "Search is too long").optional();

export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as USD");

export const minorAmountSchema = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} is in minor units (cents), a whole number`)
    .min(0, `${label} cannot be negative`)
    .max(100_000_000_00, `${label} is too large`);

export const technologySchema = z.enum(["fdm", "resin", "powder"], {
  error: "Choose FDM, resin or powder",
});

export const dateInputSchema = z.coerce.date({ error: "Not a valid date" });

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

/** Audit row for a job change (who, when, what). */
export async function recordJobAudit(
  trx: Executor,
  actor: OrgActor,
  jobId: string,
  action: string,
  data: Record<string, unknown>,
): Promise<void> {
  await recordAudit(trx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action,
    subjectType: "job",
    subjectId: jobId,
    data,
  });
}
