import { recordAudit } from "@ktizo/db";
import { sql } from "kysely";
import {
  badRequest,
  type Executor,
  inTransaction,
  likePattern,
  notFound,
  type Page,
  pageRows,
  toPage,
} from "../kernel/index.ts";
import type { ListUsersInput, SetUserDisabledInput } from "./schemas.ts";

export interface AdminUserView {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  banned: boolean;
  role: string | null;
  createdAt: Date;
  organizationCount: number;
}

/** Users, newest first, searched by name or email (the search text is matched literally). */
export async function listUsers(db: Executor, input: ListUsersInput): Promise<Page<AdminUserView>> {
  let base = db.selectFrom("user");
  if (input.search) {
    const pattern = likePattern(input.search);
    base = base.where((eb) => eb.or([eb("user.name", "ilike", pattern), eb("user.email", "ilike", pattern)]));
  }
  const [rows, total] = await pageRows(
    base
      .select([
        "user.id",
        "user.name",
        "user.email",
        "user.emailVerified",
        "user.banned",
        "user.role",
        "user.createdAt",
        sql<number>`(select count(*)::int from member m where m.user_id = "user".id)`.as("organizationCount"),
      ])
      .orderBy("user.createdAt", "desc")
      .orderBy("user.id", "desc"),
    base.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(
    rows.map((r) => ({ ...r, banned: r.banned === true, organizationCount: Number(r.organizationCount) })),
    total,
    input,
  );
}

/**
 * Disables a user (better-auth refuses banned users at sign-in) and ends their sessions in the same
 * transaction, or enables them again. Admins cannot disable themselves (no locking out the last admin
 * by accident). Audit row either way.
 */
export async function setUserDisabled(
  db: Executor,
  adminUserId: string,
  input: SetUserDisabledInput,
  now: Date,
): Promise<{ userId: string; disabled: boolean; sessionsEnded: number }> {
  if (input.disabled && input.userId === adminUserId) {
    throw badRequest("You cannot disable your own account", {
      userId: "You cannot disable your own account",
    });
  }
  return inTransaction(db, async (trx) => {
    const user = await trx
      .selectFrom("user")
      .select(["id", "banned"])
      .where("id", "=", input.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw notFound("User not found");
    await trx
      .updateTable("user")
      .set({
        banned: input.disabled,
        banReason: input.disabled ? input.reason : null,
        banExpires: null,
        updatedAt: now,
      })
      .where("id", "=", user.id)
      .execute();
    let sessionsEnded = 0;
    if (input.disabled) {
      const deleted = await trx.deleteFrom("session").where("userId", "=", user.id).executeTakeFirst();
      sessionsEnded = Number(deleted.numDeletedRows);
    }
    await recordAudit(trx, {
      actorUserId: adminUserId,
      action: input.disabled ? "user.disabled" : "user.enabled",
      subjectType: "user",
      subjectId: user.id,
      data: {
        wasDisabled: user.banned === true,
        ...(input.disabled ? { reason: input.reason, sessionsEnded } : {}),
      },
    });
    return { userId: user.id, disabled: input.disabled, sessionsEnded };
  });
}
