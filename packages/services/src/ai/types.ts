import { z } from "zod";

/** Who a call is for: the gate decides from the organization's and the user's AI switches. */
export interface AiScope {
  organizationId: string;
  userId: string;
}

/** Supplied by the privacy work (organization- and user-level switches, restriction of processing). */
export type IsAiAllowed = (scope: AiScope) => boolean | Promise<boolean>;

/** The AI switch is off for this organization or user: nothing was sent anywhere. */
export class AiDisabledError extends Error {
  override readonly name = "AiDisabledError";
  constructor() {
    super("AI features are switched off for this organization or user");
  }
}

/** No AI provider is configured for this feature (and no honest local fallback exists). */
export class AiUnavailableError extends Error {
  override readonly name = "AiUnavailableError";
  constructor(feature: string) {
    super(`AI is not configured: ${feature} needs ANTHROPIC_API_KEY`);
  }
}

export const purchaseOrderSchema = z.object({
  poNumber: z.string().nullable(),
  customerName: z.string().nullable().describe("The person who placed the order"),
  customerCompany: z.string().nullable().describe("The company that placed the order"),
  customerEmail: z.string().nullable(),
  customerPhone: z.string().nullable().describe("The buyer's phone number as written"),
  /** ISO date (YYYY-MM-DD) the customer needs the parts by. */
  dueDate: z.string().nullable(),
  currency: z.string().nullable(),
  items: z.array(
    z.object({
      description: z.string(),
      quantity: z.number().int().positive(),
      material: z.string().nullable(),
      unitPriceMinor: z.number().int().nonnegative().nullable(),
    }),
  ),
  notes: z.string().nullable(),
  rush: z.boolean().describe("The order asks for rush, urgent or expedited handling"),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;
export interface PurchaseOrderExtraction extends PurchaseOrder {
  /** Who read it: the AI provider or the local rules (less thorough; the UI says so). */
  source: "anthropic" | "rules";
}

export const suggestInputSchema = z.object({
  task: z.enum(["customer-reply", "job-notes", "pricing-hints"]),
  /** Only what the suggestion needs: the caller chooses, the service sends exactly this. */
  context: z.string().min(1).max(20_000),
  count: z.number().int().min(1).max(5).default(3),
});
export type SuggestInput = z.input<typeof suggestInputSchema>;
export const suggestionsSchema = z.object({ suggestions: z.array(z.string().min(1)).max(5) });
export type Suggestions = z.infer<typeof suggestionsSchema>;

export const scheduleInputSchema = z.object({
  startAt: z.iso.datetime({ offset: true }),
  jobs: z
    .array(
      z.object({
        id: z.string().min(1),
        durationMinutes: z.number().int().positive(),
        dueAt: z.iso.datetime({ offset: true }).optional(),
        material: z.string().optional(),
        priority: z.number().int().min(0).max(10).optional(),
      }),
    )
    .min(1)
    .max(500),
  printers: z
    .array(
      z.object({
        id: z.string().min(1),
        materials: z.array(z.string()).optional(),
        availableFrom: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .min(1)
    .max(200),
});
export type ScheduleInput = z.input<typeof scheduleInputSchema>;
export const schedulePlanSchema = z.object({
  assignments: z.array(
    z.object({
      jobId: z.string(),
      printerId: z.string(),
      startAt: z.iso.datetime({ offset: true }),
      endAt: z.iso.datetime({ offset: true }),
    }),
  ),
  unassigned: z.array(z.string()),
  notes: z.string(),
});
export type SchedulePlan = z.infer<typeof schedulePlanSchema> & { source: "anthropic" | "rules" };

/** What a backend does, without knowing who asks: the scope never reaches a provider. */
export interface AiBackend {
  readonly provider: "anthropic" | "rules" | "off";
  extractPurchaseOrder(text: string): Promise<PurchaseOrderExtraction>;
  suggest(input: z.output<typeof suggestInputSchema>): Promise<Suggestions>;
  planSchedule(input: z.output<typeof scheduleInputSchema>): Promise<SchedulePlan>;
}

/** The AI features, each call checked against the organization's and user's switches first. */
export interface AiService {
  readonly provider: "anthropic" | "rules" | "off";
  extractPurchaseOrder(scope: AiScope, input: { text: string }): Promise<PurchaseOrderExtraction>;
  suggest(scope: AiScope, input: SuggestInput): Promise<Suggestions>;
  planSchedule(scope: AiScope, input: ScheduleInput): Promise<SchedulePlan>;
}
