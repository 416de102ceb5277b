import { newId, recordAudit } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  type MemberActor,
  notFound,
} from "../kernel/index.ts";
import { lockOrganization } from "./common.ts";

/**
 * Support access (issue 16, req. 8), the shop's side: the owner grants platform support read-only access
 * to the workspace for 1, 24 or 72 hours and can revoke it; the shop's members see the grants and every
 * page support viewed (the audit log's `support.*` rows). A new grant replaces a live one.
 */

export const SUPPORT_GRANT_HOURS = [1, 24, 72] as const;

export const grantSupportInput = z.object({
  hours: z.coerce
    .number({ error: "Choose how long" })
    .refine(
      (h): h is (typeof SUPPORT_GRANT_HOURS)[number] =>
        (SUPPORT_GRANT_HOURS as readonly number[]).includes(h),
      {
        message: "Choose 1 hour, 24 hours or 72 hours",
      },
    ),
});
export const supportGrantIdInput = z.object({ grantId: idSchema });

export interface SupportGrantView {
  id: string;
  grantedByName: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Live now: not revoked and not expired. */
  live: boolean;
}

export interface SupportLogEntry {
  createdAt: Date;
  action: string;
  /** Who did it: the owner (grants) or the platform admin (views). */
  actorName: string | null;
  /** The workspace page viewed, for `support.page_viewed`. */
  path: string | null;
}

export interface SupportAccessView {
  live: SupportGrantView | null;
  grants: SupportGrantView[];
  log: SupportLogEntry[];
}

const HOUR_MS = 3_600_000;

function toGrantView(
  row: { id: string; grantedByName: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null },
  now: Date,
): SupportGrantView {
  return { ...row, live: row.revokedAt === null && row.expiresAt.getTime() > now.getTime() };
}

/** The shop's grants (latest 20), the live one, and what support did (latest 200 entries). */
export async function supportAccess(
  db: Executor,
  organizationId: string,
  now: Date,
): Promise<SupportAccessView> {
  const [grants, log] = await Promise.all([
    db
      .selectFrom("supportGrant")
      .select(["id", "grantedByName", "createdAt", "expiresAt", "revokedAt"])
      .where("organizationId", "=", organizationId)
      .orderBy("createdAt", "desc")
      .orderBy("id", "desc")
      .limit(20)
      .execute(),
    db
      .selectFrom("auditLog as a")
      .leftJoin("user as u", "u.id", "a.actorUserId")
      .select([
        "a.createdAt",
        "a.action",
        "u.name as actorName",
        sql<string | null>`a.data->>'path'`.as("path"),
      ])
      .where("a.organizationId", "=", organizationId)
      .where("a.action", "like", "support.%")
      .orderBy("a.createdAt", "desc")
      .orderBy("a.id", "desc")
      .limit(200)
      .execute(),
  ]);
  const views = grants.map((g) => toGrantView(g, now));
  return { live: views.find((g) => g.live) ?? null, grants: views, log };
}

/** Grants support access for `hours` (owners only, checked by the router); a live grant is replaced. */
export async function grantSupportAccess(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof grantSupportInput>,
  now: Date,
): Promise<SupportAccessView> {
  await inTransaction(db, async (trx) => {
    if (!(await lockOrganization(trx, actor.organizationId))) throw notFound("Organization not found");
    const owner = await trx
      .selectFrom("user")
      .select("name")
      .where("id", "=", actor.userId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("supportGrant")
      .set({ revokedAt: now, revokedByUserId: actor.userId })
      .where("organizationId", "=", actor.organizationId)
      .where("revokedAt", "is", null)
      .where("expiresAt", ">", now)
      .execute();
    const id = newId("sgr");
    const expiresAt = new Date(now.getTime() + input.hours * HOUR_MS);
    await trx
      .insertInto("supportGrant")
      .values({
        id,
        organizationId: actor.organizationId,
        grantedByUserId: actor.userId,
        grantedByName: owner.name,
        createdAt: now,
        expiresAt,
      })
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "support.granted",
      subjectType: "support_grant",
      subjectId: id,
      data: { hours: input.hours, expiresAt: expiresAt.toISOString() },
    });
  });
  return supportAccess(db, actor.organizationId, now);
}

/**
 * Revokes a live grant at once: the platform admin's next request answers NOT_FOUND. Another shop's grant
 * is NOT_FOUND; one already ended is a conflict.
 */
export async function revokeSupportAccess(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof supportGrantIdInput>,
  now: Date,
): Promise<SupportAccessView> {
  await inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable("supportGrant")
      .set({ revokedAt: now, revokedByUserId: actor.userId })
      .where("id", "=", input.grantId)
      .where("organizationId", "=", actor.organizationId)
      .where("revokedAt", "is", null)
      .where("expiresAt", ">", now)
      .returning("id")
      .executeTakeFirst();
    if (!row) {
      const exists = await trx
        .selectFrom("supportGrant")
        .select("id")
        .where("id", "=", input.grantId)
        .where("organizationId", "=", actor.organizationId)
        .executeTakeFirst();
      if (!exists) throw notFound("Support access not found");
      throw conflict("This support access has already ended");
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "support.revoked",
      subjectType: "support_grant",
      subjectId: row.id,
    });
  });
  return supportAccess(db, actor.organizationId, now);
}
