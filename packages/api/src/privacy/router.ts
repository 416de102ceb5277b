import { z } from "zod";
import { orgProcedure, platformAdminProcedure, publicProcedure, router, signedInProcedure } from "../trpc.ts";
import { listOpenRequests } from "./admin.ts";
import { cancelDeletion, deletionStatus, requestDeletion, requestDeletionInput } from "./deletion.ts";
import { getExportFile, listExports, requestExport } from "./export.ts";
import { disconnectGoogleAccount, disconnectGoogleInput, listGoogleAccounts } from "./google.ts";
import { listMessagingChoices, updateMessagingChoice, updateMessagingChoiceInput } from "./messaging.ts";
import {
  adminOpenRequestsOutput,
  adminPolicyVersionsOutput,
  adminPublishPolicyOutput,
  deletionCancelOutput,
  deletionRequestOutput,
  deletionStatusOutput,
  exportsDownloadOutput,
  exportsListOutput,
  exportsRequestOutput,
  googleAccountsOutput,
  googleDisconnectOutput,
  messagingListOutput,
  organizationCancellationOutput,
  organizationCancelOutput,
  organizationGetOutput,
  organizationSetAiOffOutput,
  organizationUndoCancelOutput,
  policiesAcceptOutput,
  policiesCurrentOutput,
  policiesGetOutput,
  policiesPendingOutput,
  settingsGetOutput,
  settingsUpdateOutput,
} from "./outputs.ts";
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
  /** Texts and notification channels with each shop that keeps the person as a customer (issue 13). */
  messaging: router({
    list: signedInProcedure
      .output(messagingListOutput)
      .query(({ ctx }) => listMessagingChoices(ctx.db, ctx.session.userId)),
    update: signedInProcedure
      .input(updateMessagingChoiceInput)
      .output(messagingListOutput)
      .mutation(({ ctx, input }) =>
        updateMessagingChoice(ctx.db, ctx.session.userId, input, ctx.clock.now()),
      ),
  }),
  settings: router({
    get: signedInProcedure
      .output(settingsGetOutput)
      .query(({ ctx }) => getPrivacySettings(ctx.db, ctx.session.userId)),
    update: signedInProcedure
      .input(updatePrivacySettingsInput)
      .output(settingsUpdateOutput)
      .mutation(({ ctx, input }) =>
        updatePrivacySettings(ctx.db, ctx.session.userId, input, ctx.clock.now()),
      ),
  }),

  organization: router({
    get: orgProcedure("member")
      .output(organizationGetOutput)
      .query(async ({ ctx }) => ({
        aiOff: await getOrganizationAiOff(ctx.db, ctx.org.id),
      })),
    setAiOff: orgProcedure("admin")
      .input(z.object({ aiOff: z.boolean() }))
      .output(organizationSetAiOffOutput)
      .mutation(({ ctx, input }) =>
        setOrganizationAiOff(
          ctx.db,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input.aiOff,
          ctx.clock.now(),
        ),
      ),
    /** Every member sees whether the shop is scheduled for deletion (and when). */
    cancellation: orgProcedure("member")
      .output(organizationCancellationOutput)
      .query(({ ctx }) => shopCancellationStatus(ctx.db, ctx.org.id)),
    /** Owners only: cancel the shop with a 30-day grace period, and undo it. */
    cancel: orgProcedure("owner")
      .input(cancelShopInput)
      .output(organizationCancelOutput)
      .mutation(({ ctx, input }) =>
        cancelShop(
          ctx.db,
          ctx.services.mail,
          ctx.clock,
          { organizationId: ctx.org.id, userId: ctx.session.userId },
          input,
        ),
      ),
    undoCancel: orgProcedure("owner")
      .output(organizationUndoCancelOutput)
      .mutation(({ ctx }) =>
        undoShopCancellation(ctx.db, ctx.clock, { organizationId: ctx.org.id, userId: ctx.session.userId }),
      ),
  }),

  /** The Google accounts the user connected in shops (issue 13): listed, and disconnected from here too. */
  google: router({
    accounts: signedInProcedure
      .output(googleAccountsOutput)
      .query(({ ctx }) => listGoogleAccounts(ctx.db, ctx.session.userId)),
    disconnect: signedInProcedure
      .input(disconnectGoogleInput)
      .output(googleDisconnectOutput)
      .mutation(({ ctx, input }) =>
        disconnectGoogleAccount(ctx.db, ctx.services.google, ctx.session.userId, input.organizationId),
      ),
  }),
  exports: router({
    list: signedInProcedure
      .output(exportsListOutput)
      .query(({ ctx }) => listExports(ctx.db, ctx.session.userId)),
    request: signedInProcedure
      .output(exportsRequestOutput)
      .mutation(({ ctx }) => requestExport(ctx.db, ctx.clock, ctx.session.userId)),
    /**
     * The export file, opened as a stream, for the download route (which sends it as an attachment
     * without reading it into memory). Only a server-side caller can use the stream.
     */
    download: signedInProcedure
      .input(z.object({ id: z.string().min(1).max(64) }))
      .output(exportsDownloadOutput)
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
    status: signedInProcedure
      .output(deletionStatusOutput)
      .query(({ ctx }) => deletionStatus(ctx.db, ctx.session.userId)),
    request: signedInProcedure
      .input(requestDeletionInput)
      .output(deletionRequestOutput)
      .mutation(({ ctx }) => requestDeletion(ctx.db, ctx.services.mail, ctx.clock, ctx.session.userId)),
    cancel: signedInProcedure
      .output(deletionCancelOutput)
      .mutation(({ ctx }) => cancelDeletion(ctx.db, ctx.clock, ctx.session.userId)),
  }),

  policies: router({
    current: publicProcedure
      .output(policiesCurrentOutput)
      .query(({ ctx }) => currentPolicies(ctx.db, ctx.clock.now())),
    get: publicProcedure
      .input(z.object({ kind: z.enum(POLICY_KINDS), version: z.number().int().positive().optional() }))
      .output(policiesGetOutput)
      .query(({ ctx, input }) => getPolicy(ctx.db, ctx.clock.now(), input.kind, input.version)),
    pending: signedInProcedure
      .output(policiesPendingOutput)
      .query(({ ctx }) => pendingPolicies(ctx.db, ctx.session.userId, ctx.clock.now())),
    accept: signedInProcedure
      .output(policiesAcceptOutput)
      .mutation(({ ctx }) => acceptPolicies(ctx.db, ctx.session.userId, ctx.clock.now(), "banner")),
  }),

  admin: router({
    openRequests: platformAdminProcedure
      .output(adminOpenRequestsOutput)
      .query(({ ctx }) => listOpenRequests(ctx.db, ctx.clock.now())),
    policyVersions: platformAdminProcedure
      .output(adminPolicyVersionsOutput)
      .query(({ ctx }) => listPolicyVersions(ctx.db)),
    publishPolicy: platformAdminProcedure
      .input(publishPolicyInput)
      .output(adminPublishPolicyOutput)
      .mutation(({ ctx, input }) => publishPolicy(ctx.db, ctx.clock, ctx.session.userId, input)),
  }),
});
