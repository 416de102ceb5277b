import { formatMoney } from "../browser-safe/money.ts";

/**
 * Billing documents (PDF, emails, the payment page) print amounts the same way for every reader: in the
 * one money module's format, currency digits included, in US English.
 */
const DOCUMENT_LOCALE = "en-US";

/** 123456, "USD" → "$1,234.56"; 1500, "JPY" → "¥1,500". */
export function formatAmount(minor: number, currency: string): string {
  return formatMoney(minor, currency, DOCUMENT_LOCALE);
}
