import { z } from "zod";
import type { LineItemView } from "./items.ts";
import type { BoardColumn, JobCard } from "./jobs.ts";
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
