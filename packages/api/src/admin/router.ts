import { platformAdminProcedure, router } from "../trpc.ts";
import { notifying } from "../workflows/customer-notifier.ts";
import { applyStripeEvent } from "../workflows/payment-events.ts";
import { applyTwilioEvent, simulateInboundInput, simulateInboundSms } from "../workflows/sms-inbound.ts";
import { exportAudit, searchAudit } from "./audit.ts";
import { planRevenue, platformDashboard } from "./dashboard.ts";
import { listWebhookEvents, replayWebhookEvent } from "./events.ts";
import { actOnJob, listJobs, listQueues } from "./jobs.ts";
import { getOrder } from "./order-history.ts";
import { listOrders } from "./order-list.ts";
import { refundOrder } from "./order-refunds.ts";
import { listOrganizations } from "./organizations.ts";
import { getOutboxMessage, listOutbox } from "./outbox.ts";
import {
  auditExportOutput,
  auditSearchOutput,
  dashboardGetOutput,
  dashboardPlansOutput,
  jobsActOutput,
  jobsListOutput,
  jobsQueuesOutput,
  ordersGetOutput,
  ordersListOutput,
  ordersRefundOutput,
  organizationsListOutput,
  outboxGetOutput,
  outboxListOutput,
  paymentMismatchesListOutput,
  sessionReauthOutput,
  shopsCancelOutput,
  shopsGetOutput,
  shopsListOutput,
  shopsModerateOutput,
  shopsVerifyOutput,
  smsSendersOutput,
  smsSimulateOutput,
  supportCurrentOutput,
  supportLeaveOutput,
  supportOpenOutput,
  supportRecordViewOutput,
  supportStatusOutput,
  usersListOutput,
  usersSetDisabledOutput,
  webhooksListOutput,
  webhooksReplayOutput,
} from "./outputs.ts";
import { listPaymentMismatches } from "./payments.ts";
import { reauthRequired, requireRecentSignIn } from "./reauth.ts";
import {
  auditExportInput,
  cancelShopInput,
  dashboardInput,
  jobActionInput,
  listJobsInput,
  listOrdersInput,
  listOrganizationsInput,
  listOutboxInput,
  listPaymentMismatchesInput,
  listShopsInput,
  listUsersInput,
  listWebhookEventsInput,
  moderateShopInput,
  orderIdInput,
  outboxIdInput,
  refundOrderInput,
  searchAuditInput,
  setUserDisabledInput,
  shopIdInput,
  verifyShopInput,
  webhookEventIdInput,
} from "./schemas.ts";
import { cancelShopForPlatform, getShop, listShops, moderateShop, verifyShop } from "./shops.ts";
import { listSmsSenders } from "./sms.ts";
import {
  currentSupportView,
  leaveSupportView,
  openSupportView,
  openSupportViewInput,
  recordSupportPageView,
  supportGrantStatus,
  supportPageInput,
} from "./support.ts";
import { listUsers, setUserDisabled } from "./users.ts";

