import { z } from "zod";
import type { Clock } from "../clock.ts";
import { inputErrorFrom, ServiceInputError } from "../errors.ts";
import {
  type AiBackend,
  AiDisabledError,
  type AiFeature,
  type AiMeter,
  type AiRequestRecorder,
  type AiScope,
  type AiService,
  type AiUsage,
  draftReplyInputSchema,
  explainLateInputSchema,
  type IsAiAllowed,
  scheduleInputSchema,
  steerInputSchema,
  suggestInputSchema,
} from "./types.ts";

const scopeSchema = z.object({ organizationId: z.string().min(1), userId: z.string().min(1) });
const MAX_PO_TEXT = 50_000;

/** Where the gate writes its audit trail, and the clock that says when (issue 15, req. 6). */
export interface AiAudit {
  record: AiRequestRecorder;
  clock: Clock;
}

/** The kinds of data each task of `suggest` sends (the audit names kinds, never content). */
const SUGGEST_KINDS = {
  "customer-reply": ["customer_message_text"],
  "job-notes": ["job_notes"],
  "pricing-hints": ["pricing_context"],
} as const;

/**
 * Puts the privacy switches in front of a backend (P13, P28): the check runs before input is even
 * validated, and when it says no, the backend is never called, so nothing leaves the server and nothing
 * is recorded. Every call that reaches the backend is recorded once through `audit.record`: who, when,
 * which feature, the kinds of data sent, the model, token counts and the outcome.
 */
export function createGatedAi(backend: AiBackend, isAiAllowed: IsAiAllowed, audit?: AiAudit): AiService {
  async function gate(scope: AiScope): Promise<AiScope> {
    const parsed = scopeSchema.safeParse(scope);
    if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
    if ((await isAiAllowed(parsed.data)) !== true) throw new AiDisabledError();
    return parsed.data;
  }

  /** Calls the backend with a meter and records the request whatever its outcome. */
  async function recorded<T>(
    scope: AiScope,
    feature: AiFeature,
    dataKinds: string[],
    call: (meter: AiMeter) => Promise<T>,
  ): Promise<T> {
    const at = audit ? audit.clock.now() : null;
    let usage: AiUsage | null = null;
    const meter: AiMeter = (u) => {
      usage = u;
    };
    let outcome: "ok" | "error" = "ok";
    let errorKind: string | null = null;
    try {
      return await call(meter);
    } catch (error) {
      outcome = "error";
      errorKind = error instanceof Error ? error.name : "Error";
      throw error;
    } finally {
      if (audit && at) {
        const used = (usage ?? {
          model: backend.model,
          inputTokens: 0,
          outputTokens: 0,
          estimated: backend.provider !== "anthropic",
        }) as AiUsage;
        await audit.record({
          organizationId: scope.organizationId,
          userId: scope.userId,
          at,
          feature,
          dataKinds,
          provider: backend.provider,
          model: used.model,
          inputTokens: used.inputTokens,
          outputTokens: used.outputTokens,
          tokensEstimated: used.estimated,
          outcome,
          errorKind,
        });
      }
    }
  }

  function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw inputErrorFrom(parsed.error.issues);
    return parsed.data;
  }

  return {
    provider: backend.provider,
    async extractPurchaseOrder(rawScope, input) {
      const scope = await gate(rawScope);
      if (typeof input?.text !== "string" || input.text.trim() === "")
        throw new ServiceInputError("text", "must not be empty");
      if (input.text.length > MAX_PO_TEXT)
        throw new ServiceInputError("text", `must be at most ${MAX_PO_TEXT} characters`);
      return recorded(scope, "purchase_order_intake", ["purchase_order_text"], (meter) =>
        backend.extractPurchaseOrder(input.text, meter),
      );
    },
    async suggest(rawScope, input) {
      const scope = await gate(rawScope);
      const data = parse(suggestInputSchema, input);
      return recorded(scope, "suggestions", [...SUGGEST_KINDS[data.task]], (meter) =>
        backend.suggest(data, meter),
      );
    },
    async planSchedule(rawScope, input) {
      const scope = await gate(rawScope);
      const data = parse(scheduleInputSchema, input);
      const kinds = ["job_ids", "print_durations", "printer_ids"];
      if (data.jobs.some((j) => j.dueAt)) kinds.push("due_dates");
      if (data.jobs.some((j) => j.material) || data.printers.some((p) => p.materials))
        kinds.push("material_names");
      return recorded(scope, "schedule", kinds, (meter) => backend.planSchedule(data, meter));
    },
    async steerPlan(rawScope, input) {
      const scope = await gate(rawScope);
      const data = parse(steerInputSchema, input);
      const kinds = ["instruction_sentence"];
      if (data.jobs.length > 0) kinds.push("job_titles");
      if (data.jobs.some((j) => j.customer)) kinds.push("customer_names");
      if (data.jobs.some((j) => j.due)) kinds.push("due_dates");
      if (data.printers.length > 0) kinds.push("printer_names");
      kinds.push("time_zone");
      return recorded(scope, "plan_steering", kinds, (meter) => backend.steerPlan(data, meter));
    },
    async explainLate(rawScope, input) {
      const scope = await gate(rawScope);
      const data = parse(explainLateInputSchema, input);
      return recorded(
        scope,
        "late_explanation",
        ["job_title", "due_date", "planned_times", "printer_name", "planner_reasons"],
        (meter) => backend.explainLate(data, meter),
      );
    },
    async draftReply(rawScope, input) {
      const scope = await gate(rawScope);
      const data = parse(draftReplyInputSchema, input);
      const kinds = ["customer_message_text"];
      if (data.messages.some((m) => m.from === "shop")) kinds.push("shop_message_text");
      kinds.push("order_summary", "shop_name");
      return recorded(scope, "reply_draft", kinds, (meter) => backend.draftReply(data, meter));
    },
  };
}
