import type { ShippingOption } from "@ktizo/db";

/**
 * Shipping zones (issue 5, req. 1): each of a shop's shipping options lists the countries it delivers
 * to (ISO 3166-1 alpha-2). An option without a list delivers in the shop's own country only (pickup,
 * domestic post), so shops that never set zones keep shipping where they are.
 */
export function optionDeliversTo(option: ShippingOption, shopCountry: string, country: string): boolean {
  const target = country.toUpperCase();
  const zones = option.countries ?? [];
  return zones.length > 0 ? zones.includes(target) : shopCountry.toUpperCase() === target;
}

/** Every country at least one of the shop's options delivers to, sorted. */
export function shipsTo(options: readonly ShippingOption[], shopCountry: string): string[] {
  const all = new Set<string>();
  for (const o of options) {
    const zones = o.countries ?? [];
    if (zones.length === 0) all.add(shopCountry.toUpperCase());
    for (const c of zones) all.add(c.toUpperCase());
  }
  return [...all].sort();
}
