import {
  type AiBackend,
  AiUnavailableError,
  type PurchaseOrderExtraction,
  type SchedulePlan,
} from "./types.ts";

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

const MATERIALS =
  /\b(PLA\+?|PETG|ABS|ASA|TPU|nylon|PA ?12|PA ?6|PC|resin|carbon[- ]fibre|carbon[- ]fiber)\b/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const PO_NUMBER =
  /\b(?:P\.?O\.?|purchase\s+order)\s*(?:#|no\.?|number|nr\.?)?\s*[:-]?\s*([A-Z0-9][A-Z0-9/-]{2,})/i;
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const DMY_DATE = /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/;
const DUE_LINE = /\b(due|deliver(?:y|ed)?|needed|required|by|before|deadline)\b/i;
const CURRENCIES: Array<[RegExp, string]> = [
  [/€|\bEUR\b/i, "EUR"],
  [/£|\bGBP\b/i, "GBP"],
  [/\bUSD\b|US\$|\$/i, "USD"],
  [/\bCHF\b/i, "CHF"],
];
/** "10 x Bracket", "10 pcs Bracket", "- 3 units of Gear" */
const QTY_FIRST = /^\s*(?:[-*•]\s*)?(\d{1,6})\s*(?:x|×|pcs?\.?|pieces?|units?|qty\.?)\s+(?:of\s+)?(.+?)\s*$/i;
/** "Bracket x 10", "Bracket - qty: 10", "Bracket, quantity 10" */
const QTY_LAST = /^\s*(?:[-*•]\s*)?(.+?)\s*(?:[-,:]\s*)?(?:x|×|qty\.?:?|quantity:?)\s*(\d{1,6})\b.*$/i;
const PRICE =
  /(?:(?:€|£|\$|EUR|GBP|USD)\s*(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s*(?:€|£|\$|EUR|GBP|USD))\s*(?:each|ea\.?|per\s+(?:piece|unit|pc)|\/\s*(?:pc|unit))?/i;

function isoDate(text: string): string | null {
  const iso = ISO_DATE.exec(text);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const dmy = DMY_DATE.exec(text);
  if (dmy) return `${dmy[3]}-${dmy[2]!.padStart(2, "0")}-${dmy[1]!.padStart(2, "0")}`;
  return null;
}

function toMinor(amount: string): number {
  return Math.round(Number(amount.replace(",", ".")) * 100);
}

/**
 * Honest local fallback for purchase orders: regular expressions for the common shapes (quantity lines,
 * emails, PO numbers, dates, currencies). It finds less than a model would, and says it is "rules".
 */
export function extractPurchaseOrderByRules(text: string): PurchaseOrderExtraction {
  const lines = text.split(/\r?\n/);
  const items: PurchaseOrderExtraction["items"] = [];
  for (const line of lines) {
    if (PO_NUMBER.test(line) || EMAIL.test(line)) continue;
    const first = QTY_FIRST.exec(line);
    const last = first ? null : QTY_LAST.exec(line);
    const quantity = first ? Number(first[1]) : last ? Number(last[2]) : 0;
    const rawDescription = first ? first[2]! : last ? last[1]! : "";
    if (quantity <= 0 || rawDescription.trim() === "") continue;
    const price = PRICE.exec(rawDescription);
    const description = rawDescription
      .replace(PRICE, "")
      .replace(/\s*[@,;-]\s*$/, "")
      .trim();
    items.push({
      description,
      quantity,
      material: MATERIALS.exec(line)?.[1] ?? null,
      unitPriceMinor: price ? toMinor(price[1] ?? price[2] ?? "0") : null,
    });
  }
  const dueLine = lines.find((line) => DUE_LINE.test(line) && isoDate(line) !== null);
  return {
    poNumber: PO_NUMBER.exec(text)?.[1] ?? null,
    customerName: null,
    customerEmail: EMAIL.exec(text)?.[0]?.toLowerCase() ?? null,
    dueDate: isoDate(dueLine ?? text),
    currency: CURRENCIES.find(([pattern]) => pattern.test(text))?.[1] ?? null,
    items,
    notes: null,
    source: "rules",
  };
}

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
