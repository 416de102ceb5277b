import type { ColumnType, Generated, JSONColumnType } from "kysely";
import type { CreatedAt, NullableTimestamp } from "./foundation.ts";
import type { ModelScaleUnit } from "./shop.ts";

type Touched = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object> = JSONColumnType<T, string, string>;
type IntDefault = ColumnType<number, number | undefined, number>;

export type OrderStatus =
  | "pending_payment"
  | "payment_failed"
  | "paid"
  | "in_production"
  | "shipped"
  | "delivered"
  | "cancelled"
  | "refunded";

export interface OrderAddress {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  region: string | null;
  country: string;
}

export interface ModelUploadTable {
  id: string;
  userId: string | null;
  uploadSessionId: string | null;
  storageKey: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  analysis: Json<Record<string, unknown>>;
  /** When the slicing work for this model was sent (issue 14); null until then. */
  sliceQueuedAt: NullableTimestamp;
  createdAt: CreatedAt;
}

export interface MarketplaceQuoteTable {
  id: string;
  uploadId: string;
  organizationId: string;
  materialId: string;
  printerId: string;
  color: string | null;
  quantity: number;
  rush: ColumnType<boolean, boolean | undefined, boolean>;
  currency: string;
  inputs: Json<Record<string, unknown>>;
  breakdown: Json<Record<string, unknown>>;
  totalMinor: number;
  leadDays: number;
  expiresAt: ColumnType<Date, Date | string, Date | string>;
  createdAt: CreatedAt;
}

export interface CartItemTable {
  id: string;
  userId: string;
  organizationId: string;
  quoteId: string;
  createdAt: CreatedAt;
}

export interface ShippingAddressTable {
  id: string;
  userId: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  region: string | null;
  country: string;
  createdAt: CreatedAt;
}

export interface ShopPaymentAccountTable {
  organizationId: string;
  stripeAccountId: string;
  chargesEnabled: ColumnType<boolean, boolean | undefined, boolean>;
  updatedAt: Touched;
}

export type OrderSource = "marketplace" | "widget";

export interface MarketplaceOrderTable {
  id: string;
  number: Generated<number>;
  /** Null for a guest order placed through a shop's widget (and, later, for anonymised users). */
  userId: string | null;
  organizationId: string;
  /** Orders paid together in one checkout share this id. */
  checkoutId: string;
  status: OrderStatus;
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  refundedMinor: IntDefault;
  /** What the platform keeps of this order, fixed at checkout (minor units and the rate it came from). */
  platformFeeMinor: IntDefault;
  platformFeeBps: IntDefault;
  /** The shop's connected Stripe account the payment is transferred to; null: the platform collected it. */
  connectedAccountId: string | null;
  shippingOption: Json<{ name: string; priceMinor: number; days: number | null }>;
  shippingAddress: Json<OrderAddress>;
  customerName: string;
  customerEmail: string;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  /** What the payment provider took for this order (also a payment that landed after a cancel). */
  capturedMinor: IntDefault;
  /** The full refund asked of the provider; a cancelled order with money captured and none owes one. */
  refundId: string | null;
  jobId: string | null;
  trackingNumber: string | null;
  paidAt: NullableTimestamp;
  /** Where the order was placed: the marketplace or a shop's embedded widget. */
  source: ColumnType<OrderSource, OrderSource | undefined, OrderSource>;
  /** A guest order's status-link token (random, sent by email only); null for signed-in orders. */
  guestAccessToken: string | null;
  createdAt: CreatedAt;
  updatedAt: Touched;
}

export interface OrderLineTable {
  id: string;
  orderId: string;
  quoteId: string;
  uploadId: string;
  position: number;
  description: string;
  materialId: string;
  color: string | null;
  quantity: number;
  totalMinor: number;
  gramsPerUnit: number;
  minutesPerUnit: number;
  /** The unit the customer said the model's file is in, and their scale on top (issue 20). */
  scaleUnit: ColumnType<ModelScaleUnit, ModelScaleUnit | undefined, ModelScaleUnit>;
  scalePercent: ColumnType<number, number | undefined, number>;
}

/** The latest reference rate of one currency against the euro (issue 20, refreshed by a background job). */
export interface ExchangeRateTable {
  currency: string;
  /** Units of `currency` per euro. */
  perEur: number;
  /** The day the provider published the rate, YYYY-MM-DD. */
  rateDate: string;
  source: string;
  fetchedAt: Date;
}

export interface OrderEventTable {
  id: string;
  seq: Generated<string>;
  orderId: string;
  status: string;
  note: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export interface ProcessedWebhookEventTable {
  id: string;
  type: string;
  processedAt: ColumnType<Date, Date | string | undefined, never>;
}

export type PaymentMismatchReason = "amount" | "currency" | "missing_amount" | "missing_currency";

/** A signed payment event that did not match its order: never applied, listed in the admin console. */
export interface PaymentMismatchTable {
  id: string;
  eventId: string;
  eventType: string;
  orderId: string | null;
  reason: PaymentMismatchReason;
  expectedMinor: number | null;
  expectedCurrency: string | null;
  receivedMinor: number | null;
  receivedCurrency: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export interface OrderMessageTable {
  id: string;
  seq: Generated<string>;
  orderId: string;
  authorUserId: string | null;
  authorSide: "customer" | "shop";
  body: string;
  attachmentKey: string | null;
  attachmentName: string | null;
  attachmentType: string | null;
  readAt: NullableTimestamp;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export interface ShopReviewTable {
  id: string;
  organizationId: string;
  orderId: string | null;
  userId: string | null;
  authorName: string;
  rating: number;
  body: ColumnType<string, string | undefined, string>;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export interface CustomerNotificationTable {
  id: string;
  userId: string;
  orderId: string | null;
  title: string;
  body: ColumnType<string, string | undefined, string>;
  readAt: NullableTimestamp;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export interface MarketplaceTables {
  modelUpload: ModelUploadTable;
  marketplaceQuote: MarketplaceQuoteTable;
  cartItem: CartItemTable;
  shippingAddress: ShippingAddressTable;
  shopPaymentAccount: ShopPaymentAccountTable;
  marketplaceOrder: MarketplaceOrderTable;
  orderLine: OrderLineTable;
  orderEvent: OrderEventTable;
  processedWebhookEvent: ProcessedWebhookEventTable;
  paymentMismatch: PaymentMismatchTable;
  orderMessage: OrderMessageTable;
  shopReview: ShopReviewTable;
  customerNotification: CustomerNotificationTable;
  exchangeRate: ExchangeRateTable;
}
