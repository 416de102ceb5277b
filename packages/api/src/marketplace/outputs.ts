import type { JobFileKind, OrderStatus } from "@ktizo/db";
import { MODEL_UNITS } from "@ktizo/quote";
import { z } from "zod";
import { ORDER_STATUSES } from "../browser-safe/order-status.ts";
import { technologySchema } from "../kernel/index.ts";
import type { Expect, Same } from "../outputs.ts";
import {
  boundingBoxSchema,
  modelAnalysisSchema,
  pageOf,
  postalAddressFields,
  printabilityReportSchema,
  quoteBreakdownSchema,
  storedJson,
} from "../outputs.ts";
import type { ShopCart } from "./cart.ts";
import type { OrderTimelineEntry } from "./common.ts";
import type { CustomerOrderView } from "./customer-orders.ts";
import type {
  EmbedCheckoutResult,
  EmbedOption,
  EmbedOptions,
  EmbedShopView,
  GuestOrderView,
} from "./embed.ts";
import type { MessageView } from "./messages.ts";
import type { QuoteOption, QuoteView, ShopQuotes } from "./quotes.ts";
import { qualitySchema } from "./quotes.ts";
import type { ReviewView } from "./reviews.ts";
import type { ShopPage, ShopSearchResult } from "./search.ts";
import type { ShopOrderView } from "./shop-orders.ts";
import type { UploadView } from "./uploads.ts";

/** The kinds of a job's files the shop can share with its customer (the job domain's list). */
const sharedFileKindSchema = z.enum(["model", "mockup", "proof", "photo", "other"] satisfies JobFileKind[]);

/**
 * What the marketplace router's procedures answer, validated on the way out (tRPC `.output`, strict: a field
 * the schema does not name is refused, so no column reaches the browser by accident). The resolvers'
 * return types must fit these (tRPC checks it at compile time); root.test.ts fails for a procedure
 * without one.
 */

const orderStatusSchema = z.enum(ORDER_STATUSES);
/** The browser-safe list names exactly the database's order statuses. */
export type OrderStatusesMatch = Expect<Same<(typeof ORDER_STATUSES)[number], OrderStatus>>;

const shopSearchResultSchema = z
  .object({
    organizationId: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    country: z.string(),
    city: z.string().nullable(),
    currency: z.string(),
    technologies: z.array(technologySchema),
    standardLeadDays: z.number(),
    shipsTo: z.array(z.string()),
    materialKinds: z.array(z.string()),
    rating: z.number().nullable(),
    reviewCount: z.number(),
    verified: z.boolean(),
  })
  .strict();

const pageSchema = pageOf(shopSearchResultSchema);

const shippingOptionSchema = z
  .object({
    name: z.string(),
    priceMinor: z.number(),
    days: z.number().nullable(),
    countries: z.array(z.string()).optional(),
  })
  .strict();

const reviewViewSchema = z
  .object({
    id: z.string(),
    authorName: z.string(),
    rating: z.number(),
    body: z.string(),
    createdAt: z.date(),
  })
  .strict();

const shopPageSchema = z
  .object({
    shop: z
      .object({
        description: z.string(),
        name: z.string(),
        country: z.string(),
        currency: z.string(),
        city: z.string().nullable(),
        slug: z.string(),
        organizationId: z.string(),
        logo: z.string().nullable(),
        timezone: z.string(),
        shippingOptions: z.array(shippingOptionSchema),
        technologies: z.array(technologySchema),
        standardLeadDays: z.number(),
        rushLeadDays: z.number().nullable(),
        materialKinds: z.array(z.string()),
        materials: z.array(
          z
            .object({
              id: z.string(),
              name: z.string(),
              kind: z.string(),
              technology: technologySchema,
              colors: z.array(z.string()),
              finishes: z.array(z.string()),
              densityGramsPerCm3: z.number(),
              inStock: z.boolean(),
            })
            .strict(),
        ),
        printers: z.array(
          z
            .object({
              id: z.string(),
              name: z.string(),
              status: z.enum(["available", "maintenance", "offline"]),
              technology: technologySchema,
              layerHeightsMm: z.array(z.number()),
              buildVolumeMm: z.object({ x: z.number(), y: z.number(), z: z.number() }).strict(),
              materialIds: z.array(z.string()),
            })
            .strict(),
        ),
        shipsTo: z.array(z.string()),
      })
      .strict(),
    rating: z.number().nullable(),
    reviewCount: z.number(),
    reviews: z.array(reviewViewSchema),
    verified: z.boolean(),
  })
  .strict();

