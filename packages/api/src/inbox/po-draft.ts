import type { Database } from "@ktizo/db";
import {
  type AiService,
  AiUnavailableError,
  amountToMinor,
  extractPdfText,
  extractPurchaseOrderByRules,
  type GoogleAccountRef,
  type GoogleService,
} from "@ktizo/services";
import { z } from "zod";
import { type DraftJob, intakePurchaseOrder } from "../ai/intake.ts";
import { convertMinor, formatMoney } from "../browser-safe/money.ts";
import { createJobInput } from "../job/create-job.ts";
import { DomainError, notFound } from "../kernel/index.ts";
import { google } from "./google-errors.ts";
import { gmailIdSchema } from "./threads.ts";

export const draftFromMessageInput = z
  .object({ threadId: gmailIdSchema, messageId: gmailIdSchema, attachmentId: gmailIdSchema.optional() })
  .strict();

/** Where a field of the draft came from: the line of the purchase order that says it, or null (check it). */
export interface Evidence {
  field: string;
  value: string;
  source: string | null;
}

/** One arithmetic check: ok true/false, or null when the purchase order does not state the figure. */
export interface ArithmeticCheck {
  label: string;
  ok: boolean | null;
  detail: string;
}

/** A purchase order's prices converted to the shop's currency at a reference rate (issue 20's rates). */
export interface CurrencyConversion {
  from: string;
  to: string;
  /** Units of `to` per unit of `from`. */
  rate: number;
  /** The day the rate was published. */
  rateDate: string;
  /** Each item's unit price in `to` (null where the order states none). */
  unitPricesMinor: Array<number | null>;
}

/** The reference rate between two currencies, injected (the rates live in the marketplace domain). */
export type RateLookup = (from: string, to: string) => Promise<{ rate: number; rateDate: string } | null>;

export type DraftFromMessage =
  | { readable: false; message: string; from: "pdf" | "text" }
  | {
      readable: true;
      from: "pdf" | "text";
      draft: DraftJob;
      evidence: Evidence[];
      itemEvidence: Array<{ description: string | null; quantity: string | null; unitPrice: string | null }>;
      checks: ArithmeticCheck[];
      /** Set when the order is in another currency than the shop's and a rate is known. */
      conversion: CurrencyConversion | null;
    };

