import { knowRead, memberRoleRead, readOnce } from "../kernel/index.ts";
import { tracked } from "../privacy/analytics.ts";
import { orgProcedure, router, signedInProcedure } from "../trpc.ts";
import {
  acceptInvitation,
  cancelInvitation,
  declineInvitation,
  getInvitation,
  inviteMember,
} from "./invitations.ts";
import { changeMemberRole, listMembers, removeMember } from "./members.ts";
import {
  createOrganization,
  getOrganization,
  leaveOrganization,
  organizationRead,
  switchOrganization,
} from "./organizations.ts";
import {
  invitationsAcceptOutput,
  invitationsCancelOutput,
  invitationsDeclineOutput,
  invitationsGetOutput,
  membersChangeRoleOutput,
  membersInviteOutput,
  membersListOutput,
  membersRemoveOutput,
  meOutput,
  organizationGetOutput,
  organizationsCreateOutput,
  organizationsLeaveOutput,
  organizationsListOutput,
  organizationsSwitchOutput,
  sessionsListOutput,
  sessionsRevokeOthersOutput,
  sessionsRevokeOutput,
  supportGetOutput,
  supportGrantOutput,
  supportRevokeOutput,
  updateProfileOutput,
} from "./outputs.ts";
import { listMemberships, readAccount, updateProfile } from "./profile.ts";
import {
  changeMemberRoleInput,
  createOrganizationInput,
  invitationIdInput,
  inviteMemberInput,
  memberIdInput,
  organizationIdInput,
  sessionIdInput,
  updateProfileInput,
} from "./schemas.ts";
import { listSessions, revokeOtherSessions, revokeSession } from "./sessions.ts";
import {
  grantSupportAccess,
  grantSupportInput,
  revokeSupportAccess,
  supportAccess,
  supportGrantIdInput,
} from "./support.ts";

/**
 * The signed-in user's account, their organizations, and the active organization's members.
 * Thin procedures: tier, input schema, one domain function.
 */