const uploadViewSchema = z
  .object({
    id: z.string(),
    fileName: z.string(),
    sizeBytes: z.number(),
    analysis: modelAnalysisSchema,
    createdAt: z.date(),
  })
  .strict();

const modelScaleSchema = z.object({ unit: z.enum(MODEL_UNITS), percent: z.number() }).strict();

const quoteOptionSchema = z
  .object({
    materialId: z.string(),
    materialName: z.string(),
    materialKind: z.string(),
    technology: technologySchema,
    colors: z.array(z.string()),
    printerName: z.string(),
    totalMinor: z.number(),
    breakdown: quoteBreakdownSchema,
    printability: printabilityReportSchema,
    warnings: z.array(z.string()),
    basis: z.enum(["sliced", "estimated"]),
    sliced: z.object({ printSeconds: z.number(), grams: z.number() }).strict().nullable(),
    sliceNote: z.string().nullable(),
    converted: z
      .object({ amountMinor: z.number().int(), currency: z.string(), rateDate: z.string() })
      .strict()
      .nullable(),
  })
  .strict();

const shopQuotesSchema = z
  .object({
    organizationId: z.string(),
    slug: z.string(),
    name: z.string(),
    country: z.string(),
    currency: z.string(),
    leadDays: z.number(),
    rating: z.number().nullable(),
    options: z.array(quoteOptionSchema),
  })
  .strict();

const quoteViewSchema = z
  .object({
    id: z.string(),
    uploadId: z.string(),
    fileName: z.string(),
    organizationId: z.string(),
    shopName: z.string(),
    shopSlug: z.string(),
    materialId: z.string(),
    materialName: z.string(),
    color: z.string().nullable(),
    quality: qualitySchema,
    quantity: z.number(),
    rush: z.boolean(),
    currency: z.string(),
    breakdown: quoteBreakdownSchema,
    totalMinor: z.number(),
    leadDays: z.number(),
    gramsPerUnit: z.number(),
    minutesPerUnit: z.number(),
    basis: z.enum(["sliced", "estimated"]),
    scale: modelScaleSchema,
    sizeMm: z.object({ x: z.number(), y: z.number(), z: z.number() }).strict().nullable(),
    expiresAt: z.date(),
    expired: z.boolean(),
  })
  .strict();

const shopCartSchema = z
  .object({
    organizationId: z.string(),
    shopName: z.string(),
    shopSlug: z.string(),
    currency: z.string(),
    items: z.array(quoteViewSchema),
    subtotalMinor: z.number(),
    taxMinor: z.number(),
    itemsTotalMinor: z.number(),
    shippingOptions: z.array(shippingOptionSchema),
    shopCountry: z.string(),
    hasExpired: z.boolean(),
  })
  .strict();

const orderAddressSchema = storedJson(z.object({ name: z.string(), ...postalAddressFields }).strict());

/** The shipping option an order was placed with, as stored on the order. */
const chosenShippingSchema = storedJson(
  z.object({ name: z.string(), priceMinor: z.number(), days: z.number().nullable() }),
);

const orderLineSchema = z
  .object({
    description: z.string(),
    quantity: z.number(),
    totalMinor: z.number(),
    color: z.string().nullable(),
    scale: modelScaleSchema.nullable(),
  })
  .strict();

const orderTimelineEntrySchema = z
  .object({ status: z.string(), label: z.string(), note: z.string().nullable(), at: z.date() })
  .strict();

const customerOrderViewSchema = z
  .object({
    id: z.string(),
    number: z.number(),
    status: orderStatusSchema,
    statusLabel: z.string(),
    shop: z.object({ name: z.string(), slug: z.string() }).strict(),
    currency: z.string(),
    subtotalMinor: z.number(),
    shippingMinor: z.number(),
    taxMinor: z.number(),
    totalMinor: z.number(),
    refundedMinor: z.number(),
    shippingOption: chosenShippingSchema,
    shippingAddress: orderAddressSchema,
    trackingNumber: z.string().nullable(),
    paidAt: z.date().nullable(),
    createdAt: z.date(),
    lines: z.array(orderLineSchema),
    timeline: z.array(orderTimelineEntrySchema),
    unreadMessages: z.number(),
    canCancel: z.boolean(),
    canConfirmDelivery: z.boolean(),
    canReview: z.boolean(),
    review: z.object({ rating: z.number(), body: z.string() }).strict().nullable(),
    sharedFiles: z.array(
      z
        .object({
          id: z.string(),
          kind: sharedFileKindSchema,
          fileName: z.string(),
          contentType: z.string(),
          sizeBytes: z.number(),
          createdAt: z.date(),
        })
        .strict(),
    ),
  })
  .strict();

