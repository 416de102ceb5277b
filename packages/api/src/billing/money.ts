/**
 * Money as billing documents print it (PDF, email, CSV). The only place billing formats amounts, so it
 * can move to the shared money module in one edit. Minor units follow the currency's own digits
 * (JPY has none, USD and EUR two).
 */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** 123456, "USD" → "$1,234.56"; 1500, "JPY" → "¥1,500". */
export function formatAmount(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 10 ** digits);
  } catch {
    return `${plainAmount(minor, currency)} ${currency}`;
  }
}

/** 123456, "USD" → "1234.56" (CSV and accounting exports: no symbol, no grouping, "." decimals). */
export function plainAmount(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const base = 10 ** digits;
  return `${sign}${Math.floor(abs / base)}.${String(abs % base).padStart(digits, "0")}`;
}
