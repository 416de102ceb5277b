/**
 * Formatting for the shop widget, in the visitor's locale (the server passes the same locale down). Money
 * comes from `@ktizo/api/shared` like everywhere else.
 */

/** A length in millimetres, one decimal, grouped as the locale groups numbers. */
export function formatMm(n: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)} mm`;
}

export function formatCm3(mm3: number, locale: string): string {
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(mm3 / 1000)} cm³`;
}

/** Relative luminance of a #rrggbb color (WCAG 2). */
function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Text color on the shop's accent color: whichever of white or near-black reads better. */
export function textOn(accent: string): "#ffffff" | "#0f172a" {
  return contrastRatio(accent, "#ffffff") >= contrastRatio(accent, "#0f172a") ? "#ffffff" : "#0f172a";
}
