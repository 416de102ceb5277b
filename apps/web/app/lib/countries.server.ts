import { minimumAge } from "@ktizo/auth";
import { countryOptions } from "@ktizo/ui";

/** Countries with the minimum age for an account there, so the sign-up label can follow the choice. */
export function countriesWithMinimumAge() {
  return countryOptions().map((c) => ({ ...c, minimumAge: minimumAge(c.value) }));
}

/** A first guess at the visitor's country from Accept-Language ("de-AT" → AT), or "". */
export function guessCountry(request: Request): string {
  const match = /^[a-z]{2,3}-([A-Z]{2})\b/.exec(request.headers.get("accept-language") ?? "");
  return match?.[1] ?? "";
}
