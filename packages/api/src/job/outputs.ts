import { MODEL_UNITS } from "@ktizo/quote";
import { z } from "zod";
import { TECHNOLOGIES } from "../browser-safe/job-status.ts";
import type { Expect, Same } from "../outputs.ts";
import { pageOf, postalAddressFields, storedJson } from "../outputs.ts";
import type { ConversationEntry } from "./conversation.ts";
import type { CustomerDetail, CustomerView } from "./customers.ts";
import type { JobFileView } from "./files.ts";
import { jobFileKindSchema } from "./files.ts";
import type { LineItemView } from "./items.ts";
import type { JobDetail } from "./job-detail.ts";
import { jobPrioritySchema } from "./job-fields.ts";
import type { BoardColumn, JobCard } from "./job-lists.ts";
import type { JobNoteView } from "./notes.ts";
import type { ScheduleConflict, TimelineEntry } from "./schedule.ts";
import type { StatusChangeResult } from "./status.ts";
import { jobStatusSchema } from "./status.ts";
import type {
  JobSuggestions,
  PriceCheck,
  PrinterMaterialSuggestion,
  StockForecast,
  SuggestionResponse,
} from "./suggestions.ts";
import type { MessageTemplateView } from "./templates.ts";

/**
 * What the job router's board, list and line-item procedures answer, validated on the way out (tRPC
 * `.output`): a card or item that does not match is a server error, never a malformed answer.
 */
