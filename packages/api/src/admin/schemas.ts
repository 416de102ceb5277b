import { z } from "zod";
import { ORDER_STATUSES } from "../browser-safe/order-status.ts";
import { idSchema } from "../kernel/index.ts";
import { reauthPassword } from "./reauth.ts";

/** Input schemas of the admin console, exported for its forms. */

export const paginationSchema = z.object({
  page: z.number({ error: "Page must be a number" }).int().min(1, "Pages start at 1").default(1),
  pageSize: z
    .number({ error: "Page size must be a number" })
    .int()
    .min(1, "At least 1 row per page")
    .max(100, "At most 100 rows per page")
    .default(25),
});

export const searchSchema = z
  .string()
  .trim()
  .max(200, "The search is too long (at most 200 characters)")
  .optional()
  .transform((v) => (v ? v : undefined));

export const listUsersInput = paginationSchema.extend({ search: searchSchema }).prefault({});

export const setUserDisabledInput = z.discriminatedUnion(
  "disabled",
  [
    z.object({
      userId: idSchema,
      disabled: z.literal(true),
      reason: z
        .string({ error: "Give a reason" })
        .trim()
        .min(1, "Give a reason (kept in the audit log)")
        .max(500, "The reason is too long (at most 500 characters)"),
      password: reauthPassword,
    }),
    z.object({ userId: idSchema, disabled: z.literal(false) }),
  ],
  { error: "Choose whether to disable or enable the user" },
);

export const listOrganizationsInput = paginationSchema.extend({ search: searchSchema }).prefault({});

export const listOutboxInput = paginationSchema
  .extend({
    channel: z.enum(["email", "sms"], { error: "Channel is email or sms" }).optional(),
    recipient: searchSchema,
  })
  .prefault({});

export const outboxIdInput = z.object({ id: idSchema });

export type ListUsersInput = z.infer<typeof listUsersInput>;
export type SetUserDisabledInput = z.infer<typeof setUserDisabledInput>;
export type ListOrganizationsInput = z.infer<typeof listOrganizationsInput>;
export type ListOutboxInput = z.infer<typeof listOutboxInput>;

export const listPaymentMismatchesInput = paginationSchema.prefault({});
export type ListPaymentMismatchesInput = z.infer<typeof listPaymentMismatchesInput>;

const dayInput = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Give a date as YYYY-MM-DD")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Give a real date")
  .optional();

/** The dashboard's range (inclusive UTC days; default the last 30 days) and grouping. */
export const dashboardInput = z
  .object({
    bucket: z.enum(["day", "week"], { error: "Group by day or week" }).default("day"),
    from: dayInput,
    to: dayInput,
  })
  .prefault({});
export type DashboardInput = z.infer<typeof dashboardInput>;

/** Orders across the platform: number or customer (q), shop, status and a range of UTC days. */
export const listOrdersInput = paginationSchema
  .extend({
    q: searchSchema,
    shop: searchSchema,
    status: z.enum(ORDER_STATUSES, { error: "Choose an order status" }).optional(),
    from: dayInput,
    to: dayInput,
  })
  .prefault({});
export type ListOrdersInput = z.infer<typeof listOrdersInput>;

export const orderIdInput = z.object({ orderId: idSchema });

const refundReason = z
  .string({ error: "Give a reason" })
  .trim()
  .min(1, "Give a reason (the customer and the shop are told)")
  .max(500, "The reason is too long (at most 500 characters)");
const requestKey = z
  .string({ error: "The form is out of date: open the order again" })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "The form is out of date: open the order again");

/** A full refund, or part of one (the amount as typed, in the order's currency). */
export const refundOrderInput = z.discriminatedUnion(
  "mode",
  [
    z.object({
      orderId: idSchema,
      mode: z.literal("full"),
      reason: refundReason,
      requestKey,
      password: reauthPassword,
    }),
    z.object({
      orderId: idSchema,
      mode: z.literal("partial"),
      amount: z.string({ error: "Give an amount" }).trim().min(1, "Give an amount").max(40),
      reason: refundReason,
      requestKey,
      password: reauthPassword,
    }),
  ],
  { error: "Choose a full or a partial refund" },
);
export type RefundOrderInput = z.infer<typeof refundOrderInput>;

export const listWebhookEventsInput = paginationSchema
  .extend({
    q: searchSchema,
    provider: z.enum(["stripe", "twilio"], { error: "Provider is stripe or twilio" }).optional(),
    outcome: z
      .enum(["received", "applied", "duplicate", "ignored", "rejected", "failed"], {
        error: "Choose an outcome",
      })
      .optional(),
    signature: z.enum(["valid", "invalid"], { error: "Signature is valid or invalid" }).optional(),
  })
  .prefault({});
export type ListWebhookEventsInput = z.infer<typeof listWebhookEventsInput>;

export const webhookEventIdInput = z.object({ id: idSchema });

const queueName = z
  .string({ error: "Choose a queue" })
  .trim()
  .regex(/^[\w.-]{1,100}$/, "Not a queue name");

export const listJobsInput = paginationSchema
  .extend({
    queue: queueName.optional(),
    state: z
      .enum(["created", "retry", "active", "completed", "cancelled", "failed"], {
        error: "Choose a job state",
      })
      .default("failed"),
  })
  .prefault({});
export type ListJobsInput = z.infer<typeof listJobsInput>;

export const jobActionInput = z.object({
  queue: queueName,
  id: z.uuid({ error: "Not a job id" }),
  action: z.enum(["retry", "cancel"], { error: "Retry or cancel" }),
  password: reauthPassword,
});
export type JobActionInput = z.infer<typeof jobActionInput>;

const auditFilters = {
  actor: searchSchema,
  organization: searchSchema,
  object: searchSchema,
  action: searchSchema,
  from: dayInput,
  to: dayInput,
};
export const searchAuditInput = paginationSchema.extend(auditFilters).prefault({});
export type SearchAuditInput = z.infer<typeof searchAuditInput>;
export const auditExportInput = z.object(auditFilters).prefault({});
export type AuditExportInput = z.infer<typeof auditExportInput>;

export const listShopsInput = paginationSchema
  .extend({
    q: searchSchema,
    filter: z
      .enum(["listed", "unlisted", "flagged", "stripe_ready", "verified", "cancelled"], {
        error: "Choose a filter",
      })
      .optional(),
  })
  .prefault({});
export type ListShopsInput = z.infer<typeof listShopsInput>;

export const shopIdInput = z.object({ organizationId: idSchema });

export const moderateShopInput = z.object({
  organizationId: idSchema,
  action: z.enum(["unlist", "relist"], { error: "Unlist or relist" }),
  reason: z
    .string({ error: "Give a reason" })
    .trim()
    .min(1, "Give a reason (the shop is emailed it)")
    .max(1000, "The reason is too long (at most 1000 characters)"),
  password: reauthPassword,
});
export type ModerateShopInput = z.infer<typeof moderateShopInput>;

/** The console's "cancel a shop": its URL name typed again, the reason its members are emailed. */
export const cancelShopInput = z.object({
  organizationId: idSchema,
  confirmSlug: z.string().trim().toLowerCase().min(1, "Type the shop's URL name to confirm"),
  reason: z
    .string({ error: "Give a reason" })
    .trim()
    .min(1, "Give a reason (the shop's members are emailed it)")
    .max(1000, "The reason is too long (at most 1000 characters)"),
  password: reauthPassword,
});
export type CancelShopInput = z.infer<typeof cancelShopInput>;

export const verifyShopInput = z.object({ organizationId: idSchema, verified: z.boolean() });
export type VerifyShopInput = z.infer<typeof verifyShopInput>;
