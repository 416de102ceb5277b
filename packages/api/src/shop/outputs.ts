import { slicerSettingsSchema } from "@ktizo/slicer/settings";
import { z } from "zod";
import { TECHNOLOGIES } from "../browser-safe/job-status.ts";
import type { Expect, Same } from "../outputs.ts";
import { pageOf, printabilityReportSchema, printEstimateSchema, quoteBreakdownSchema } from "../outputs.ts";
import type { CalibrationView } from "./calibration.ts";
import type { MaintenanceWindowView } from "./maintenance.ts";
import type { MaterialView } from "./materials.ts";
import type { NotificationView } from "./notifications.ts";
import type { ShopPlanView } from "./plans.ts";
import type { ShopPricing } from "./pricing.ts";
import type { PrinterConnectionView } from "./printer-connections.ts";
import type { PrinterView } from "./printers.ts";
import { printerStatusSchema } from "./printers.ts";
import type { ShopProfile } from "./profile.ts";
import type { ShopQuote } from "./quote.ts";
import type { SlicePreview } from "./slice-preview.ts";
import type { SmsSettingsView } from "./sms-settings.ts";
import type { StockMovementView } from "./stock.ts";

/**
 * What the shop router's profile and materials procedures answer, validated on the way out (tRPC
 * `.output`, strict: a field the type does not name is refused, so nothing extra leaks to the browser).
 */
const technology = z.enum(TECHNOLOGIES);

export const materialOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    technology,
    colors: z.array(z.string()),
    finishes: z.array(z.string()),
    densityGramsPerCm3: z.number().positive(),
    costPerKgMinor: z.number().int().min(0),
    filamentDiameterMm: z.number().positive(),
    printTemperatureC: z.number().int().nullable(),
    bedTemperatureC: z.number().int().nullable(),
    onHandG: z.number().int().min(0),
    reservedG: z.number().int().min(0),
    availableG: z.number().int(),
    reorderThresholdG: z.number().int().min(0),
    lowStock: z.boolean(),
    printerIds: z.array(z.string()),
    archivedAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .strict() satisfies z.ZodType<MaterialView>;

export const materialsOutput = z.array(materialOutput);

export const shopProfileOutput = z
  .object({
    organizationId: z.string(),
    name: z.string(),
    slug: z.string(),
    companyName: z.string(),
    description: z.string(),
    logo: z.string().nullable(),
    contactEmail: z.string().nullable(),
    phone: z.string().nullable(),
    address: z
      .object({
        line1: z.string().nullable(),
        line2: z.string().nullable(),
        city: z.string().nullable(),
        postalCode: z.string().nullable(),
        region: z.string().nullable(),
      })
      .strict(),
    country: z.string().regex(/^[A-Z]{2}$/),
    currency: z.string().regex(/^[A-Z]{3}$/),
    timezone: z.string(),
    technologies: z.array(technology),
    standardLeadDays: z.number().int().min(0),
    rushLeadDays: z.number().int().min(0).nullable(),
    shippingOptions: z.array(
      z
        .object({
          name: z.string(),
          priceMinor: z.number().int().min(0),
          days: z.number().int().nullable(),
          countries: z.array(z.string()).optional(),
        })
        .strict(),
    ),
    listed: z.boolean(),
    updatedAt: z.date(),
  })
  .strict() satisfies z.ZodType<ShopProfile>;

const printerViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    make: z.string(),
    model: z.string(),
    technology: technology,
    buildVolumeMm: z.object({ x: z.number(), y: z.number(), z: z.number() }).strict(),
    layerHeightsMm: z.array(z.number()),
    nozzleMm: z.number().nullable(),
    hourlyRateMinor: z.number(),
    status: printerStatusSchema,
    notes: z.string(),
    materialIds: z.array(z.string()),
    slicerSettings: slicerSettingsSchema,
    slicerProfileVersion: z.number(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .strict();

const stockMovementViewSchema = z
  .object({
    id: z.string(),
    materialId: z.string(),
    materialName: z.string(),
    kind: z.enum(["adjust", "reserve", "release", "consume"]),
    grams: z.number(),
    onHandAfterG: z.number(),
    reservedAfterG: z.number(),
    reason: z.string().nullable(),
    jobId: z.string().nullable(),
    jobNumber: z.number().nullable(),
    actorUserId: z.string().nullable(),
    actorName: z.string().nullable(),
    createdAt: z.date(),
  })
  .strict();

const pageSchema = pageOf(stockMovementViewSchema);

const processParamsSchema = z
  .object({
    wallThicknessMm: z.number().optional(),
    infill: z.number().optional(),
    layerHeightMm: z.number().optional(),
    extrusionRateMm3PerS: z.number().optional(),
    secondsPerLayerOverhead: z.number().optional(),
    secondsPerLayer: z.number().optional(),
    setupMinutes: z.number().optional(),
  })
  .strict();

const shopPricingSchema = z
  .object({
    pricing: z
      .object({
        version: z.literal(1),
        materialUnit: z.enum(["gram", "cm3"]),
        setupFeePerOrderMinor: z.number(),
        setupFeePerModelMinor: z.number(),
        minimumOrderMinor: z.number(),
        quantityTiers: z.array(z.object({ minQuantity: z.number(), discountPercent: z.number() }).strict()),
        rushMultiplier: z.number(),
        markupPercent: z.number(),
        taxRatePercent: z.number(),
        process: z
          .object({
            fdm: processParamsSchema,
            resin: processParamsSchema,
            powder: processParamsSchema,
          })
          .strict(),
        materials: z.record(
          z.string(),
          z
            .object({
              enabled: z.boolean(),
              priceMinor: z.number().nullable(),
              markupPercent: z.number().nullable(),
              process: processParamsSchema,
            })
            .strict(),
        ),
        printers: z.record(
          z.string(),
          z
            .object({
              enabled: z.boolean(),
              machineHourlyMinor: z.number().nullable(),
              process: processParamsSchema,
            })
            .strict(),
        ),
        pairs: z.array(
          z
            .object({
              materialId: z.string(),
              printerId: z.string(),
              priceMinor: z.number().nullable(),
              machineHourlyMinor: z.number().nullable(),
              markupPercent: z.number().nullable(),
            })
            .strict(),
        ),
      })
      .strict(),
    customized: z.boolean(),
    currency: z.string(),
  })
  .strict();

const shopQuoteSchema = z
  .object({
    basis: z.enum(["sliced", "estimated"]),
    breakdown: quoteBreakdownSchema,
    estimate: printEstimateSchema,
    printability: printabilityReportSchema,
    gramsPerUnit: z.number(),
    minutesPerUnit: z.number(),
    unitPriceMinor: z.number(),
    warnings: z.array(z.string()),
  })
  .strict();

const notificationViewSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    readAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .strict();

export const printersListOutput = z.array(printerViewSchema);

export const printersGetOutput = printerViewSchema;

export const printersCreateOutput = printerViewSchema;

export const printersUpdateOutput = printerViewSchema;

export const printersDeleteOutput = z
  .object({ id: z.string(), unscheduledJobIds: z.array(z.string()) })
  .strict();

export const materialsDeleteOutput = z.object({ id: z.string(), archived: z.boolean() }).strict();

export const stockAdjustOutput = materialOutput;

export const stockMovementsOutput = pageSchema;

export const pricingGetOutput = shopPricingSchema;

export const pricingUpdateOutput = shopPricingSchema;

export const pricingPreviewOutput = shopQuoteSchema;

const slicePreviewSchema = z
  .object({
    status: z.enum(["sliced", "pending", "failed", "unavailable"]),
    note: z.string().nullable(),
    estimated: shopQuoteSchema,
    sliced: shopQuoteSchema.nullable(),
  })
  .strict();

export const pricingSlicePreviewOutput = slicePreviewSchema;

const calibrationGroupSchema = z
  .object({
    printerId: z.string(),
    printerName: z.string(),
    materialId: z.string(),
    materialName: z.string(),
    basis: z.enum(["sliced", "estimated"]),
    jobs: z.number(),
    factor: z.number().nullable(),
    mapeBefore: z.number().nullable(),
    mapeAfter: z.number().nullable(),
    gramsJobs: z.number(),
    gramsFactor: z.number().nullable(),
    gramsMapeBefore: z.number().nullable(),
    gramsMapeAfter: z.number().nullable(),
    applied: z.boolean(),
    points: z.array(
      z
        .object({
          jobNumber: z.number(),
          source: z.enum(["printer", "status_history"]),
          estimateMinutes: z.number(),
          actualMinutes: z.number(),
          estimateGrams: z.number(),
          actualGrams: z.number().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

const calibrationViewSchema = z
  .object({ enabled: z.boolean(), minJobs: z.number(), groups: z.array(calibrationGroupSchema) })
  .strict();

export const calibrationGetOutput = calibrationViewSchema;

const printerConnectionViewSchema = z
  .object({
    printerId: z.string(),
    kind: z.enum(["moonraker", "octoprint"]),
    url: z.string(),
    hasApiKey: z.boolean(),
    lastPolledAt: z.date().nullable(),
    lastOkAt: z.date().nullable(),
    lastError: z.string().nullable(),
    reports: z.number(),
    matched: z.number(),
  })
  .strict();

export const printerConnectionsOutput = z.array(printerConnectionViewSchema);
export const calibrationUpdateOutput = calibrationViewSchema;

export const widgetGetOutput = z
  .object({
    enabled: z.boolean(),
    allowedOrigins: z.array(z.string()),
    accentColor: z.string(),
    showPrices: z.boolean(),
    defaultMaterialId: z.string().nullable(),
    greeting: z.string(),
  })
  .strict();

export const widgetUpdateOutput = widgetGetOutput;

export const notificationsListOutput = z
  .object({
    items: z.array(notificationViewSchema),
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
    pageCount: z.number(),
    unread: z.number(),
  })
  .strict();

export const notificationsMarkReadOutput = z.object({ updated: z.number() }).strict();

export const smsSettingsOutput = z
  .object({
    phoneE164: z.string().nullable(),
    messagingServiceSid: z.string().nullable(),
    updatedAt: z.date().nullable(),
  })
  .strict();

const planSchema = z
  .object({
    key: z.enum(["free", "pro", "studio", "founding"]),
    name: z.string(),
    priceMinor: z.number(),
    currency: z.string(),
    limits: z
      .object({
        printers: z.number().nullable(),
        seats: z.number().nullable(),
        widget: z.boolean(),
        ai: z.boolean(),
      })
      .strict(),
  })
  .strict();

const shopPlanViewSchema = z
  .object({
    plan: planSchema,
    subscribedPlan: z.enum(["free", "pro", "studio"]).nullable(),
    status: z.enum(["active", "trialing", "past_due", "canceled", "incomplete"]).nullable(),
    trialEndsAt: z.date().nullable(),
    currentPeriodEnd: z.date().nullable(),
    graceEndsAt: z.date().nullable(),
    hasCustomer: z.boolean(),
    trialAvailable: z.boolean(),
    usage: z.object({ printers: z.number(), seats: z.number(), widget: z.boolean() }).strict(),
  })
  .strict();

export const planGetOutput = shopPlanViewSchema;
export const planRedirectOutput = z.object({ url: z.string() }).strict();
export const planTestCheckoutOutput = z
  .object({
    sessionId: z.string(),
    plan: z.enum(["free", "pro", "studio"]),
    amountMinor: z.number(),
    currency: z.string(),
    trialDays: z.number().nullable(),
    status: z.enum(["open", "complete"]),
  })
  .strict();
export const planCompleteTestCheckoutOutput = z.object({ plan: z.enum(["free", "pro", "studio"]) }).strict();
export const planTestPortalOutput = z.object({ done: z.literal(true) }).strict();

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
const maintenanceWindowSchema = z
  .object({
    id: z.string(),
    printerId: z.string(),
    printerName: z.string(),
    startsAt: z.date(),
    endsAt: z.date(),
    reason: z.string(),
  })
  .strict();
export const maintenanceWindowOutput = maintenanceWindowSchema;
export const maintenanceListOutput = z.array(maintenanceWindowSchema);
export const maintenanceRemoveOutput = z.object({ id: z.string() }).strict();

export type OutputChecks = [
  Expect<Same<z.output<typeof smsSettingsOutput>, SmsSettingsView>>,
  Expect<Same<z.output<typeof maintenanceWindowSchema>, MaintenanceWindowView>>,
  Expect<Same<z.output<typeof printerViewSchema>, PrinterView>>,
  Expect<Same<z.output<typeof stockMovementViewSchema>, StockMovementView>>,
  Expect<Same<z.output<typeof shopPricingSchema>, ShopPricing>>,
  Expect<Same<z.output<typeof shopQuoteSchema>, ShopQuote>>,
  Expect<Same<z.output<typeof slicePreviewSchema>, SlicePreview>>,
  Expect<Same<z.output<typeof calibrationViewSchema>, CalibrationView>>,
  Expect<Same<z.output<typeof printerConnectionViewSchema>, PrinterConnectionView>>,
  Expect<Same<z.output<typeof notificationViewSchema>, NotificationView>>,
  Expect<Same<z.output<typeof shopPlanViewSchema>, ShopPlanView>>,
];
