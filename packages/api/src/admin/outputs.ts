import { z } from "zod";
import { ORDER_STATUSES } from "../browser-safe/order-status.ts";
import type { SupportView } from "../kernel/index.ts";
import type { Expect, Same } from "../outputs.ts";
import { pageOf } from "../outputs.ts";
import type { AuditEntryView } from "./audit.ts";
import type { Dashboard, PlanRevenue } from "./dashboard.ts";
import type { ReplayResult, WebhookEventView } from "./events.ts";
import type { JobView, QueueView } from "./jobs.ts";
import type { AdminOrderView } from "./order-history.ts";
import type { AdminOrderSummary } from "./order-list.ts";
import type { RefundResult } from "./order-refunds.ts";
import type { AdminOrganizationView } from "./organizations.ts";
import type { OutboxMessageSummary, OutboxMessageView } from "./outbox.ts";
import type { PaymentMismatchView } from "./payments.ts";
import type { AdminShopSummary, AdminShopView } from "./shops.ts";
import type { SupportGrantStatus } from "./support.ts";
import type { AdminUserView } from "./users.ts";

/**
 * What the admin router's procedures answer, validated on the way out (tRPC `.output`, strict: a field
 * the schema does not name is refused, so no column reaches the browser by accident). The resolvers'
 * return types must fit these (tRPC checks it at compile time); root.test.ts fails for a procedure
 * without one.
 */

const adminUserViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    banned: z.boolean(),
    role: z.string().nullable(),
    createdAt: z.date(),
    organizationCount: z.number(),
  })
  .strict();

const pageSchema = pageOf(adminUserViewSchema);

const adminOrganizationViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    country: z.string().nullable(),
    memberCount: z.number(),
    createdAt: z.date(),
  })
  .strict();

const pageSchema2 = pageOf(adminOrganizationViewSchema);

const outboxMessageSummarySchema = z
  .object({
    id: z.string(),
    channel: z.enum(["email", "sms"]),
    category: z.enum(["service", "marketing"]),
    template: z.string(),
    recipient: z.string(),
    subject: z.string().nullable(),
    status: z.enum(["stored", "sent", "failed"]),
    provider: z.string(),
    createdAt: z.date(),
  })
  .strict();

const pageSchema3 = pageOf(outboxMessageSummarySchema);

const outboxMessageViewSchema = z
  .object({
    bodyText: z.string(),
    bodyHtml: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    error: z.string().nullable(),
    userId: z.string().nullable(),
    organizationId: z.string().nullable(),
    id: z.string(),
    channel: z.enum(["email", "sms"]),
    category: z.enum(["service", "marketing"]),
    template: z.string(),
    recipient: z.string(),
    subject: z.string().nullable(),
    status: z.enum(["stored", "sent", "failed"]),
    provider: z.string(),
    createdAt: z.date(),
  })
  .strict();

export const usersListOutput = pageSchema;

export const usersSetDisabledOutput = z
  .object({ userId: z.string(), disabled: z.boolean(), sessionsEnded: z.number() })
  .strict();

export const organizationsListOutput = pageSchema2;

export const outboxListOutput = pageSchema3;

export const outboxGetOutput = outboxMessageViewSchema;

const paymentMismatchViewSchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    reason: z.enum(["amount", "currency", "missing_amount", "missing_currency"]),
    order: z.object({ id: z.string(), number: z.number(), shopName: z.string() }).strict().nullable(),
    expectedMinor: z.number().nullable(),
    expectedCurrency: z.string().nullable(),
    receivedMinor: z.number().nullable(),
    receivedCurrency: z.string().nullable(),
    createdAt: z.date(),
  })
  .strict();

export const paymentMismatchesListOutput = pageOf(paymentMismatchViewSchema);

const dashboardCounts = {
  signups: z.number(),
  activeShops: z.number(),
  quotes: z.number(),
  orders: z.number(),
  conversionBps: z.number().nullable(),
  refunds: z.number(),
  disputes: z.number(),
};
const moneyPeriodSchema = z
  .object({ start: z.string(), grossMinor: z.number(), feesMinor: z.number(), refundedMinor: z.number() })
  .strict();
const dashboardSchema = z
  .object({
    bucket: z.enum(["day", "week"]),
    from: z.string(),
    to: z.string(),
    periods: z.array(z.object({ start: z.string(), ...dashboardCounts }).strict()),
    totals: z.object(dashboardCounts).strict(),
    money: z.array(
      z
        .object({
          currency: z.string(),
          periods: z.array(moneyPeriodSchema),
          totals: z
            .object({ grossMinor: z.number(), feesMinor: z.number(), refundedMinor: z.number() })
            .strict(),
        })
        .strict(),
    ),
  })
  .strict();

export const dashboardGetOutput = dashboardSchema;

