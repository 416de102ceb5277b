/** EU and EEA member states (ISO 3166-1 alpha-2), where the minimum age for an account is 16. */
const EU_EEA = new Set(
  "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split(" "),
);

export function minimumAge(country: string): 13 | 16 {
  return EU_EEA.has(country.toUpperCase()) ? 16 : 13;
}

export function isCountryCode(value: unknown): value is string {
  return typeof value === "string" && /^[A-Z]{2}$/.test(value);
}