/** The admin console's data. Platform admins only; everyone else is told these do not exist. */
export const adminRouter = router({
  /** The platform at a glance: SQL aggregates per day or week (issue 16, req. 1). */
  dashboard: router({
    get: platformAdminProcedure
      .input(dashboardInput)
      .output(dashboardGetOutput)
      .query(({ ctx, input }) => platformDashboard(ctx.db, input, ctx.clock.now())),
    /** Shops on paid plans and the monthly recurring revenue (issue 16, req. 9). */
    plans: platformAdminProcedure.output(dashboardPlansOutput).query(({ ctx }) => planRevenue(ctx.db)),
  }),
  /** Orders and money across the platform (issue 16, req. 3). */
  orders: router({
    list: platformAdminProcedure
      .input(listOrdersInput)
      .output(ordersListOutput)
      .query(({ ctx, input }) => listOrders(ctx.db, input)),
    get: platformAdminProcedure
      .input(orderIdInput)
      .output(ordersGetOutput)
      .query(({ ctx, input }) => getOrder(ctx.db, input.orderId)),
    refund: platformAdminProcedure
      .input(refundOrderInput)
      .output(ordersRefundOutput)
      .mutation(async ({ ctx, input }) => {
        await requireRecentSignIn(ctx.db, ctx.session, input.password, ctx.clock.now());
        return refundOrder(ctx.db, input, {
          services: notifying(ctx.services),
          actorUserId: ctx.session.userId,
          now: ctx.clock.now(),
        });
      }),
  }),
  /** Every webhook received, and the replay of a failed one (issue 16, req. 4). */
  /** While texts go to the outbox: a customer's reply, through the same path as Twilio's webhook. */
  sms: router({
    senders: platformAdminProcedure.output(smsSendersOutput).query(({ ctx }) => listSmsSenders(ctx.db)),
    simulateInbound: platformAdminProcedure
      .input(simulateInboundInput)
      .output(smsSimulateOutput)
      .mutation(({ ctx, input }) =>
        simulateInboundSms(
          ctx.db,
          ctx.services,
          { userId: ctx.session.userId },
          input,
          ctx.baseUrl,
          ctx.clock.now(),
        ),
      ),
  }),
  webhooks: router({
    list: platformAdminProcedure
      .input(listWebhookEventsInput)
      .output(webhooksListOutput)
      .query(({ ctx, input }) => listWebhookEvents(ctx.db, input)),
    replay: platformAdminProcedure
      .input(webhookEventIdInput)
      .output(webhooksReplayOutput)
      .mutation(({ ctx, input }) =>
        replayWebhookEvent(
          ctx.db,
          async (event, provider) =>
            provider === "twilio"
              ? (
                  await applyTwilioEvent(
                    ctx.db,
                    ctx.services,
                    event as unknown as Record<string, string>,
                    ctx.baseUrl,
                    ctx.clock.now(),
                  )
                ).outcome
              : applyStripeEvent(ctx.db, ctx.services, event, ctx.clock.now()),
          input.id,
          ctx.session.userId,
          ctx.clock.now(),
        ),
      ),
  }),
  /** Background work: pg-boss queues, failed jobs, retry or cancel, schedules (issue 16, req. 5). */
  jobs: router({
    queues: platformAdminProcedure.output(jobsQueuesOutput).query(({ ctx }) => listQueues(ctx.db)),
    list: platformAdminProcedure
      .input(listJobsInput)
      .output(jobsListOutput)
      .query(({ ctx, input }) => listJobs(ctx.db, input)),
    act: platformAdminProcedure
      .input(jobActionInput)
      .output(jobsActOutput)
      .mutation(async ({ ctx, input }) => {
        if (input.action === "cancel") {
          await requireRecentSignIn(ctx.db, ctx.session, input.password, ctx.clock.now());
        }
        return actOnJob(ctx.db, input, ctx.session.userId);
      }),
  }),
  /** The platform's audit log: search and CSV export (issue 16, req. 6). */
  audit: router({
    search: platformAdminProcedure
      .input(searchAuditInput)
      .output(auditSearchOutput)
      .query(({ ctx, input }) => searchAudit(ctx.db, input)),
    export: platformAdminProcedure
      .input(auditExportInput)
      .output(auditExportOutput)
      .query(({ ctx, input }) => exportAudit(ctx.db, input)),
  }),
  /** Shops: search, a shop's page, moderation and the verified mark (issue 16, req. 2). */
  shops: router({
    list: platformAdminProcedure
      .input(listShopsInput)
      .output(shopsListOutput)
      .query(({ ctx, input }) => listShops(ctx.db, input)),
    get: platformAdminProcedure
      .input(shopIdInput)
      .output(shopsGetOutput)
      .query(({ ctx, input }) => getShop(ctx.db, input.organizationId)),
    moderate: platformAdminProcedure
      .input(moderateShopInput)
      .output(shopsModerateOutput)
      .mutation(async ({ ctx, input }) => {
        if (input.action === "unlist") {
          await requireRecentSignIn(ctx.db, ctx.session, input.password, ctx.clock.now());
        }
        return moderateShop(ctx.db, ctx.services, input, ctx.session.userId, ctx.clock.now());
      }),
    /** Cancels the shop for the platform (a destructive action: recent sign-in or the password again). */
    cancel: platformAdminProcedure
      .input(cancelShopInput)
      .output(shopsCancelOutput)
      .mutation(async ({ ctx, input }) => {
        await requireRecentSignIn(ctx.db, ctx.session, input.password, ctx.clock.now());
        return cancelShopForPlatform(ctx.db, ctx.services, ctx.clock, input, ctx.session.userId);
      }),
    verify: platformAdminProcedure
      .input(verifyShopInput)
      .output(shopsVerifyOutput)
      .mutation(({ ctx, input }) => verifyShop(ctx.db, input, ctx.session.userId, ctx.clock.now())),
  }),
  /**
   * Support view (issue 16, req. 8): a shop's workspace read-only under its owner's grant. `current`,
   * `recordView` and `leave` are called by the web app's workspace pages for the admin's session.
   */
  support: router({
    status: platformAdminProcedure
      .input(shopIdInput)
      .output(supportStatusOutput)
      .query(({ ctx, input }) => supportGrantStatus(ctx.db, input.organizationId, ctx.clock.now())),
    open: platformAdminProcedure
      .input(openSupportViewInput)
      .output(supportOpenOutput)
      .mutation(({ ctx, input }) => openSupportView(ctx.db, ctx.session, input, ctx.clock.now())),
    current: platformAdminProcedure
      .output(supportCurrentOutput)
      .query(({ ctx }) => currentSupportView(ctx.db, ctx.session.sessionId, ctx.clock.now())),
    recordView: platformAdminProcedure
      .input(supportPageInput)
      .output(supportRecordViewOutput)
      .mutation(({ ctx, input }) => recordSupportPageView(ctx.db, ctx.session, input, ctx.clock.now())),
    leave: platformAdminProcedure
      .output(supportLeaveOutput)
      .mutation(({ ctx }) => leaveSupportView(ctx.db, ctx.session)),
  }),
  /** Whether a destructive action will ask for the password again (issue 16, req. 7). */
  session: router({
    reauth: platformAdminProcedure.output(sessionReauthOutput).query(async ({ ctx }) => ({
      required: await reauthRequired(ctx.db, ctx.session.sessionId, ctx.clock.now()),
    })),
  }),
  users: router({
    list: platformAdminProcedure
      .input(listUsersInput)
      .output(usersListOutput)
      .query(({ ctx, input }) => listUsers(ctx.db, input)),
    setDisabled: platformAdminProcedure
      .input(setUserDisabledInput)
      .output(usersSetDisabledOutput)
      .mutation(async ({ ctx, input }) => {
        if (input.disabled) await requireRecentSignIn(ctx.db, ctx.session, input.password, ctx.clock.now());
        return setUserDisabled(ctx.db, ctx.session.userId, input, ctx.clock.now());
      }),
  }),
  organizations: router({
    list: platformAdminProcedure
      .input(listOrganizationsInput)
      .output(organizationsListOutput)
      .query(({ ctx, input }) => listOrganizations(ctx.db, input)),
  }),
  outbox: router({
    list: platformAdminProcedure
      .input(listOutboxInput)
      .output(outboxListOutput)
      .query(({ ctx, input }) => listOutbox(ctx.db, input)),
    get: platformAdminProcedure
      .input(outboxIdInput)
      .output(outboxGetOutput)
      .query(({ ctx, input }) => getOutboxMessage(ctx.db, input.id)),
  }),
  /** Payment events that did not match their order and were not applied (issue 18). */
  paymentMismatches: router({
    list: platformAdminProcedure
      .input(listPaymentMismatchesInput)
      .output(paymentMismatchesListOutput)
      .query(({ ctx, input }) => listPaymentMismatches(ctx.db, input)),
  }),
});
