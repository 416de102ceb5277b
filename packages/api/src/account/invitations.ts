import { newId, type OrganizationRole, recordAudit } from "@ktizo/db";
import type { MailService } from "@ktizo/services";
import {
  conflict,
  type Executor,
  forbidden,
  inTransaction,
  isOrganizationRole,
  type MemberActor,
  notFound,
  preconditionFailed,
  type UserActor,
} from "../kernel/index.ts";
import { enforcePlanLimit } from "../shop/plans.ts";
import { lockOrganization } from "./common.ts";
import { requireManager } from "./members.ts";
import { setActiveOrganization } from "./organizations.ts";
import type { InviteMemberInput } from "./schemas.ts";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationStatus = "pending" | "accepted" | "rejected" | "canceled" | "expired";

export interface InvitationView {
  id: string;
  organizationId: string;
  organizationName: string;
  inviterName: string;
  email: string;
  role: OrganizationRole;
  /** "expired" also for a pending invitation whose 7 days have passed. */
  status: InvitationStatus;
  expiresAt: Date;
}

/** The web page an invitation email links to. */
export const invitationPath = (id: string) => `/invitations/${id}`;

/**
 * Invites an email address (as admin or member) for 7 days and emails the link. Re-inviting an address
 * with a pending invitation renews that invitation (same link); inviting a member is CONFLICT.
 * The email goes out after the commit: a mail failure leaves the invitation, which can be re-sent.
 */
export async function inviteMember(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: MemberActor,
  input: InviteMemberInput,
  now: Date,
): Promise<{ invitationId: string; expiresAt: Date; renewed: boolean }> {
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const result = await inTransaction(db, async (trx) => {
    if (!(await lockOrganization(trx, actor.organizationId))) throw notFound("Organization not found");
    await requireManager(trx, actor);
    const existingMember = await trx
      .selectFrom("member")
      .innerJoin("user", "user.id", "member.userId")
      .select("member.id")
      .where("member.organizationId", "=", actor.organizationId)
      .where((eb) => eb(eb.fn("lower", ["user.email"]), "=", input.email))
      .executeTakeFirst();
    if (existingMember) {
      const message = "This person is already a member";
      throw conflict(message, { email: message });
    }
    const pending = await trx
      .selectFrom("invitation")
      .select("id")
      .where("organizationId", "=", actor.organizationId)
      .where("email", "=", input.email)
      .where("status", "=", "pending")
      .orderBy("createdAt", "desc")
      .executeTakeFirst();
    // A new seat must fit the shop's plan (renewing a pending invitation takes none).
    if (!pending) await enforcePlanLimit(trx, actor.organizationId, "seat", now);
    let invitationId: string;
    if (pending) {
      invitationId = pending.id;
      await trx
        .updateTable("invitation")
        .set({ role: input.role, expiresAt, inviterId: actor.userId })
        .where("id", "=", invitationId)
        .execute();
    } else {
      invitationId = newId("inv");
      await trx
        .insertInto("invitation")
        .values({
          id: invitationId,
          organizationId: actor.organizationId,
          email: input.email,
          role: input.role,
          status: "pending",
          expiresAt,
          inviterId: actor.userId,
          createdAt: now,
        })
        .execute();
    }
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: pending ? "invitation.renewed" : "invitation.created",
      subjectType: "invitation",
      subjectId: invitationId,
      data: { email: input.email, role: input.role, expiresAt: expiresAt.toISOString() },
    });
    const context = await trx
      .selectFrom("organization")
      .select("name")
      .where("id", "=", actor.organizationId)
      .executeTakeFirstOrThrow();
    const inviter = await trx
      .selectFrom("user")
      .select("name")
      .where("id", "=", actor.userId)
      .executeTakeFirstOrThrow();
    const invitee = await trx
      .selectFrom("user")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email))
      .executeTakeFirst();
    return {
      invitationId,
      renewed: pending !== undefined,
      org: context.name,
      inviter: inviter.name,
      invitee,
    };
  });

  await mail.send({
    to: input.email,
    subject: `${result.inviter} invited you to ${result.org} on Ktizo`,
    text:
      `${result.inviter} invited you to join ${result.org} on Ktizo as ${input.role === "admin" ? "an admin" : "a member"}.\n\n` +
      `Accept or decline here:\n${invitationPath(result.invitationId)}\n\n` +
      `The invitation expires on ${expiresAt.toUTCString()}. Sign in (or create an account) with this email address to accept it. If you did not expect it, ignore this email.`,
    template: "organization-invitation",
    category: "service",
    userId: result.invitee?.id ?? null,
    organizationId: actor.organizationId,
  });
  return { invitationId: result.invitationId, expiresAt, renewed: result.renewed };
}