const messageViewSchema = z
  .object({
    id: z.string(),
    side: z.enum(["customer", "shop"]),
    mine: z.boolean(),
    body: z.string(),
    attachment: z.object({ id: z.string(), fileName: z.string() }).strict().nullable(),
    createdAt: z.date(),
  })
  .strict();

const embedShopViewSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    logo: z.string().nullable(),
    accentColor: z.string(),
    greeting: z.string(),
    showPrices: z.boolean(),
    allowedOrigins: z.array(z.string()),
    currency: z.string(),
    defaultMaterialId: z.string().nullable(),
    standardLeadDays: z.number(),
    materials: z.array(
      z.object({ id: z.string(), name: z.string(), kind: z.string(), colors: z.array(z.string()) }).strict(),
    ),
    shippingOptions: z.array(
      storedJson(z.object({ name: z.string(), priceMinor: z.number(), days: z.number().nullable() })),
    ),
  })
  .strict();

const embedOptionSchema = z
  .object({
    materialId: z.string(),
    materialName: z.string(),
    colors: z.array(z.string()),
    totalMinor: z.number().nullable(),
    warnings: z.array(z.string()),
    basis: z.enum(["sliced", "estimated"]),
    sliced: z.object({ printSeconds: z.number(), grams: z.number() }).strict().nullable(),
    sliceNote: z.string().nullable(),
  })
  .strict();

const embedOptionsSchema = z
  .object({
    upload: z
      .object({
        id: z.string(),
        fileName: z.string(),
        analysis: z
          .object({ volumeMm3: z.number(), bbox: boundingBoxSchema, watertight: z.boolean() })
          .strict(),
      })
      .strict(),
    currency: z.string(),
    options: z.array(embedOptionSchema),
  })
  .strict();

const embedCheckoutResultSchema = z
  .object({
    orderId: z.string(),
    number: z.number(),
    token: z.string(),
    statusPath: z.string(),
    checkoutUrl: z.string(),
    testMode: z.boolean(),
    totalMinor: z.number(),
    currency: z.string(),
  })
  .strict();

const guestOrderViewSchema = z
  .object({
    id: z.string(),
    number: z.number(),
    status: orderStatusSchema,
    statusLabel: z.string(),
    paid: z.boolean(),
    shop: z.object({ name: z.string(), slug: z.string() }).strict(),
    currency: z.string(),
    subtotalMinor: z.number(),
    shippingMinor: z.number(),
    taxMinor: z.number(),
    totalMinor: z.number(),
    shippingOption: chosenShippingSchema,
    shippingAddress: orderAddressSchema,
    customerEmail: z.string(),
    checkoutSessionId: z.string().nullable(),
    lines: z.array(
      z.object({ description: z.string(), quantity: z.number(), totalMinor: z.number() }).strict(),
    ),
    timeline: z.array(
      z.object({ status: z.string(), label: z.string(), note: z.string().nullable(), at: z.date() }).strict(),
    ),
    createdAt: z.date(),
  })
  .strict();

const shopOrderViewSchema = z
  .object({
    id: z.string(),
    number: z.number(),
    status: orderStatusSchema,
    jobId: z.string().nullable(),
    currency: z.string(),
    totalMinor: z.number(),
    shippingMinor: z.number(),
    platformFeeMinor: z.number(),
    platformFeeBps: z.number(),
    shopShareMinor: z.number(),
    refundMinor: z.number(),
    refundConfirmed: z.boolean(),
    customerName: z.string(),
    customerEmail: z.string(),
    shippingAddress: orderAddressSchema,
    shippingOption: chosenShippingSchema,
    trackingNumber: z.string().nullable(),
    lines: z.array(orderLineSchema),
    createdAt: z.date(),
    paidAt: z.date().nullable(),
  })
  .strict();

export const searchShopsOutput = pageSchema;

export const shopPageOutput = shopPageSchema;

export const uploadsListOutput = z.array(uploadViewSchema);

export const uploadsClaimOutput = z.object({ claimed: z.number() }).strict();

export const quotesOptionsOutput = z.array(shopQuotesSchema);

export const quotesCreateOutput = quoteViewSchema;

export const quotesGetOutput = quoteViewSchema;

export const cartGetOutput = z.array(shopCartSchema);

export const cartAddOutput = z.object({ quoteId: z.string() }).strict();

export const cartRemoveOutput = z.object({ quoteId: z.string() }).strict();

export const addressesListOutput = z.array(
  z.object({ id: z.string(), name: z.string(), ...postalAddressFields }).strict(),
);

export const addressesSaveOutput = z
  .object({ name: z.string(), ...postalAddressFields, id: z.string() })
  .strict();

