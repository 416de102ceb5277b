import type { ColumnType } from "kysely";

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrderRefundStatus = "pending" | "succeeded" | "failed";

/** A refund a platform admin asked for (issue 16): written before the provider is asked. */
export interface OrderRefundTable {
  id: string;
  orderId: string;
  /** The admin's request (one per submitted form): a resubmission finds this row. */
  requestKey: string;
  amountMinor: number;
  currency: string;
  reason: string;
  status: ColumnType<OrderRefundStatus, OrderRefundStatus | undefined, OrderRefundStatus>;
  providerRefundId: string | null;
  error: string | null;
  actorUserId: string | null;
  createdAt: Stamp;
  settledAt: Date | null;
}

/** A Stripe dispute (`charge.dispute.*`), kept as its latest event says. */
export interface PaymentDisputeTable {
  id: string;
  orderId: string | null;
  chargeId: string | null;
  paymentIntentId: string | null;
  amountMinor: number;
  currency: string;
  reason: string;
  /** Stripe's status: warning_needs_response, needs_response, under_review, won, lost, … */
  status: string;
  evidenceDueAt: Date | null;
  lastEventType: string;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export type WebhookProvider = "stripe" | "twilio";
export type WebhookEventOutcome = "received" | "applied" | "duplicate" | "ignored" | "rejected" | "failed";

/** Every webhook received, signed or not (issue 16, req. 4). */
export interface WebhookEventTable {
  id: string;
  provider: WebhookProvider;
  eventId: string | null;
  eventType: string | null;
  signature: "valid" | "invalid";
  outcome: WebhookEventOutcome;
  error: string | null;
  /** The verified event as JSON (null when the signature failed): what a replay applies again. */
  event: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  receivedAt: Stamp;
  updatedAt: Stamp;
}

/** A shop owner's grant of read-only workspace access to platform support (issue 16, req. 8). */
export interface SupportGrantTable {
  id: string;
  organizationId: string;
  grantedByUserId: string | null;
  /** The owner's name when they granted it (shown in the support banner). */
  grantedByName: string;
  createdAt: Stamp;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedByUserId: string | null;
}

/** A platform admin's session viewing a shop's workspace under a grant (one per session). */
export interface SupportVisitTable {
  sessionId: string;
  grantId: string;
  adminUserId: string;
  startedAt: Stamp;
}

export type ShopPlanKey = "free" | "pro" | "studio";
export type ShopSubscriptionStatus = "active" | "trialing" | "past_due" | "canceled" | "incomplete";

/** A shop's plan billed by the platform (issue 16, req. 9), as Stripe's subscription events leave it. */
export interface ShopSubscriptionTable {
  organizationId: string;
  plan: ShopPlanKey;
  status: ShopSubscriptionStatus;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  amountMinor: ColumnType<number, number | undefined, number>;
  currency: ColumnType<string, string | undefined, string>;
  currentPeriodEnd: Date | null;
  trialEndsAt: Date | null;
  paymentFailedAt: Date | null;
  graceEndsAt: Date | null;
  /** When Stripe created the subscription event this row reflects (an older one arriving late is ignored). */
  stripeEventCreatedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  createdAt: Stamp;
  updatedAt: Stamp;
}

export interface AdminTables {
  shopSubscription: ShopSubscriptionTable;
  supportGrant: SupportGrantTable;
  supportVisit: SupportVisitTable;
  orderRefund: OrderRefundTable;
  paymentDispute: PaymentDisputeTable;
  webhookEvent: WebhookEventTable;
}
