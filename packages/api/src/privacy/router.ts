import { z } from "zod";
import { orgProcedure, platformAdminProcedure, publicProcedure, router, signedInProcedure } from "../trpc.ts";
import { listOpenRequests } from "./admin.ts";
import { cancelDeletion, deletionStatus, requestDeletion, requestDeletionInput } from "./deletion.ts";
import { getExportFile, listExports, requestExport } from "./export.ts";
import {
  acceptPolicies,
  currentPolicies,
  getPolicy,
  listPolicyVersions,
  POLICY_KINDS,
  pendingPolicies,
  publishPolicy,
  publishPolicyInput,
} from "./policies.ts";
import {
  getOrganizationAiOff,
  getPrivacySettings,
  setOrganizationAiOff,
  updatePrivacySettings,
  updatePrivacySettingsInput,
} from "./settings.ts";
import {
  cancelShop,
  cancelShopInput,
  shopCancellationStatus,
  undoShopCancellation,
} from "./shop-cancellation.ts";

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
    /** Every member sees whether the shop is scheduled for deletion (and when). */
    cancellation: orgProcedure("member").query(({ ctx }) => shopCancellationStatus(ctx.db, ctx.org.id)),
    /** Owners only: cancel the shop with a 30-day grace period, and undo it. */
    cancel: orgProcedure("owner")
      .input(cancelShopInput)
      .mutation(({ ctx, input }) =>
        cancelShop(
          ctx.db,
          ctx.services.mail,
          ctx.clock,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
        ),
      ),
    undoCancel: orgProcedure("owner").mutation(({ ctx }) =>
      undoShopCancellation(ctx.db, ctx.clock, { organizationId: ctx.org.id, userId: ctx.session.userId }),
    ),
  }),

  exports: router({
    list: signedInProcedure.query(({ ctx }) => listExports(ctx.db, ctx.session.userId)),
    request: signedInProcedure.mutation(({ ctx }) => requestExport(ctx.db, ctx.clock, ctx.session.userId)),
    /**
     * The export file, opened as a stream, for the download route (which sends it as an attachment
     * without reading it into memory). Only a server-side caller can use the stream.
     */
    download: signedInProcedure
      .input(z.object({ id: z.string().min(1).max(64) }))
      .query(async ({ ctx, input }) => {
        const file = await getExportFile(
          ctx.db,
          ctx.services.storage,
          ctx.clock,
          ctx.session.userId,
          input.id,
        );
        return { fileName: file.fileName, contentType: file.contentType, size: file.size, body: file.body };
      }),
  }),

  deletion: router({
    status: signedInProcedure.query(({ ctx }) => deletionStatus(ctx.db, ctx.session.userId)),
    request: signedInProcedure
      .input(requestDeletionInput)
      .mutation(({ ctx }) => requestDeletion(ctx.db, ctx.services.mail, ctx.clock, ctx.session.userId)),
    cancel: signedInProcedure.mutation(({ ctx }) => cancelDeletion(ctx.db, ctx.clock, ctx.session.userId)),
  }),

  policies: router({
    current: publicProcedure.query(({ ctx }) => currentPolicies(ctx.db, ctx.clock.now())),
    get: publicProcedure
      .input(z.object({ kind: z.enum(POLICY_KINDS), version: z.number().int().positive().optional() }))
      .query(({ ctx, input }) => getPolicy(ctx.db, ctx.clock.now(), input.kind, input.version)),
    pending: signedInProcedure.query(({ ctx }) =>
      pendingPolicies(ctx.db, ctx.session.userId, ctx.clock.now()),
    ),
    accept: signedInProcedure.mutation(({ ctx }) =>
      acceptPolicies(ctx.db, ctx.session.userId, ctx.clock.now(), "banner"),
    ),
  }),

  admin: router({
    openRequests: platformAdminProcedure.query(({ ctx }) => listOpenRequests(ctx.db, ctx.clock.now())),
    policyVersions: platformAdminProcedure.query(({ ctx }) => listPolicyVersions(ctx.db)),
    publishPolicy: platformAdminProcedure
      .input(publishPolicyInput)
      .mutation(({ ctx, input }) => publishPolicy(ctx.db, ctx.clock, ctx.session.userId, input)),
  }),
});