async function callerEmail(db: Executor, userId: string) {
  const user = await db
    .selectFrom("user")
    .select(["email", "emailVerified"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) throw notFound("Invitation not found");
  return { email: user.email.toLowerCase(), verified: user.emailVerified };
}

/** An invitation addressed to the caller's email, locked when inside a transaction that changes it. */
async function invitationForCaller(db: Executor, userId: string, invitationId: string, lock: boolean) {
  const { email, verified } = await callerEmail(db, userId);
  let query = db
    .selectFrom("invitation")
    .innerJoin("organization", "organization.id", "invitation.organizationId")
    .innerJoin("user as inviter", "inviter.id", "invitation.inviterId")
    .select([
      "invitation.id",
      "invitation.organizationId",
      "organization.name as organizationName",
      "inviter.name as inviterName",
      "invitation.email",
      "invitation.role",
      "invitation.status",
      "invitation.expiresAt",
    ])
    .where("invitation.id", "=", invitationId)
    .where("invitation.email", "=", email);
  if (lock) query = query.forUpdate("invitation");
  const row = await query.executeTakeFirst();
  // Invitations to another address are NOT_FOUND: the link alone does not reveal them.
  if (!row) throw notFound("Invitation not found");
  return { row, verified };
}

const INVITATION_STATUSES: readonly InvitationStatus[] = [
  "pending",
  "accepted",
  "rejected",
  "canceled",
  "expired",
];

function statusAt(status: string, expiresAt: Date, now: Date): InvitationStatus {
  if (status === "pending" && expiresAt.getTime() <= now.getTime()) return "expired";
  // A status this code never writes reads as canceled: shown, but not answerable.
  return INVITATION_STATUSES.find((s) => s === status) ?? "canceled";
}

type InvitationRow = Awaited<ReturnType<typeof invitationForCaller>>["row"];

function toView(row: InvitationRow, now: Date): InvitationView {
  return {
    ...row,
    role: row.role && isOrganizationRole(row.role) ? row.role : "member",
    status: statusAt(row.status, row.expiresAt, now),
  };
}

/** What the invitation page shows: organization, inviter, role and status. */
export async function getInvitation(
  db: Executor,
  userId: string,
  invitationId: string,
  now: Date,
): Promise<InvitationView> {
  const { row } = await invitationForCaller(db, userId, invitationId, false);
  return toView(row, now);
}

const STATUS_MESSAGES: Record<Exclude<InvitationStatus, "pending">, string> = {
  accepted: "This invitation was already accepted",
  rejected: "This invitation was declined",
  canceled: "This invitation was canceled; ask for a new one",
  expired: "This invitation has expired; ask for a new one",
};

/** Only a pending, unexpired invitation to the caller's verified address can be answered. */
async function answerable(trx: Executor, userId: string, invitationId: string, now: Date) {
  const { row, verified } = await invitationForCaller(trx, userId, invitationId, true);
  if (!verified) throw forbidden("Confirm your email address first, then open the invitation again");
  const status = statusAt(row.status, row.expiresAt, now);
  if (status !== "pending") throw preconditionFailed(STATUS_MESSAGES[status]);
  return toView(row, now);
}

/**
 * Joins the organization with the invitation's role, in one transaction with the invitation's status,
 * the session's active organization and the audit row.
 */
export async function acceptInvitation(
  db: Executor,
  actor: UserActor,
  invitationId: string,
  now: Date,
): Promise<{ organizationId: string; memberId: string; role: OrganizationRole }> {
  return inTransaction(db, async (trx) => {
    const invitation = await answerable(trx, actor.userId, invitationId, now);
    // No organization lock: joining cannot break an owner rule, and the unique (org, user) index
    // settles a double accept.
    const already = await trx
      .selectFrom("member")
      .select("id")
      .where("organizationId", "=", invitation.organizationId)
      .where("userId", "=", actor.userId)
      .executeTakeFirst();
    if (already) throw conflict(`You are already a member of ${invitation.organizationName}`);
    const memberId = newId("mem");
    await trx
      .insertInto("member")
      .values({
        id: memberId,
        organizationId: invitation.organizationId,
        userId: actor.userId,
        role: invitation.role,
        createdAt: now,
      })
      .execute();
    await trx.updateTable("invitation").set({ status: "accepted" }).where("id", "=", invitation.id).execute();
    await setActiveOrganization(trx, actor, invitation.organizationId);
    await recordAudit(trx, {
      organizationId: invitation.organizationId,
      actorUserId: actor.userId,
      action: "invitation.accepted",
      subjectType: "invitation",
      subjectId: invitation.id,
      data: { memberId, userId: actor.userId, role: invitation.role },
    });
    return { organizationId: invitation.organizationId, memberId, role: invitation.role };
  });
}

export async function declineInvitation(
  db: Executor,
  actor: UserActor,
  invitationId: string,
  now: Date,
): Promise<{ declined: true }> {
  return inTransaction(db, async (trx) => {
    const invitation = await answerable(trx, actor.userId, invitationId, now);
    await trx.updateTable("invitation").set({ status: "rejected" }).where("id", "=", invitation.id).execute();
    await recordAudit(trx, {
      organizationId: invitation.organizationId,
      actorUserId: actor.userId,
      action: "invitation.declined",
      subjectType: "invitation",
      subjectId: invitation.id,
      data: { email: invitation.email },
    });
    return { declined: true };
  });
}

/** Admins withdraw a pending invitation of their organization; other organizations' ids are NOT_FOUND. */
export async function cancelInvitation(
  db: Executor,
  actor: MemberActor,
  invitationId: string,
): Promise<{ canceled: true }> {
  return inTransaction(db, async (trx) => {
    if (!(await lockOrganization(trx, actor.organizationId))) throw notFound("Organization not found");
    await requireManager(trx, actor);
    const invitation = await trx
      .selectFrom("invitation")
      .select(["id", "email", "status"])
      .where("id", "=", invitationId)
      .where("organizationId", "=", actor.organizationId)
      .executeTakeFirst();
    if (!invitation) throw notFound("Invitation not found");
    if (invitation.status !== "pending") {
      throw preconditionFailed("Only a pending invitation can be canceled");
    }
    await trx.updateTable("invitation").set({ status: "canceled" }).where("id", "=", invitation.id).execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "invitation.canceled",
      subjectType: "invitation",
      subjectId: invitation.id,
      data: { email: invitation.email },
    });
    return { canceled: true };
  });
}
