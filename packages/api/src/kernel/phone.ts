import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js";
import type { Executor } from "./executor.ts";

/**
 * The one place phone numbers are normalised (issue 13): what a person typed ("07911 123456",
 * "+44 7911 123456", "(503) 555-0142") becomes E.164 ("+447911123456") when it is a valid number, parsed
 * and validated with libphonenumber-js. A number without a "+" is read in the shop's country when given.
 * Everything that stores or matches a phone (customers, the shop's SMS number, inbound texts) uses this.
 */
export function toE164(input: string | null | undefined, defaultCountry?: string | null): string | null {
  if (typeof input !== "string") return null;
  const text = input.trim();
  if (text === "" || text.length > 40) return null;
  const country =
    defaultCountry && isSupportedCountry(defaultCountry.toUpperCase())
      ? (defaultCountry.toUpperCase() as CountryCode)
      : undefined;
  const parsed = parsePhoneNumberFromString(text, country ? { defaultCountry: country } : undefined);
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

/** The shop's country (its profile), used to read numbers typed without a country code. */
export async function shopCountry(db: Executor, organizationId: string): Promise<string | null> {
  const row = await db
    .selectFrom("organizationProfile")
    .select("country")
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return row?.country ?? null;
}