export const addressesDeleteOutput = z.object({ id: z.string() }).strict();

export const checkoutOutput = z.object({ orderId: z.string(), checkoutUrl: z.string() }).strict();

export const ordersListOutput = z.array(
  z
    .object({
      number: z.number(),
      id: z.string(),
      createdAt: z.date(),
      currency: z.string(),
      status: orderStatusSchema,
      totalMinor: z.number(),
      shopName: z.string(),
      unreadMessages: z.number().nullable(),
    })
    .strict(),
);

export const ordersGetOutput = customerOrderViewSchema;

export const ordersCancelOutput = z.object({ id: z.string(), status: orderStatusSchema }).strict();

export const ordersConfirmDeliveryOutput = z.object({ id: z.string(), status: orderStatusSchema }).strict();

export const ordersReorderOutput = z.object({ quoteIds: z.array(z.string()) }).strict();

export const ordersMessagesOutput = z.array(messageViewSchema);

export const ordersSendMessageOutput = messageViewSchema;

export const ordersReviewOutput = reviewViewSchema;

export const notificationsListOutput = z
  .object({
    items: z.array(
      z
        .object({
          id: z.string(),
          createdAt: z.date(),
          body: z.string(),
          title: z.string(),
          orderId: z.string().nullable(),
          readAt: z.date().nullable(),
        })
        .strict(),
    ),
    unread: z.number(),
  })
  .strict();

export const notificationsMarkReadOutput = z.object({ marked: z.number() }).strict();

export const embedShopOutput = embedShopViewSchema;

export const embedOptionsOutput = embedOptionsSchema;

export const embedQuoteOutput = quoteViewSchema;

export const embedCheckoutOutput = embedCheckoutResultSchema;

export const embedOrderOutput = guestOrderViewSchema;

export const shopOrdersOutput = z.array(
  z
    .object({
      number: z.number(),
      id: z.string(),
      createdAt: z.date(),
      currency: z.string(),
      customerName: z.string(),
      status: orderStatusSchema,
      totalMinor: z.number(),
      jobId: z.string().nullable(),
      unreadMessages: z.number().nullable(),
    })
    .strict(),
);

export const shopOrderOutput = shopOrderViewSchema;

export const shopMarkShippedOutput = z.object({ id: z.string(), status: orderStatusSchema }).strict();

export const shopMessagesOutput = z.array(messageViewSchema);

export const shopSendMessageOutput = messageViewSchema;

export const shopPaymentAccountOutput = z
  .object({
    connected: z.boolean(),
    chargesEnabled: z.boolean(),
    testMode: z.boolean(),
    platformFeeBps: z.number(),
  })
  .strict();

export const shopRefreshStripeAccountOutput = z
  .object({
    detailsSubmitted: z.boolean(),
    connected: z.boolean(),
    chargesEnabled: z.boolean(),
    testMode: z.boolean(),
    platformFeeBps: z.number(),
  })
  .strict();

export const shopConnectStripeOutput = z.object({ url: z.string(), testMode: z.boolean() }).strict();

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
export type OutputChecks = [
  Expect<Same<z.output<typeof shopSearchResultSchema>, ShopSearchResult>>,
  Expect<Same<z.output<typeof reviewViewSchema>, ReviewView>>,
  Expect<Same<z.output<typeof shopPageSchema>, ShopPage>>,
  Expect<Same<z.output<typeof uploadViewSchema>, UploadView>>,
  Expect<Same<z.output<typeof quoteOptionSchema>, QuoteOption>>,
  Expect<Same<z.output<typeof shopQuotesSchema>, ShopQuotes>>,
  Expect<Same<z.output<typeof quoteViewSchema>, QuoteView>>,
  Expect<Same<z.output<typeof shopCartSchema>, ShopCart>>,
  Expect<Same<z.output<typeof orderTimelineEntrySchema>, OrderTimelineEntry>>,
  Expect<Same<z.output<typeof customerOrderViewSchema>, CustomerOrderView>>,
  Expect<Same<z.output<typeof messageViewSchema>, MessageView>>,
  Expect<Same<z.output<typeof embedShopViewSchema>, EmbedShopView>>,
  Expect<Same<z.output<typeof embedOptionSchema>, EmbedOption>>,
  Expect<Same<z.output<typeof embedOptionsSchema>, EmbedOptions>>,
  Expect<Same<z.output<typeof embedCheckoutResultSchema>, EmbedCheckoutResult>>,
  Expect<Same<z.output<typeof guestOrderViewSchema>, GuestOrderView>>,
  Expect<Same<z.output<typeof shopOrderViewSchema>, ShopOrderView>>,
];
