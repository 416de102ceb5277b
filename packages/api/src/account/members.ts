import { type OrganizationRole, recordAudit } from "@ktizo/db";
import {
  type Executor,
  forbidden,
  inTransaction,
  isOrganizationRole,
  type MemberActor,
  notFound,
  preconditionFailed,
  ROLE_RANK,
} from "../kernel/index.ts";
import { clearActiveOrganization, countOwners, lockOrganization } from "./common.ts";
import type { ChangeMemberRoleInput } from "./schemas.ts";

export interface MemberView {
  memberId: string;
  userId: string;
  name: string;
  email: string;
  role: OrganizationRole;
  joinedAt: Date;
}

export interface PendingInvitationView {
  id: string;
  email: string;
  role: OrganizationRole;
  /** True when the 7 days have passed: re-inviting the address refreshes it. */
  expired: boolean;
  expiresAt: Date;
  invitedBy: string;
  createdAt: Date;
}

export interface MembersView {
  members: MemberView[];
  /** Pending invitations, for admins and owners; null for members (they see the member list only). */
  invitations: PendingInvitationView[] | null;
}

/** Members of the caller's organization (owners first) and, for admins, the pending invitations. */
export async function listMembers(
  db: Executor,
  actor: MemberActor & { role: OrganizationRole },
  now: Date,
): Promise<MembersView> {
  const rows = await db
    .selectFrom("member")
    .innerJoin("user", "user.id", "member.userId")
    .select([
      "member.id as memberId",
      "member.userId",
      "user.name",
      "user.email",
      "member.role",
      "member.createdAt as joinedAt",
    ])
    .where("member.organizationId", "=", actor.organizationId)
    .orderBy("member.createdAt")
    .orderBy("member.id")
    .execute();
  const members = rows
    .map((r) => ({ ...r, role: r.role as OrganizationRole }))
    .sort((a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role]);
  if (ROLE_RANK[actor.role] < ROLE_RANK.admin) return { members, invitations: null };
  const invitations = await db
    .selectFrom("invitation")
    .innerJoin("user", "user.id", "invitation.inviterId")
    .select([
      "invitation.id",
      "invitation.email",
      "invitation.role",
      "invitation.expiresAt",
      "invitation.createdAt",
      "user.name as invitedBy",
    ])
    .where("invitation.organizationId", "=", actor.organizationId)
    .where("invitation.status", "=", "pending")
    .orderBy("invitation.createdAt", "desc")
    .orderBy("invitation.id")
    .execute();
  return {
    members,
    invitations: invitations.map((i) => ({
      ...i,
      role: i.role && isOrganizationRole(i.role) ? i.role : "member",
      expired: i.expiresAt.getTime() <= now.getTime(),
    })),
  };
}

/**
 * The actor's role, read again under the organization lock (it may have changed since the request
 * began); members are FORBIDDEN. Domain functions check it themselves so they are safe to call directly.
 */
export async function requireManager(trx: Executor, actor: MemberActor): Promise<OrganizationRole> {
  const row = await trx
    .selectFrom("member")
    .select("role")
    .where("organizationId", "=", actor.organizationId)
    .where("userId", "=", actor.userId)
    .executeTakeFirst();
  if (!row || !isOrganizationRole(row.role)) throw notFound("Organization not found");
  if (ROLE_RANK[row.role] < ROLE_RANK.admin) throw forbidden("This needs the admin role");
  return row.role;
}

async function targetMember(trx: Executor, organizationId: string, memberId: string) {
  const row = await trx
    .selectFrom("member")
    .select(["id", "userId", "role"])
    .where("id", "=", memberId)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  if (!row || !isOrganizationRole(row.role)) throw notFound("Member not found");
  return { ...row, role: row.role };
}

/**
 * Admins set member or admin; only owners grant or take away ownership; the last owner stays an owner.
 * The audit row records from and to.
 */
export async function changeMemberRole(
  db: Executor,
  actor: MemberActor,
  input: ChangeMemberRoleInput,
): Promise<{ memberId: string; role: OrganizationRole; changed: boolean }> {
  return inTransaction(db, async (trx) => {
    if (!(await lockOrganization(trx, actor.organizationId))) throw notFound("Organization not found");
    const role = await requireManager(trx, actor);
    const target = await targetMember(trx, actor.organizationId, input.memberId);
    if (target.role === input.role) return { memberId: target.id, role: target.role, changed: false };
    if ((target.role === "owner" || input.role === "owner") && role !== "owner") {
      throw forbidden("Only an owner can grant or remove the owner role");
    }
    if (target.role === "owner" && (await countOwners(trx, actor.organizationId)) <= 1) {
      throw preconditionFailed("The organization needs an owner: make another member an owner first");
    }
    await trx.updateTable("member").set({ role: input.role }).where("id", "=", target.id).execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "member.role_changed",
      subjectType: "member",
      subjectId: target.id,
      data: { userId: target.userId, from: target.role, to: input.role },
    });
    return { memberId: target.id, role: input.role, changed: true };
  });
}

/** Removes a member. Admins cannot remove owners; nobody removes the last owner. */
export async function removeMember(
  db: Executor,
  actor: MemberActor,
  memberId: string,
): Promise<{ removed: true }> {
  return inTransaction(db, async (trx) => {
    if (!(await lockOrganization(trx, actor.organizationId))) throw notFound("Organization not found");
    const role = await requireManager(trx, actor);
    const target = await targetMember(trx, actor.organizationId, memberId);
    if (target.role === "owner") {
      if (role !== "owner") throw forbidden("Only an owner can remove an owner");
      if ((await countOwners(trx, actor.organizationId)) <= 1) {
        throw preconditionFailed("The organization needs an owner: make another member an owner first");
      }
    }
    await trx.deleteFrom("member").where("id", "=", target.id).execute();
    await clearActiveOrganization(trx, target.userId, actor.organizationId);
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "member.removed",
      subjectType: "member",
      subjectId: target.id,
      data: { userId: target.userId, role: target.role },
    });
    return { removed: true };
  });
}