const AMOUNT =
  /(?:CA\$|A\$|NZ\$|C\$|\$|€|£|¥|CHF|SFr\.?|EUR|USD|GBP|JPY|CAD|AUD)?\s?\d{1,3}(?:[,.' ’]\d{3})*(?:[.,]\d{1,3})?(?:\s?(?:€|£|¥|EUR|CHF))?/g;
const MONEYISH = /[$€£¥]|CHF|SFr|EUR|USD|GBP|JPY|CAD|AUD|\d[.,]\d{2}\b/;

function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function findLine(lines: string[], needle: string | null | undefined): string | null {
  const wanted = needle?.trim().toLowerCase();
  if (!wanted) return null;
  const found = lines.filter((l) => l.toLowerCase().includes(wanted));
  // A labelled line ("PO Number: PO-88213") says it more plainly than a subject that mentions it.
  const labelled = found.find((l) => /^[^:]{1,40}:/.test(l) && !/^(subject|re|fwd?):/i.test(l));
  return labelled ?? found[0] ?? null;
}

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** The line that states a date, in any of the ways purchase orders write one. */
function findDateLine(lines: string[], isoDate: string | null): string | null {
  if (!isoDate) return null;
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const month = MONTH_NAMES[m - 1] ?? "";
  const pad = (n: number) => String(n).padStart(2, "0");
  const patterns = [
    isoDate,
    `${pad(d)}/${pad(m)}/${y}`,
    `${pad(m)}/${pad(d)}/${y}`,
    `${d}/${m}/${y}`,
    `${m}/${d}/${y}`,
    `${pad(d)}.${pad(m)}.${y}`,
    `${d}.${m}.${y}`,
    `${pad(d)}-${pad(m)}-${y}`,
  ].map((p) => p.toLowerCase());
  const named = new RegExp(
    `\\b(${d}(st|nd|rd|th)?\\s+(of\\s+)?${month.slice(0, 3)}[a-z]*\\.?,?\\s+${y}|${month.slice(0, 3)}[a-z]*\\.?\\s+${d}(st|nd|rd|th)?,?\\s+${y})\\b`,
    "i",
  );
  return lines.find((l) => patterns.some((p) => l.toLowerCase().includes(p)) || named.test(l)) ?? null;
}

function amountsOn(line: string, currency: string | null): number[] {
  return [...line.matchAll(AMOUNT)]
    .map((m) => m[0])
    .filter((raw) => MONEYISH.test(raw))
    .flatMap((raw) => {
      const minor = amountToMinor(raw, currency);
      return minor === null ? [] : [minor];
    });
}

/**
 * The arithmetic of the purchase order, re-done in integer minor units: each line's quantity × unit
 * price against the line total it states, and the lines against the subtotal (or total), and subtotal
 * plus shipping and tax against the total. What the purchase order does not state is not invented.
 */
export function checkArithmetic(
  text: string,
  draft: DraftJob,
  itemLines: Array<string | null>,
): ArithmeticCheck[] {
  const currency = draft.currency;
  const money = (minor: number) => (currency ? formatMoney(minor, currency, "en") : String(minor));
  const lines = linesOf(text);
  const checks: ArithmeticCheck[] = [];
  const lineTotals: number[] = [];
  draft.items.forEach((item, index) => {
    const label = `Line ${index + 1}: ${item.description}`;
    const line = itemLines[index];
    if (item.unitPriceMinor === null) {
      checks.push({ label, ok: null, detail: "No unit price stated" });
      return;
    }
    const expected = item.quantity * item.unitPriceMinor;
    const amounts = line ? amountsOn(line, currency) : [];
    const stated = amounts.length >= 2 ? amounts[amounts.length - 1] : undefined;
    if (stated === undefined) {
      lineTotals.push(expected);
      checks.push({
        label,
        ok: null,
        detail: `${item.quantity} × ${money(item.unitPriceMinor)} = ${money(expected)} (no line total stated)`,
      });
      return;
    }
    lineTotals.push(stated);
    checks.push({
      label,
      ok: stated === expected,
      detail:
        stated === expected
          ? `${item.quantity} × ${money(item.unitPriceMinor)} = ${money(expected)}`
          : `${item.quantity} × ${money(item.unitPriceMinor)} = ${money(expected)}, but the purchase order says ${money(stated)}`,
    });
  });
  const lastAmount = (pattern: RegExp) => {
    const line = [...lines].reverse().find((l) => pattern.test(l));
    const amounts = line ? amountsOn(line, currency) : [];
    return amounts.length > 0 ? (amounts[amounts.length - 1] ?? null) : null;
  };
  const subtotal = lastAmount(/\bsub-?total\b|zwischensumme/i);
  const total = lastAmount(/^(?!.*sub-?total)(?:.*\b(?:grand\s+)?total\b|.*\bgesamt|.*\bamount due\b)/i);
  const linesSum = lineTotals.reduce((a, b) => a + b, 0);
  const against = subtotal ?? total;
  if (draft.items.length > 0 && against !== null) {
    const name = subtotal !== null ? "subtotal" : "total";
    checks.push({
      label: `Lines add up to the ${name}`,
      ok: linesSum === against,
      detail:
        linesSum === against
          ? `${money(linesSum)} = ${money(against)}`
          : `The lines add up to ${money(linesSum)}, but the ${name} says ${money(against)}`,
    });
  } else {
    checks.push({ label: "Lines add up to the total", ok: null, detail: "No total stated" });
  }
  if (subtotal !== null && total !== null) {
    const extras = lines
      .filter(
        (l) =>
          /\b(shipping|freight|delivery|tax|vat|mwst|gst|hst|postage|handling)\b/i.test(l) &&
          !/sub-?total|\btotal\b/i.test(l),
      )
      .flatMap((l) => amountsOn(l, currency).slice(-1));
    const expected = subtotal + extras.reduce((a, b) => a + b, 0);
    checks.push({
      label: "Subtotal and charges add up to the total",
      ok: expected === total,
      detail:
        expected === total
          ? `${money(expected)} = ${money(total)}`
          : `Subtotal and charges make ${money(expected)}, but the total says ${money(total)}`,
    });
  }
  return checks;
}

/** Evidence for every field of the draft: the line of the purchase order it was read from. */
export function evidenceFor(text: string, draft: DraftJob) {
  const lines = linesOf(text);
  const unitPriceText = (minor: number | null) => {
    if (minor === null || !draft.currency) return null;
    const digits = formatMoney(minor, draft.currency, "en").replace(/[^\d.,]/g, "");
    return [digits, digits.replace(".", ","), digits.replace(/,/g, "")];
  };
  const itemLines = draft.items.map((item) => findLine(lines, item.description));
  const evidence: Evidence[] = [
    { field: "PO number", value: draft.poNumber ?? "", source: findLine(lines, draft.poNumber) },
    { field: "Customer", value: draft.customer.name ?? "", source: findLine(lines, draft.customer.name) },
    {
      field: "Company",
      value: draft.customer.company ?? "",
      source: findLine(lines, draft.customer.company),
    },
    { field: "Email", value: draft.customer.email ?? "", source: findLine(lines, draft.customer.email) },
    { field: "Phone", value: draft.customer.phone ?? "", source: findLine(lines, draft.customer.phone) },
    { field: "Due date", value: draft.dueDate ?? "", source: findDateLine(lines, draft.dueDate) },
    {
      field: "Currency",
      value: draft.currency ?? "",
      source: draft.currency
        ? (lines.find((l) => amountsOn(l, draft.currency).length > 0 && MONEYISH.test(l)) ?? null)
        : null,
    },
  ].filter((e) => e.value !== "");
  const itemEvidence = draft.items.map((item, index) => {
    const line = itemLines[index] ?? null;
    const candidates = unitPriceText(item.unitPriceMinor);
    const priceLine =
      line && candidates?.some((c) => line.includes(c))
        ? line
        : candidates
          ? (lines.find((l) => candidates.some((c) => c && l.includes(c))) ?? null)
          : null;
    const quantityLine = line && new RegExp(`(^|\\D)${item.quantity}(\\D|$)`).test(line) ? line : null;
    return { description: line, quantity: quantityLine, unitPrice: priceLine };
  });
  return { evidence, itemEvidence, itemLines };
}

/** The local rule-based reader as an AI service: no provider, no gate (nothing leaves the machine). */
const localReader: AiService = {
  provider: "rules",
  extractPurchaseOrder: async (_scope, { text }) => extractPurchaseOrderByRules(text),
  suggest: async () => {
    throw new AiUnavailableError("suggestions");
  },
  planSchedule: async () => {
    throw new AiUnavailableError("scheduling");
  },
  steerPlan: async () => {
    throw new AiUnavailableError("steering");
  },
  explainLate: async () => {
    throw new AiUnavailableError("explanations");
  },
  draftReply: async () => {
    throw new AiUnavailableError("reply drafts");
  },
};

/**
 * "Draft a job" on a message of the member's inbox: the purchase order's text (the PDF attachment's text
 * layer, or the message itself) goes through the AI intake, which respects the AI switches (with them
 * off, the local reader drafts and nothing reaches the provider). Nothing is saved here.
 */
export async function draftJobFromMessage(
  db: Database,
  googleService: GoogleService,
  ai: AiService,
  ref: GoogleAccountRef,
  input: z.infer<typeof draftFromMessageInput>,
  now: Date,
  rateOf: RateLookup,
): Promise<DraftFromMessage> {
  const thread = await google(() => googleService.getThread(ref, input.threadId));
  const message = thread.messages.find((m) => m.id === input.messageId);
  if (!message) throw notFound("Message not found");
  let text: string;
  let from: "pdf" | "text" = "text";
  if (input.attachmentId) {
    const attachment = message.attachments.find((a) => a.attachmentId === input.attachmentId);
    if (!attachment) throw notFound("Attachment not found");
    from = "pdf";
    const bytes = await google(() => googleService.getAttachment(ref, message.id, attachment.attachmentId));
    const result = await extractPdfText(bytes);
    if (!result.ok) return { readable: false, message: result.message, from };
    text = result.text;
  } else {
    text = [`Subject: ${message.subject}`, `From: ${message.from}`, "", message.body].join("\n");
  }
  const actor = { organizationId: ref.organizationId, userId: ref.userId };
  const input_ = { text: text.slice(0, 50_000) };
  const draft = await intakePurchaseOrder(db, ai, actor, input_, now).catch(async (error: unknown) => {
    // The AI switch is off for the shop or the member (or no provider): the local rule-based reader
    // drafts it instead, on this machine; nothing reaches an AI provider.
    if (!(error instanceof DomainError) || !["FORBIDDEN", "PRECONDITION_FAILED"].includes(error.code))
      throw error;
    return intakePurchaseOrder(db, localReader, actor, input_, now);
  });
  const { evidence, itemEvidence, itemLines } = evidenceFor(text, draft);
  return {
    readable: true,
    from,
    draft,
    evidence,
    itemEvidence,
    checks: checkArithmetic(text, draft, itemLines),
    conversion: await conversionOf(db, ref.organizationId, draft, rateOf),
  };
}

/**
 * A purchase order in another currency than the shop's: its unit prices in the shop's currency at the
 * reference rate (the job is priced in the shop's currency), rounded by the money module. Null for the
 * shop's own currency, an unknown currency, or no known rate: the draft then says so and keeps its prices.
 */
async function conversionOf(
  db: Database,
  organizationId: string,
  draft: DraftJob,
  rateOf: RateLookup,
): Promise<CurrencyConversion | null> {
  const from = draft.currency?.toUpperCase();
  const shop = await db
    .selectFrom("organizationProfile")
    .select("currency")
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  const to = shop?.currency.toUpperCase();
  if (!from || !to || from === to) return null;
  const rate = await rateOf(from, to);
  if (!rate) return null;
  return {
    from,
    to,
    rate: rate.rate,
    rateDate: rate.rateDate,
    unitPricesMinor: draft.items.map((i) =>
      i.unitPriceMinor === null ? null : convertMinor(i.unitPriceMinor, from, to, rate.rate),
    ),
  };
}

/** The confirmed draft: the new-job form's fields as the user edited them, and the thread it came from. */
export const createFromDraftInput = z.object({ threadId: gmailIdSchema, job: createJobInput }).strict();
