/** Tags already resolved (pages resolve theirs for every date and amount they show). */
const resolved = new Map<string, string>();

/** A locale tag the runtime accepts; anything else is worded in English rather than failing a page. */
export function safeLocale(locale: string | null | undefined): string {
  if (!locale) return "en";
  let safe = resolved.get(locale);
  if (safe === undefined) {
    try {
      safe = Intl.NumberFormat.supportedLocalesOf([locale])[0] ?? "en";
    } catch {
      safe = "en";
    }
    // Tags come from settings and headers: the memory stays bounded whatever is asked.
    if (resolved.size >= 1_000) resolved.clear();
    resolved.set(locale, safe);
  }
  return safe;
}

/**
 * The locale a shop's own texts (its emails and notifications) are worded in: English, the product's
 * language, with the number and date conventions of the shop's country ("en-DE", "en-JP"); plain English
 * for a country the runtime does not know.
 */
export function shopLocale(country: string | null | undefined): string {
  return country && /^[A-Za-z]{2}$/.test(country) ? safeLocale(`en-${country.toUpperCase()}`) : "en";
}
