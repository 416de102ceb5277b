import { readPurchaseOrder } from "./po-reader.ts";
import { type AiBackend, AiUnavailableError, type SchedulePlan } from "./types.ts";

/** AI off: every feature says it is not configured; nothing is sent anywhere. */
export function createOffAi(): AiBackend {
  return {
    provider: "off",
    extractPurchaseOrder: async () => {
      throw new AiUnavailableError("purchase-order extraction");
    },
    suggest: async () => {
      throw new AiUnavailableError("suggestions");
    },
    planSchedule: async () => {
      throw new AiUnavailableError("scheduling");
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
 * printer that frees up first". Free-text suggestions need a model, so they stay unavailable.
 */
export function createRulesAi(): AiBackend {
  return {
    provider: "rules",
    extractPurchaseOrder: async (text) => extractPurchaseOrderByRules(text),
    suggest: async () => {
      throw new AiUnavailableError("suggestions");
    },
    planSchedule: async (input) => {
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
      return plan;
    },
  };
}
