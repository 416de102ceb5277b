import { z } from "zod";
import type { LineItemView } from "./items.ts";
import type { BoardColumn, JobCard, JobDetail } from "./jobs.ts";
import { jobPrioritySchema } from "./jobs.ts";
import { jobStatusSchema } from "./status.ts";

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
  z.object({
    status: jobStatusSchema,
    label: z.string(),
    count: z.number().int().min(0),
    jobs: z.array(jobCardSchema),
  }),
) satisfies z.ZodType<BoardColumn[]>;

export const jobListOutput = z.object({
  items: z.array(jobCardSchema),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  pageCount: z.number().int().min(1),
});

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
      sizeMm: z.object({ x: z.number(), y: z.number(), z: z.number() }).nullable(),
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