const orderStatusSchema = z.enum(ORDER_STATUSES);
const orderSummaryFields = {
  id: z.string(),
  number: z.number(),
  status: orderStatusSchema,
  organizationId: z.string(),
  shopName: z.string(),
  customerName: z.string(),
  customerEmail: z.string(),
  currency: z.string(),
  totalMinor: z.number(),
  refundedMinor: z.number(),
  createdAt: z.date(),
  paidAt: z.date().nullable(),
};
const orderSummarySchema = z.object(orderSummaryFields).strict();
const orderViewSchema = z
  .object({
    ...orderSummaryFields,
    shopSlug: z.string(),
    userId: z.string().nullable(),
    source: z.enum(["marketplace", "widget"]),
    subtotalMinor: z.number(),
    shippingMinor: z.number(),
    taxMinor: z.number(),
    platformFeeMinor: z.number(),
    capturedMinor: z.number(),
    refundableMinor: z.number(),
    paymentIntentId: z.string().nullable(),
    checkoutSessionId: z.string().nullable(),
    connectedAccountId: z.string().nullable(),
    lines: z.array(
      z.object({ description: z.string(), quantity: z.number(), totalMinor: z.number() }).strict(),
    ),
    job: z.object({ id: z.string(), number: z.number(), status: z.string() }).strict().nullable(),
    refunds: z.array(
      z
        .object({
          id: z.string(),
          amountMinor: z.number(),
          reason: z.string(),
          status: z.enum(["pending", "succeeded", "failed"]),
          error: z.string().nullable(),
          providerRefundId: z.string().nullable(),
          actorName: z.string().nullable(),
          createdAt: z.date(),
          settledAt: z.date().nullable(),
        })
        .strict(),
    ),
    disputes: z.array(
      z
        .object({
          id: z.string(),
          amountMinor: z.number(),
          currency: z.string(),
          reason: z.string(),
          status: z.string(),
          evidenceDueAt: z.date().nullable(),
          updatedAt: z.date(),
        })
        .strict(),
    ),
    timeline: z.array(
      z
        .object({
          at: z.date(),
          kind: z.enum(["order", "message", "job", "refund", "dispute", "mismatch"]),
          title: z.string(),
          detail: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
const refundResultSchema = z
  .object({
    refundId: z.string(),
    amountMinor: z.number(),
    status: z.enum(["pending", "succeeded", "failed"]),
    full: z.boolean(),
    repeated: z.boolean(),
  })
  .strict();

export const ordersListOutput = pageOf(orderSummarySchema);
export const ordersGetOutput = orderViewSchema;
export const ordersRefundOutput = refundResultSchema;

const webhookOutcomeSchema = z.enum(["received", "applied", "duplicate", "ignored", "rejected", "failed"]);
const webhookEventSchema = z
  .object({
    id: z.string(),
    provider: z.enum(["stripe", "twilio"]),
    eventId: z.string().nullable(),
    eventType: z.string().nullable(),
    signature: z.enum(["valid", "invalid"]),
    outcome: webhookOutcomeSchema,
    error: z.string().nullable(),
    attempts: z.number(),
    receivedAt: z.date(),
    updatedAt: z.date(),
    replayable: z.boolean(),
  })
  .strict();
const replayResultSchema = z
  .object({ id: z.string(), outcome: webhookOutcomeSchema, error: z.string().nullable() })
  .strict();

export const webhooksListOutput = pageOf(webhookEventSchema);
export const webhooksReplayOutput = replayResultSchema;

const jobStateSchema = z.enum(["created", "retry", "active", "completed", "cancelled", "failed"]);
const queueViewSchema = z
  .object({
    name: z.string(),
    counts: z
      .object({
        created: z.number(),
        retry: z.number(),
        active: z.number(),
        completed: z.number(),
        cancelled: z.number(),
        failed: z.number(),
      })
      .strict(),
    cron: z.string().nullable(),
    timezone: z.string().nullable(),
    lastStartedAt: z.date().nullable(),
    lastState: jobStateSchema.nullable(),
  })
  .strict();
const jobViewSchema = z
  .object({
    id: z.string(),
    queue: z.string(),
    state: jobStateSchema,
    error: z.string().nullable(),
    attempts: z.number(),
    retryLimit: z.number(),
    createdAt: z.date(),
    startedAt: z.date().nullable(),
    completedAt: z.date().nullable(),
  })
  .strict();

export const jobsQueuesOutput = z.array(queueViewSchema);
export const jobsListOutput = pageOf(jobViewSchema);
export const jobsActOutput = z.object({ id: z.string(), state: jobStateSchema }).strict();

const auditEntrySchema = z
  .object({
    id: z.string(),
    createdAt: z.date(),
    action: z.string(),
    actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).strict().nullable(),
    organization: z.object({ id: z.string(), name: z.string() }).strict().nullable(),
    subjectType: z.string(),
    subjectId: z.string(),
    data: z.string(),
  })
  .strict();

export const auditSearchOutput = pageOf(auditEntrySchema);
export const auditExportOutput = z
  .object({ csv: z.string(), rows: z.number(), truncated: z.boolean() })
  .strict();

const shopSummaryFields = {
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  listed: z.boolean(),
  holdReason: z.string().nullable(),
  chargesEnabled: z.boolean(),
  verified: z.boolean(),
  cancelling: z.boolean(),
  memberCount: z.number(),
  orderCount: z.number(),
  createdAt: z.date(),
};
const shopSummarySchema = z.object(shopSummaryFields).strict();
const shopViewSchema = z
  .object({
    ...shopSummaryFields,
    stripeAccountId: z.string().nullable(),
    members: z.array(z.object({ name: z.string(), email: z.string(), role: z.string() }).strict()),
    printers: z.array(
      z.object({ name: z.string(), technology: z.enum(["fdm", "resin", "powder"]) }).strict(),
    ),
    orders: z.array(
      z
        .object({
          id: z.string(),
          number: z.number(),
          status: orderStatusSchema,
          currency: z.string(),
          totalMinor: z.number(),
          createdAt: z.date(),
        })
        .strict(),
    ),
    reviews: z.array(
      z
        .object({ rating: z.number(), authorName: z.string(), body: z.string(), createdAt: z.date() })
        .strict(),
    ),
    audit: z.array(
      z.object({ action: z.string(), actorName: z.string().nullable(), createdAt: z.date() }).strict(),
    ),
  })
  .strict();

export const shopsListOutput = pageOf(shopSummarySchema);
export const shopsGetOutput = shopViewSchema;
export const shopsModerateOutput = shopSummarySchema;
export const shopsCancelOutput = shopSummarySchema;
export const shopsVerifyOutput = z.object({ organizationId: z.string(), verified: z.boolean() }).strict();

const supportViewSchema = z
  .object({
    grantId: z.string(),
    organizationId: z.string(),
    organizationName: z.string(),
    grantedByName: z.string(),
    expiresAt: z.date(),
  })
  .strict();

export const supportStatusOutput = z
  .object({
    grant: z.object({ id: z.string(), grantedByName: z.string(), expiresAt: z.date() }).strict().nullable(),
  })
  .strict();
export const supportOpenOutput = supportViewSchema;
export const supportCurrentOutput = z.discriminatedUnion("state", [
  z.object({ state: z.enum(["none", "ended"]) }).strict(),
  z.object({ state: z.literal("live"), view: supportViewSchema }).strict(),
]);
export const supportRecordViewOutput = z.object({ recorded: z.literal(true) }).strict();
export const supportLeaveOutput = z.object({ left: z.boolean() }).strict();

const planRevenueSchema = z
  .object({
    subscribers: z.number(),
    trialing: z.number(),
    pastDue: z.number(),
    byPlan: z.array(z.object({ plan: z.string(), shops: z.number() }).strict()),
    mrr: z.array(z.object({ currency: z.string(), amountMinor: z.number() }).strict()),
  })
  .strict();
export const dashboardPlansOutput = planRevenueSchema;

export const sessionReauthOutput = z.object({ required: z.boolean() }).strict();

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
export type OutputChecks = [
  Expect<Same<z.output<typeof adminUserViewSchema>, AdminUserView>>,
  Expect<Same<z.output<typeof adminOrganizationViewSchema>, AdminOrganizationView>>,
  Expect<Same<z.output<typeof outboxMessageSummarySchema>, OutboxMessageSummary>>,
  Expect<Same<z.output<typeof outboxMessageViewSchema>, OutboxMessageView>>,
  Expect<Same<z.output<typeof paymentMismatchViewSchema>, PaymentMismatchView>>,
  Expect<Same<z.output<typeof dashboardSchema>, Dashboard>>,
  Expect<Same<z.output<typeof orderSummarySchema>, AdminOrderSummary>>,
  Expect<Same<z.output<typeof orderViewSchema>, AdminOrderView>>,
  Expect<Same<z.output<typeof refundResultSchema>, RefundResult>>,
  Expect<Same<z.output<typeof webhookEventSchema>, WebhookEventView>>,
  Expect<Same<z.output<typeof replayResultSchema>, ReplayResult>>,
  Expect<Same<z.output<typeof queueViewSchema>, QueueView>>,
  Expect<Same<z.output<typeof jobViewSchema>, JobView>>,
  Expect<Same<z.output<typeof auditEntrySchema>, AuditEntryView>>,
  Expect<Same<z.output<typeof shopSummarySchema>, AdminShopSummary>>,
  Expect<Same<z.output<typeof shopViewSchema>, AdminShopView>>,
  Expect<Same<z.output<typeof supportViewSchema>, SupportView>>,
  Expect<Same<z.output<typeof planRevenueSchema>, PlanRevenue>>,
  Expect<Same<z.output<typeof supportStatusOutput>, SupportGrantStatus>>,
];

export const smsSimulateOutput = z
  .object({
    outcome: z.enum(["applied", "duplicate", "ignored"]),
    detail: z.string(),
    messageId: z.string().nullable(),
  })
  .strict();

export const smsSendersOutput = z.array(
  z.object({ organizationId: z.string(), name: z.string(), phoneE164: z.string() }).strict(),
);