export const accountRouter = router({
  me: signedInProcedure.output(meOutput).query(async ({ ctx }) => {
    const { userId, activeOrganizationId } = ctx.session;
    const { me, activeOrganization } = await readAccount(ctx.db, userId, activeOrganizationId);
    // The page view's workspace procedures need not read the role (orgProcedure) or the active
    // organization (organization.get) again.
    for (const { organizationId, role } of me.memberships) {
      knowRead(ctx, memberRoleRead(organizationId, userId), { role });
    }
    if (activeOrganization) {
      const { id, role } = activeOrganization;
      knowRead(ctx, organizationRead(id, userId, role), activeOrganization);
    }
    return me;
  }),
  updateProfile: signedInProcedure
    .input(updateProfileInput)
    .output(updateProfileOutput)
    .mutation(({ ctx, input }) => updateProfile(ctx.db, ctx.session.userId, input, ctx.clock.now())),

  sessions: router({
    list: signedInProcedure
      .output(sessionsListOutput)
      .query(({ ctx }) => listSessions(ctx.db, ctx.session, ctx.clock.now())),
    revoke: signedInProcedure
      .input(sessionIdInput)
      .output(sessionsRevokeOutput)
      .mutation(({ ctx, input }) => revokeSession(ctx.db, ctx.session, input.sessionId)),
    revokeOthers: signedInProcedure
      .output(sessionsRevokeOthersOutput)
      .mutation(({ ctx }) => revokeOtherSessions(ctx.db, ctx.session)),
  }),

  organizations: router({
    list: signedInProcedure
      .output(organizationsListOutput)
      .query(({ ctx }) => listMemberships(ctx.db, ctx.session.userId)),
    create: signedInProcedure
      .input(createOrganizationInput)
      .output(organizationsCreateOutput)
      .mutation(async ({ ctx, input }) =>
        tracked(ctx, "shop_created", await createOrganization(ctx.db, ctx.session, input)),
      ),
    switch: signedInProcedure
      .input(organizationIdInput)
      .output(organizationsSwitchOutput)
      .mutation(({ ctx, input }) => switchOrganization(ctx.db, ctx.session, input.organizationId)),
    leave: orgProcedure("member")
      .output(organizationsLeaveOutput)
      .mutation(({ ctx }) =>
        leaveOrganization(ctx.db, { organizationId: ctx.org.id, userId: ctx.session.userId }),
      ),
  }),

  organization: router({
    get: orgProcedure("member")
      .output(organizationGetOutput)
      .query(({ ctx }) => {
        const actor = { organizationId: ctx.org.id, userId: ctx.session.userId, role: ctx.org.role };
        return readOnce(ctx, organizationRead(actor.organizationId, actor.userId, actor.role), () =>
          getOrganization(ctx.db, actor),
        );
      }),
  }),

  /**
   * Support access (issue 16, req. 8): owners grant platform support read-only access for a while and
   * revoke it; every member sees the grants and what support viewed.
   */
  support: router({
    get: orgProcedure("member")
      .output(supportGetOutput)
      .query(({ ctx }) => supportAccess(ctx.db, ctx.org.id, ctx.clock.now())),
    grant: orgProcedure("owner")
      .input(grantSupportInput)
      .output(supportGrantOutput)
      .mutation(({ ctx, input }) =>
        grantSupportAccess(
          ctx.db,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
          ctx.clock.now(),
        ),
      ),
    revoke: orgProcedure("owner")
      .input(supportGrantIdInput)
      .output(supportRevokeOutput)
      .mutation(({ ctx, input }) =>
        revokeSupportAccess(
          ctx.db,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
          ctx.clock.now(),
        ),
      ),
  }),

  members: router({
    list: orgProcedure("member")
      .output(membersListOutput)
      .query(({ ctx }) =>
        listMembers(
          ctx.db,
          { organizationId: ctx.org.id, userId: ctx.session.userId, role: ctx.org.role },
          ctx.clock.now(),
        ),
      ),
    invite: orgProcedure("admin")
      .input(inviteMemberInput)
      .output(membersInviteOutput)
      .mutation(({ ctx, input }) =>
        inviteMember(
          ctx.db,
          ctx.services.mail,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
          ctx.clock.now(),
        ),
      ),
    changeRole: orgProcedure("admin")
      .input(changeMemberRoleInput)
      .output(membersChangeRoleOutput)
      .mutation(({ ctx, input }) =>
        changeMemberRole(ctx.db, { organizationId: ctx.org.id, userId: ctx.session.userId }, input),
      ),
    remove: orgProcedure("admin")
      .input(memberIdInput)
      .output(membersRemoveOutput)
      .mutation(({ ctx, input }) =>
        removeMember(ctx.db, { organizationId: ctx.org.id, userId: ctx.session.userId }, input.memberId),
      ),
  }),

  invitations: router({
    get: signedInProcedure
      .input(invitationIdInput)
      .output(invitationsGetOutput)
      .query(({ ctx, input }) =>
        getInvitation(ctx.db, ctx.session.userId, input.invitationId, ctx.clock.now()),
      ),
    accept: signedInProcedure
      .input(invitationIdInput)
      .output(invitationsAcceptOutput)
      .mutation(({ ctx, input }) =>
        acceptInvitation(ctx.db, ctx.session, input.invitationId, ctx.clock.now()),
      ),
    decline: signedInProcedure
      .input(invitationIdInput)
      .output(invitationsDeclineOutput)
      .mutation(({ ctx, input }) =>
        declineInvitation(ctx.db, ctx.session, input.invitationId, ctx.clock.now()),
      ),
    cancel: orgProcedure("admin")
      .input(invitationIdInput)
      .output(invitationsCancelOutput)
      .mutation(({ ctx, input }) =>
        cancelInvitation(
          ctx.db,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input.invitationId,
        ),
      ),
  }),
});
