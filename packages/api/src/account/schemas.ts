import { z } from "zod";
import { idSchema } from "../kernel/index.ts";

/**
 * Input schemas of the account procedures, exported so the web forms validate with the same rules and
 * messages as the server.
 */

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
// Codes Intl names that are not countries: unions, pseudo-locales, "unknown".
const NOT_COUNTRIES = new Set(["EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"]);
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** A current ISO 3166 country code; withdrawn ones (UK, DD, SU, …) canonicalise to another and are refused. */
export function isCountry(code: string): boolean {
  return (
    /^[A-Z]{2}$/.test(code) &&
    !NOT_COUNTRIES.has(code) &&
    regionNames.of(code) !== undefined &&
    Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`
  );
}

export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

export const countrySchema = z
  .string({ error: "Choose a country" })
  .trim()
  .toUpperCase()
  .refine(isCountry, "Choose a country (a two-letter code such as US or DE)");

export const currencySchema = z
  .string({ error: "Choose a currency" })
  .trim()
  .toUpperCase()
  .refine(isCurrency, "Choose a currency (a three-letter code such as USD or EUR)");

export const emailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(254, "The email address is too long"));

export const personNameSchema = z
  .string({ error: "Enter your name" })
  .trim()
  .min(1, "Enter your name")
  .max(100, "The name is too long (at most 100 characters)");

/** Paths the web app uses at the top level; an organization cannot take them as its slug. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "about",
  "account",
  "admin",
  "api",
  "app",
  "assets",
  "auth",
  "blog",
  "build",
  "dashboard",
  "docs",
  "embed",
  "help",
  "invitations",
  "login",
  "logout",
  "marketplace",
  "new",
  "orders",
  "privacy",
  "pricing",
  "public",
  "quote",
  "settings",
  "shop",
  "shops",
  "sign-in",
  "sign-up",
  "signin",
  "signup",
  "static",
  "status",
  "support",
  "terms",
  "widget",
  "www",
]);

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/;

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    SLUG_PATTERN,
    "Use 3–48 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
  )
  .refine((s) => !RESERVED_SLUGS.has(s), "This address is reserved; choose another");

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long (at most ${max} characters)`)
    .nullish()
    .transform((v) => (v ? v : null));

export const organizationNameSchema = z
  .string({ error: "Name the organization" })
  .trim()
  .min(1, "Name the organization")
  .max(100, "The name is too long (at most 100 characters)");

/** The business details kept in organization_profile (used on invoices and quotes). */
export const businessDetailsSchema = z.object({
  companyName: z
    .string({ error: "Enter the company name" })
    .trim()
    .min(1, "Enter the company name")
    .max(200, "The company name is too long (at most 200 characters)"),
  phone: optionalText(40, "The phone number").refine(
    (v) => v === null || /^\+?[0-9 ()./-]{4,40}$/.test(v),
    "Enter a phone number (digits, spaces and + ( ) - . /)",
  ),
  addressLine1: optionalText(200, "Address line 1"),
  addressLine2: optionalText(200, "Address line 2"),
  city: optionalText(100, "The city"),
  postalCode: optionalText(20, "The postal code"),
  region: optionalText(100, "The region"),
  country: countrySchema,
  currency: currencySchema,
});
export type BusinessDetails = z.infer<typeof businessDetailsSchema>;

export const updateProfileInput = z.object({
  name: personNameSchema,
  country: countrySchema,
});

export const createOrganizationInput = businessDetailsSchema.extend({
  name: organizationNameSchema,
  /** Optional: generated from the name when left out. */
  slug: z.union([slugSchema, z.literal("").transform(() => undefined)]).optional(),
});

export const organizationIdInput = z.object({ organizationId: idSchema });
export const sessionIdInput = z.object({ sessionId: idSchema });
export const invitationIdInput = z.object({ invitationId: idSchema });
export const memberIdInput = z.object({ memberId: idSchema });

/** Roles an invitation can carry: ownership is granted by an owner, after joining (changeRole). */
export const invitableRoleSchema = z.enum(["admin", "member"], { error: "Choose admin or member" });
export const organizationRoleSchema = z.enum(["owner", "admin", "member"], {
  error: "Choose owner, admin or member",
});

export const inviteMemberInput = z.object({
  email: emailSchema,
  role: invitableRoleSchema.default("member"),
});

export const changeMemberRoleInput = z.object({
  memberId: idSchema,
  role: organizationRoleSchema,
});

export type UpdateProfileInput = z.infer<typeof updateProfileInput>;
export type CreateOrganizationInput = z.infer<typeof createOrganizationInput>;
export type InviteMemberInput = z.infer<typeof inviteMemberInput>;
export type ChangeMemberRoleInput = z.infer<typeof changeMemberRoleInput>;
