/** Country and currency choices with English names, built on the server and sent to the form. */
export interface Option {
  value: string;
  label: string;
}

// Codes Intl names that are not countries (unions, pseudo-locales, "unknown"); same list as the API.
const NOT_COUNTRIES = new Set(["EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"]);
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

let countries: Option[] | null = null;
let currencies: Option[] | null = null;

export function countryOptions(): Option[] {
  if (countries) return countries;
  const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  const list: Option[] = [];
  for (const a of LETTERS) {
    for (const b of LETTERS) {
      const code = a + b;
      // Withdrawn codes (UK, DD, SU, YU, …) canonicalise to their successor and would list it twice.
      const withdrawn = Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`;
      const label = NOT_COUNTRIES.has(code) || withdrawn ? undefined : names.of(code);
      if (label && label !== code) list.push({ value: code, label });
    }
  }
  countries = list.sort((x, y) => x.label.localeCompare(y.label, "en"));
  return countries;
}

export function currencyOptions(): Option[] {
  if (currencies) return currencies;
  const names = new Intl.DisplayNames(["en"], { type: "currency", fallback: "code" });
  currencies = Intl.supportedValuesOf("currency")
    .map((code) => ({ value: code, label: `${code} · ${names.of(code) ?? code}` }))
    .sort((x, y) => x.value.localeCompare(y.value));
  return currencies;
}
