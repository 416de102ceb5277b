import { z } from "zod";
import { orgProcedure, platformAdminProcedure, router, signedInProcedure } from "../trpc.ts";
import { listOpenRequests } from "./admin.ts";
import { cancelDeletion, deletionStatus, requestDeletion, requestDeletionInput } from "./deletion.ts";
import { listExports, requestExport } from "./export.ts";
import {
  getOrganizationAiOff,
  getPrivacySettings,
  setOrganizationAiOff,
  updatePrivacySettings,
  updatePrivacySettingsInput,
} from "./settings.ts";

/** The privacy center, the organization AI switch and the admin view of privacy requests. */
export const privacyRouter = router({
  settings: router({
    get: signedInProcedure.query(({ ctx }) => getPrivacySettings(ctx.db, ctx.session.userId)),
    update: signedInProcedure
      .input(updatePrivacySettingsInput)
      .mutation(({ ctx, input }) =>
        updatePrivacySettings(ctx.db, ctx.session.userId, input, ctx.clock.now()),
      ),
  }),

  organization: router({
    get: orgProcedure("member").query(async ({ ctx }) => ({
      aiOff: await getOrganizationAiOff(ctx.db, ctx.org.id),
    })),
    setAiOff: orgProcedure("admin")
      .input(z.object({ aiOff: z.boolean() }))
      .mutation(({ ctx, input }) =>
        setOrganizationAiOff(
          ctx.db,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input.aiOff,
          ctx.clock.now(),
        ),
      ),
  }),

  exports: router({
    list: signedInProcedure.query(({ ctx }) => listExports(ctx.db, ctx.session.userId)),
    request: signedInProcedure.mutation(({ ctx }) => requestExport(ctx.db, ctx.clock, ctx.session.userId)),
  }),

  deletion: router({
    status: signedInProcedure.query(({ ctx }) => deletionStatus(ctx.db, ctx.session.userId)),
    request: signedInProcedure
      .input(requestDeletionInput)
      .mutation(({ ctx }) => requestDeletion(ctx.db, ctx.services.mail, ctx.clock, ctx.session.userId)),
    cancel: signedInProcedure.mutation(({ ctx }) => cancelDeletion(ctx.db, ctx.clock, ctx.session.userId)),
  }),

  admin: router({
    openRequests: platformAdminProcedure.query(({ ctx }) => listOpenRequests(ctx.db, ctx.clock.now())),
  }),
});
