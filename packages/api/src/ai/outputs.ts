import { z } from "zod";
import type { Page } from "../kernel/index.ts";
import type { Expect, Same } from "../outputs.ts";
import type { AiActivityItem } from "./activity.ts";
import type { DraftJob, DraftJobItem } from "./intake.ts";

/**
 * What the ai router's procedures answer, validated on the way out (tRPC `.output`, strict: a field
 * the schema does not name is refused, so no column reaches the browser by accident). The resolvers'
 * return types must fit these (tRPC checks it at compile time); root.test.ts fails for a procedure
 * without one.
 */

const draftJobItemSchema = z
  .object({
    description: z.string(),
    quantity: z.number(),
    material: z.string().nullable(),
    materialId: z.string().nullable(),
    unitPriceMinor: z.number().nullable(),
  })
  .strict();

const draftJobSchema = z
  .object({
    title: z.string(),
    poNumber: z.string().nullable(),
    customer: z
      .object({
        name: z.string().nullable(),
        company: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        existingCustomerId: z.string().nullable(),
      })
      .strict(),
    dueDate: z.string().nullable(),
    currency: z.string().nullable(),
    items: z.array(draftJobItemSchema),
    notes: z.string().nullable(),
    rush: z.boolean(),
    source: z.enum(["anthropic", "rules"]),
  })
  .strict();

export const intakePurchaseOrderOutput = draftJobSchema;

const aiActivityItemSchema = z
  .object({
    id: z.string(),
    at: z.date(),
    feature: z.string(),
    featureLabel: z.string(),
    userName: z.string().nullable(),
    organizationName: z.string(),
    dataKinds: z.array(z.string()),
    provider: z.string(),
    model: z.string(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    tokensEstimated: z.boolean(),
    outcome: z.enum(["ok", "error"]),
  })
  .strict();

export const aiActivityOutput = z
  .object({
    items: z.array(aiActivityItemSchema),
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
    pageCount: z.number(),
  })
  .strict();

export const aiAvailableOutput = z
  .object({ available: z.boolean(), provider: z.enum(["anthropic", "rules", "off"]) })
  .strict();

/** Compile-time: each schema answers exactly its domain type, so a field added there fails here. */
export type OutputChecks = [
  Expect<Same<z.output<typeof draftJobItemSchema>, DraftJobItem>>,
  Expect<Same<z.output<typeof draftJobSchema>, DraftJob>>,
  Expect<Same<z.output<typeof aiActivityOutput>, Page<AiActivityItem>>>,
];
