import { readPurchaseOrder } from "./po-reader.ts";
import { steerByRules } from "./steer.ts";
import { type AiBackend, type AiMeter, AiUnavailableError, type SchedulePlan } from "./types.ts";

/** The local rules' model name in the audit trail. */
export const LOCAL_RULES_MODEL = "local-rules";

/**
 * The local rules send nothing anywhere; for the audit trail they report an ESTIMATE of what a model
 * would have counted (about four characters a token of the input and the answer), marked as estimated.
 */
function meterLocally<T>(meter: AiMeter | undefined, input: unknown, answer: T): T {
  const size = (v: unknown) => Math.ceil((typeof v === "string" ? v : JSON.stringify(v)).length / 4);
  meter?.({
    model: LOCAL_RULES_MODEL,
    inputTokens: size(input),
    outputTokens: size(answer),
    estimated: true,
  });
  return answer;
}

/** A day and time in the shop's zone for the local rules' sentences: "Fri 11 Dec 17:00". */
function wallClock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** AI off: every feature says it is not configured; nothing is sent anywhere. */
export function createOffAi(): AiBackend {
  return {
    provider: "off",
    model: "none",
    extractPurchaseOrder: async () => {
      throw new AiUnavailableError("purchase-order extraction");
    },
    suggest: async () => {
      throw new AiUnavailableError("suggestions");
    },
    planSchedule: async () => {
      throw new AiUnavailableError("scheduling");
    },
    steerPlan: async () => {
      throw new AiUnavailableError("plan steering");
    },
    explainLate: async () => {
      throw new AiUnavailableError("late-job explanations");
    },
    draftReply: async () => {
      throw new AiUnavailableError("reply drafts");
    },
  };
}

/**
 * Honest local fallback for purchase orders (see po-reader.ts): it finds less than a model would, and
 * says it is "rules".
 */
export const extractPurchaseOrderByRules = readPurchaseOrder;

/**
 * Local rules: purchase orders by regular expressions and schedules by "earliest due date first on the
 * printer that frees up first". Free-text suggestions need a model, so they stay unavailable; a
 * reply draft is a plain template (labelled "rules"), steering reads a few sentence shapes (steer.ts) and a
 * late job's explanation puts the planner's own reasons into one sentence.
 */
export function createRulesAi(): AiBackend {
  return {
    provider: "rules",
    model: LOCAL_RULES_MODEL,
    extractPurchaseOrder: async (text, meter) => meterLocally(meter, text, extractPurchaseOrderByRules(text)),
    suggest: async () => {
      throw new AiUnavailableError("suggestions");
    },
    steerPlan: async (input, meter) =>
      meterLocally(meter, input, { ...steerByRules(input), source: "rules" }),
    explainLate: async (input, meter) => {
      const { job } = input;
      const explanation =
        `${job.label} is planned to finish ${wallClock(job.plannedEnd, input.timeZone)} on ${job.printerName}, ` +
        `${duration(job.lateMinutes)} after it is due (${wallClock(job.due, input.timeZone)}). ` +
        `Why: ${input.facts.join("; ")}.`;
      return meterLocally(meter, input, { explanation, source: "rules" as const });
    },
    draftReply: async (input, meter) => {
      const last = [...input.messages].reverse().find((m) => m.from === "customer");
      const asksWhen = /\b(when|where|status|ship|shipped|arrive|ready|tracking|delivery)\b/i.test(
        last?.body ?? "",
      );
      const reply = [
        "Hello,",
        "",
        "thank you for your message.",
        asksWhen
          ? `Here is where your order stands: ${input.orderSummary}. We will write again as soon as it ships.`
          : `We have read it and will come back to you shortly. For reference: ${input.orderSummary}.`,
        "",
        "Kind regards,",
        input.shopName,
      ].join("\n");
      return meterLocally(meter, input, { reply, source: "rules" as const });
    },
    planSchedule: async (input, meter) => {
      const start = Date.parse(input.startAt);
      const freeAt = new Map(
        input.printers.map((p) => [
          p.id,
          Math.max(start, p.availableFrom ? Date.parse(p.availableFrom) : start),
        ]),
      );
      const jobs = [...input.jobs].sort(
        (a, b) =>
          (a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY) -
            (b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY) ||
          (b.priority ?? 0) - (a.priority ?? 0),
      );
      const plan: SchedulePlan = { assignments: [], unassigned: [], notes: "", source: "rules" };
      let late = 0;
      for (const job of jobs) {
        const material = job.material?.toLowerCase();
        const candidates = input.printers.filter(
          (p) => !material || !p.materials || p.materials.some((m) => m.toLowerCase() === material),
        );
        const printer = candidates.sort((a, b) => freeAt.get(a.id)! - freeAt.get(b.id)!)[0];
        if (!printer) {
          plan.unassigned.push(job.id);
          continue;
        }
        const begin = freeAt.get(printer.id)!;
        const end = begin + job.durationMinutes * 60_000;
        freeAt.set(printer.id, end);
        if (job.dueAt && end > Date.parse(job.dueAt)) late++;
        plan.assignments.push({
          jobId: job.id,
          printerId: printer.id,
          startAt: new Date(begin).toISOString(),
          endAt: new Date(end).toISOString(),
        });
      }
      plan.notes =
        `Earliest due date first, each job on the compatible printer that is free first.` +
        (late ? ` ${late} job(s) finish after their due date.` : "") +
        (plan.unassigned.length
          ? ` ${plan.unassigned.length} job(s) have no printer for their material.`
          : "");
      return meterLocally(meter, input, plan);
    },
  };
}