export const jobCardSchema = z
  .object({
    id: z.string(),
    number: z.number().int().positive(),
    title: z.string(),
    status: jobStatusSchema,
    priority: jobPrioritySchema,
    rush: z.boolean(),
    source: z.enum(["manual", "walk_in", "phone", "email", "marketplace", "widget"]),
    dueAt: z.date().nullable(),
    overdue: z.boolean(),
    customerId: z.string(),
    customerName: z.string(),
    printerId: z.string().nullable(),
    printerName: z.string().nullable(),
    scheduledStartAt: z.date().nullable(),
    scheduledEndAt: z.date().nullable(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    totalMinor: z.number().int().min(0),
    itemCount: z.number().int().min(0),
    nextStatuses: z.array(jobStatusSchema),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .strict() satisfies z.ZodType<JobCard>;

export const boardOutput = z.array(
  z
    .object({
      status: jobStatusSchema,
      label: z.string(),
      count: z.number().int().min(0),
      jobs: z.array(jobCardSchema),
    })
    .strict(),
) satisfies z.ZodType<BoardColumn[]>;

export const jobListOutput = z
  .object({
    items: z.array(jobCardSchema),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    pageCount: z.number().int().min(1),
  })
  .strict();

export const lineItemsOutput = z.array(
  z
    .object({
      id: z.string(),
      position: z.number().int().min(0),
      description: z.string(),
      fileId: z.string().nullable(),
      fileName: z.string().nullable(),
      quantity: z.number().int().min(1),
      materialId: z.string().nullable(),
      materialName: z.string().nullable(),
      color: z.string().nullable(),
      unitPriceMinor: z.number().int().min(0),
      totalMinor: z.number().int().min(0),
      gramsPerUnit: z.number().int().min(0),
      minutesPerUnit: z.number().int().min(0),
      sizeMm: z.object({ x: z.number(), y: z.number(), z: z.number() }).strict().nullable(),
      scale: z
        .object({ unit: z.enum(MODEL_UNITS), percent: z.number() })
        .strict()
        .nullable(),
    })
    .strict(),
) satisfies z.ZodType<LineItemView[]>;

const lineItemOutput = lineItemsOutput.element;

export const jobDetailOutput = z
  .object({
    id: z.string(),
    number: z.number().int().positive(),
    title: z.string(),
    status: jobStatusSchema,
    statusLabel: z.string(),
    nextStatuses: z.array(jobStatusSchema),
    heldFromStatus: jobStatusSchema.nullable(),
    priority: jobPrioritySchema,
    rush: z.boolean(),
    source: z.enum(["manual", "walk_in", "phone", "email", "marketplace", "widget"]),
    orderId: z.string().nullable(),
    dueAt: z.date().nullable(),
    overdue: z.boolean(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    totalMinor: z.number().int().min(0),
    stockState: z.enum(["none", "reserved", "consumed"]),
    customer: z
      .object({
        id: z.string(),
        name: z.string(),
        company: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
      })
      .strict(),
    printer: z.object({ id: z.string(), name: z.string() }).strict().nullable(),
    scheduledStartAt: z.date().nullable(),
    scheduledEndAt: z.date().nullable(),
    items: z.array(lineItemOutput),
    notes: z.array(
      z
        .object({
          id: z.string(),
          body: z.string(),
          authorUserId: z.string().nullable(),
          authorName: z.string().nullable(),
          createdAt: z.date(),
        })
        .strict(),
    ),
    files: z.array(
      z
        .object({
          id: z.string(),
          kind: z.string(),
          fileName: z.string(),
          contentType: z.string(),
          sizeBytes: z.number().int().min(0),
          analysis: z.record(z.string(), z.unknown()).nullable(),
          uploadedBy: z.string().nullable(),
          sharedWithCustomer: z.boolean(),
          createdAt: z.date(),
        })
        .strict(),
    ),
    history: z.array(
      z
        .object({
          id: z.string(),
          fromStatus: jobStatusSchema.nullable(),
          toStatus: jobStatusSchema,
          actorUserId: z.string().nullable(),
          actorName: z.string().nullable(),
          note: z.string().nullable(),
          createdAt: z.date(),
        })
        .strict(),
    ),
    statusChangedAt: z.date(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .strict() satisfies z.ZodType<JobDetail>;

const statusChangeResultSchema = z
  .object({ jobId: z.string(), from: jobStatusSchema, to: jobStatusSchema, changedAt: z.date() })
  .strict();

const customerAddressSchema = storedJson(z.object({ label: z.string(), ...postalAddressFields }).strict());

const customerViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    company: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    phoneE164: z.string().nullable(),
    notifyChannel: z.enum(["email", "sms", "both", "none"]),
    smsConsentAt: z.date().nullable(),
    smsConsentSource: z.enum(["staff", "customer"]).nullable(),
    addresses: z.array(customerAddressSchema),
    notes: z.string(),
    userId: z.string().nullable(),
    jobCount: z.number(),
    lastJobAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .strict();

const pageSchema = pageOf(customerViewSchema);

const customerDetailSchema = customerViewSchema.extend({
  jobs: z.array(
    z
      .object({
        id: z.string(),
        number: z.number(),
        title: z.string(),
        status: z.string(),
        totalMinor: z.number(),
        currency: z.string(),
        dueAt: z.date().nullable(),
        createdAt: z.date(),
      })
      .strict(),
  ),
});

const jobNoteViewSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    body: z.string(),
    authorUserId: z.string().nullable(),
    createdAt: z.date(),
  })
  .strict();

const jobFileViewSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    kind: jobFileKindSchema,
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number(),
    analysis: z.record(z.string(), z.unknown()).nullable(),
    uploadedBy: z.string().nullable(),
    sharedWithCustomer: z.boolean(),
    createdAt: z.date(),
  })
  .strict();

const scheduleConflictSchema = z
  .object({
    kind: z.enum([
      "overlap",
      "printer_maintenance",
      "printer_offline",
      "out_of_stock",
      "does_not_fit",
      "material_not_supported",
      "past_due",
    ]),
    message: z.string(),
    jobId: z.string().optional(),
    materialId: z.string().optional(),
  })
  .strict();

const timelineEntrySchema = z
  .object({
    jobId: z.string(),
    number: z.number(),
    title: z.string(),
    status: jobStatusSchema,
    priority: z.string(),
    customerName: z.string(),
    startAt: z.date(),
    endAt: z.date(),
    durationMinutes: z.number(),
    dueAt: z.date().nullable(),
    conflicts: z.array(scheduleConflictSchema),
  })
  .strict();

export const changeStatusOutput = statusChangeResultSchema;

export const exportCsvOutput = z.object({ fileName: z.string(), csv: z.string(), rows: z.number() }).strict();

export const customersListOutput = pageSchema;

export const customersGetOutput = customerDetailSchema;

export const customersCreateOutput = customerDetailSchema;

export const customersUpdateOutput = customerDetailSchema;

export const customersDeleteOutput = z.object({ id: z.string() }).strict();

export const customersExportCsvOutput = exportCsvOutput;

export const notesAddOutput = jobNoteViewSchema;

export const notesDeleteOutput = z.object({ id: z.string() }).strict();

export const filesListOutput = z.array(jobFileViewSchema);

export const filesDeleteOutput = z.object({ id: z.string() }).strict();

export const filesShareOutput = z.object({ id: z.string(), sharedWithCustomer: z.boolean() }).strict();

export const scheduleTimelineOutput = z
  .object({
    from: z.date(),
    to: z.date(),
    lanes: z.array(
      z
        .object({
          printer: z
            .object({
              id: z.string(),
              name: z.string(),
              status: z.enum(["available", "maintenance", "offline"]),
              technology: z.enum(TECHNOLOGIES),
              buildVolumeMm: z.object({ x: z.number(), y: z.number(), z: z.number() }).strict(),
            })
            .strict(),
          entries: z.array(timelineEntrySchema),
          /** Planned maintenance (issue 15), shown on the lane. */
          maintenance: z.array(
            z.object({ id: z.string(), startAt: z.date(), endAt: z.date(), reason: z.string() }).strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

export const scheduleCheckOutput = z
  .object({
    conflicts: z.array(scheduleConflictSchema),
    endAt: z.date(),
    durationMinutes: z.number(),
    jobId: z.string(),
    printerId: z.string(),
    startAt: z.date(),
  })
  .strict();

export const scheduleSetOutput = scheduleCheckOutput;

export const scheduleClearOutput = z.object({ jobId: z.string() }).strict();

const conversationEntrySchema = z
  .object({
    id: z.string(),
    channel: z.enum(["portal", "email", "sms"]),
    direction: z.enum(["in", "out"]),
    authorLabel: z.string(),
    counterpart: z.string().nullable(),
    subject: z.string().nullable(),
    body: z.string(),
    status: z.string(),
    statusDetail: z.string().nullable(),
    jobId: z.string().nullable(),
    jobNumber: z.number().nullable(),
    createdAt: z.date(),
  })
  .strict();
export const conversationTimelineOutput = z
  .object({ items: z.array(conversationEntrySchema), nextCursor: z.string().nullable() })
  .strict();
export const conversationPreviewOutput = z
  .object({ body: z.string(), subject: z.string().nullable(), smsSegments: z.number() })
  .strict();
export const conversationSendOutput = z
  .object({ messageId: z.string(), channel: z.enum(["portal", "email", "sms"]) })
  .strict();
export const conversationTextProofOutput = z.object({ messageId: z.string() }).strict();

const messageTemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    subject: z.string().nullable(),
    body: z.string(),
    updatedAt: z.date(),
  })
  .strict();
export const templatesListOutput = z.array(messageTemplateSchema);
export const templateOutput = messageTemplateSchema;
export const templatesDeleteOutput = z.object({ id: z.string() }).strict();

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
const printerMaterialSuggestionSchema = z
  .object({
    printerId: z.string().nullable(),
    printerName: z.string().nullable(),
    printerJobs: z.number(),
    materialId: z.string().nullable(),
    materialName: z.string().nullable(),
    materialJobs: z.number(),
    similarJobs: z.number(),
    basis: z.string(),
  })
  .strict();
const priceCheckSchema = z
  .object({
    direction: z.enum(["above", "below"]),
    totalMinor: z.number(),
    currency: z.string(),
    lowMinor: z.number(),
    highMinor: z.number(),
    medianMinor: z.number(),
    similarJobs: z.number(),
    basis: z.string(),
  })
  .strict();
export const suggestionsForJobOutput = z
  .object({
    printerMaterial: printerMaterialSuggestionSchema.nullable(),
    priceCheck: priceCheckSchema.nullable(),
  })
  .strict();
const stockForecastSchema = z
  .object({
    materialId: z.string(),
    materialName: z.string(),
    onHandG: z.number(),
    reservedG: z.number(),
    reorderThresholdG: z.number(),
    scheduledJobs: z.number(),
    scheduledG: z.number(),
    runsLowAt: z.date().nullable(),
    runsOutAt: z.date().nullable(),
    reorderG: z.number(),
    coverDays: z.number(),
    basis: z.string(),
  })
  .strict();
export const suggestionsStockOutput = z.array(stockForecastSchema);
export const suggestionsRespondOutput = z
  .object({
    outcome: z.enum(["accepted", "dismissed"]),
    applied: z.string().nullable(),
    printerId: z.string().nullable(),
  })
  .strict();

export type OutputChecks = [
  Expect<Same<z.output<typeof conversationEntrySchema>, ConversationEntry>>,
  Expect<Same<z.output<typeof messageTemplateSchema>, MessageTemplateView>>,
  Expect<Same<z.output<typeof printerMaterialSuggestionSchema>, PrinterMaterialSuggestion>>,
  Expect<Same<z.output<typeof priceCheckSchema>, PriceCheck>>,
  Expect<Same<z.output<typeof suggestionsForJobOutput>, JobSuggestions>>,
  Expect<Same<z.output<typeof stockForecastSchema>, StockForecast>>,
  Expect<Same<z.output<typeof suggestionsRespondOutput>, SuggestionResponse>>,
  Expect<Same<z.output<typeof statusChangeResultSchema>, StatusChangeResult>>,
  Expect<Same<z.output<typeof customerViewSchema>, CustomerView>>,
  Expect<Same<z.output<typeof customerDetailSchema>, CustomerDetail>>,
  Expect<Same<z.output<typeof jobNoteViewSchema>, JobNoteView>>,
  Expect<Same<z.output<typeof jobFileViewSchema>, JobFileView>>,
  Expect<Same<z.output<typeof scheduleConflictSchema>, ScheduleConflict>>,
  Expect<Same<z.output<typeof timelineEntrySchema>, TimelineEntry>>,
];
