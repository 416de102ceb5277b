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

// ---- Plan steering, late-job explanations and reply drafts (issue 15, req. 4 and 5) ----

const isoInstant = z.iso.datetime({ offset: true });

export const steerInputSchema = z.object({
  /** What the person typed: "do the Acme order first", "keep the Prusa XL free on Friday". */
  sentence: z.string().trim().min(3).max(500),
  jobs: z
    .array(
      z.object({
        id: z.string().min(1),
        /** "#1042 Acme brackets" */
        label: z.string().min(1).max(300),
        customer: z.string().max(200).nullable(),
        due: isoInstant.nullable(),
      }),
    )
    .max(500),
  printers: z.array(z.object({ id: z.string().min(1), name: z.string().min(1).max(200) })).max(200),
  now: isoInstant,
  /** The shop's IANA time zone: "Friday" means the shop's Friday. */
  timeZone: z.string().min(1).max(64),
  /** The shop's coming calendar days (from today), so nobody has to work out time zones. */
  days: z
    .array(
      z.object({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        weekday: z.string().min(1),
        start: isoInstant,
        end: isoInstant,
      }),
    )
    .min(1)
    .max(60),
});
export type SteerInput = z.input<typeof steerInputSchema>;

/** A planner constraint as the AI proposes it (times as ISO instants), with why in plain words. */
export const steeredConstraintSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("first"),
    jobIds: z.array(z.string()).min(1).max(50),
    explanation: z.string().min(1).max(500),
  }),
  z.object({
    kind: z.literal("keep_free"),
    printerId: z.string(),
    from: isoInstant,
    to: isoInstant,
    explanation: z.string().min(1).max(500),
  }),
  z.object({
    kind: z.literal("not_before"),
    jobId: z.string(),
    at: isoInstant,
    explanation: z.string().min(1).max(500),
  }),
  z.object({
    kind: z.literal("on_printer"),
    jobId: z.string(),
    printerId: z.string(),
    explanation: z.string().min(1).max(500),
  }),
]);
export type SteeredConstraint = z.infer<typeof steeredConstraintSchema>;
export const steerAnswerSchema = z.object({
  constraints: z.array(steeredConstraintSchema).max(20),
  /** Anything the sentence asked for that is not a constraint the planner knows, in plain words. */
  notUnderstood: z.array(z.string()).max(10),
});
export interface SteerResult {
  constraints: SteeredConstraint[];
  /** Plain-words messages: what was not understood, or dropped for naming an unknown job or printer. */
  messages: string[];
  source: "anthropic" | "rules";
}

export const explainLateInputSchema = z.object({
  job: z.object({
    label: z.string().min(1).max(300),
    due: isoInstant,
    plannedEnd: isoInstant,
    lateMinutes: z.number().int().positive(),
    printerName: z.string().min(1).max(200),
  }),
  /** The planner's own reasons (its `lateBecause` and the work ahead of the job), never customer data. */
  facts: z.array(z.string().min(1).max(500)).min(1).max(20),
  timeZone: z.string().min(1).max(64),
});
export type ExplainLateInput = z.input<typeof explainLateInputSchema>;
export const explanationSchema = z.object({ explanation: z.string().min(1).max(2000) });
export interface LateExplanation {
  explanation: string;
  source: "anthropic" | "rules";
}

export const draftReplyInputSchema = z.object({
  shopName: z.string().min(1).max(200),
  /** What was ordered and where it stands, as the shop sees it ("2 items, paid, in production"). */
  orderSummary: z.string().min(1).max(2000),
  /** The thread, oldest first; the last customer message is the one to answer. */
  messages: z
    .array(z.object({ from: z.enum(["customer", "shop"]), body: z.string().min(1).max(5000) }))
    .min(1)
    .max(20),
});
export type DraftReplyInput = z.input<typeof draftReplyInputSchema>;
export const replyDraftSchema = z.object({ reply: z.string().min(1).max(4000) });
export interface ReplyDraft {
  reply: string;
  source: "anthropic" | "rules";
}

// ---- The audit trail (issue 15, req. 6) ----

/** Which AI feature made a request; the audit trail and the workspace page name it. */
export type AiFeature =
  | "purchase_order_intake"
  | "suggestions"
  | "schedule"
  | "plan_steering"
  | "late_explanation"
  | "reply_draft";

/** What one request cost: the provider's own counts, or the local rules' estimate (characters / 4). */
export interface AiUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
}
/** A backend reports each request's usage here (also when the answer then fails validation). */
export type AiMeter = (usage: AiUsage) => void;

/** One row of the audit trail: who, when, which feature, the kinds of data sent (never the content). */
export interface AiRequestRecord {
  organizationId: string;
  userId: string;
  at: Date;
  feature: AiFeature;
  dataKinds: string[];
  provider: "anthropic" | "rules" | "off";
  model: string;
  inputTokens: number;
  outputTokens: number;
  tokensEstimated: boolean;
  outcome: "ok" | "error";
  /** The error's name ("ProviderError", "AiUnavailableError"), never its message. */
  errorKind: string | null;
}
export type AiRequestRecorder = (record: AiRequestRecord) => Promise<void>;

/**
 * What a backend does, without knowing who asks: the scope never reaches a provider. Each method reports
 * the request's usage to the meter the gate passes, for the audit trail.
 */
export interface AiBackend {
  readonly provider: "anthropic" | "rules" | "off";
  /** The model the backend asks ("local-rules" for the stand-in, "none" when off). */
  readonly model: string;
  extractPurchaseOrder(text: string, meter?: AiMeter): Promise<PurchaseOrderExtraction>;
  suggest(input: z.output<typeof suggestInputSchema>, meter?: AiMeter): Promise<Suggestions>;
  planSchedule(input: z.output<typeof scheduleInputSchema>, meter?: AiMeter): Promise<SchedulePlan>;
  steerPlan(input: z.output<typeof steerInputSchema>, meter?: AiMeter): Promise<SteerResult>;
  explainLate(input: z.output<typeof explainLateInputSchema>, meter?: AiMeter): Promise<LateExplanation>;
  draftReply(input: z.output<typeof draftReplyInputSchema>, meter?: AiMeter): Promise<ReplyDraft>;
}

/** The AI features, each call checked against the organization's and user's switches first. */
export interface AiService {
  readonly provider: "anthropic" | "rules" | "off";
  extractPurchaseOrder(scope: AiScope, input: { text: string }): Promise<PurchaseOrderExtraction>;
  suggest(scope: AiScope, input: SuggestInput): Promise<Suggestions>;
  planSchedule(scope: AiScope, input: ScheduleInput): Promise<SchedulePlan>;
  /** A sentence → planner constraints to show the user (nothing is planned or saved). */
  steerPlan(scope: AiScope, input: SteerInput): Promise<SteerResult>;
  /** The planner's facts about a late job → a plain-words explanation. */
  explainLate(scope: AiScope, input: ExplainLateInput): Promise<LateExplanation>;
  /** A customer thread → an editable draft reply (the person sends or dismisses it). */
  draftReply(scope: AiScope, input: DraftReplyInput): Promise<ReplyDraft>;
}
