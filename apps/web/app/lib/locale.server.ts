/**
 * The visitor's locale for numbers, money and dates, from Accept-Language (the server and the browser
 * then format the same way, so hydration matches). Falls back to English.
 */
export function visitorLocale(request: Request): string {
  const header = request.headers.get("accept-language") ?? "";
  for (const part of header.split(",")) {
    const tag = part.split(";")[0]?.trim();
    if (!tag || tag === "*") continue;
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // not a valid language tag: try the next one
    }
  }
  return "en";
}
