import { type PrintTechnology, recordAudit, type ShippingOption } from "@ktizo/db";
import { z } from "zod";
import { isTimeZone } from "../browser-safe/time.ts";
import {
  conflict,
  currencySchema,
  type Executor,
  inTransaction,
  minorAmountSchema,
  notFound,
  type OrgActor,
  technologySchema,
} from "../kernel/index.ts";

/** Creates the shop's settings row when it does not exist yet (organizations are created elsewhere). */
export async function ensureShopSettings(db: Executor, organizationId: string): Promise<void> {
  await db
    .insertInto("shopSettings")
    .values({ organizationId })
    .onConflict((oc) => oc.column("organizationId").doNothing())
    .execute();
}

/** The shop's name and its pickup address on one line (null without an address in the profile). */
export async function shopPickupAddress(
  db: Executor,
  organizationId: string,
): Promise<{ name: string; pickupAddress: string | null }> {
  const shop = await db
    .selectFrom("organization as o")
    .leftJoin("organizationProfile as p", "p.organizationId", "o.id")
    .select(["o.name", "p.addressLine1", "p.addressLine2", "p.postalCode", "p.city", "p.region"])
    .where("o.id", "=", organizationId)
    .executeTakeFirstOrThrow();
  const address = [
    shop.addressLine1,
    shop.addressLine2,
    [shop.postalCode, shop.city].filter(Boolean).join(" "),
    shop.region,
  ]
    .filter((part) => part && part.trim() !== "")
    .join(", ");
  return { name: shop.name, pickupAddress: address === "" ? null : address };
}

export interface ShopProfile {
  organizationId: string;
  name: string;
  slug: string;
  /** The legal name on quotes and invoices (may differ from the shop's name). */
  companyName: string;
  description: string;
  logo: string | null;
  contactEmail: string | null;
  phone: string | null;
  address: {
    line1: string | null;
    line2: string | null;
    city: string | null;
    postalCode: string | null;
    region: string | null;
  };
  country: string;
  currency: string;
  timezone: string;
  technologies: PrintTechnology[];
  standardLeadDays: number;
  rushLeadDays: number | null;
  shippingOptions: ShippingOption[];
  listed: boolean;
  updatedAt: Date;
}

export async function getShopProfile(db: Executor, organizationId: string): Promise<ShopProfile> {
  await ensureShopSettings(db, organizationId);
  const row = await db
    .selectFrom("organization")
    .innerJoin("organizationProfile as p", "p.organizationId", "organization.id")
    .innerJoin("shopSettings as s", "s.organizationId", "organization.id")
    .select([
      "organization.id",
      "organization.name",
      "organization.slug",
      "organization.logo",
      "p.companyName",
      "p.phone",
      "p.addressLine1",
      "p.addressLine2",
      "p.city",
      "p.postalCode",
      "p.region",
      "p.country",
      "p.currency",
      "s.description",
      "s.contactEmail",
      "s.timezone",
      "s.technologies",
      "s.standardLeadDays",
      "s.rushLeadDays",
      "s.shippingOptions",
      "s.listed",
      "s.updatedAt",
    ])
    .where("organization.id", "=", organizationId)
    .executeTakeFirst();
  if (!row) throw notFound("Shop not found");
  return {
    organizationId: row.id,
    name: row.name,
    slug: row.slug,
    companyName: row.companyName,
    description: row.description,
    logo: row.logo,
    contactEmail: row.contactEmail,
    phone: row.phone,
    address: {
      line1: row.addressLine1,
      line2: row.addressLine2,
      city: row.city,
      postalCode: row.postalCode,
      region: row.region,
    },
    country: row.country,
    currency: row.currency,
    timezone: row.timezone,
    technologies: row.technologies,
    standardLeadDays: row.standardLeadDays,
    rushLeadDays: row.rushLeadDays,
    shippingOptions: row.shippingOptions,
    listed: row.listed,
    updatedAt: row.updatedAt,
  };
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long (at most ${max} characters)`)
    .transform((v) => (v === "" ? null : v))
    .nullable();

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "The URL name needs at least 3 characters")
  .max(48, "The URL name can have at most 48 characters")
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    "Use lowercase letters, digits and single hyphens (like my-print-shop)",
  );

export const shippingOptionSchema = z.object({
  name: z.string().trim().min(1, "Name the shipping option").max(80),
  priceMinor: minorAmountSchema("Shipping price"),
  days: z.number().int().min(0).max(90).nullable().default(null),
  /** Countries the option delivers to; empty: the shop's own country only (see marketplace/shipping.ts). */
  countries: z
    .array(
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2}$/, "Use two-letter country codes such as US, CA"),
    )
    .max(250)
    .transform((c) => [...new Set(c)].sort())
    .optional(),
});

export const updateShopProfileInput = z
  .object({
    name: z.string().trim().min(2, "The shop name needs at least 2 characters").max(100),
    slug: slugSchema,
    companyName: z
      .string()
      .trim()
      .min(1, "Enter the company name")
      .max(200, "The company name is too long (at most 200 characters)"),
    description: z.string().trim().max(5000, "The description is too long (at most 5000 characters)"),
    contactEmail: z.string().trim().toLowerCase().email("Not a valid email address").nullable(),
    phone: optionalText(40, "The phone number"),
    address: z.object({
      line1: optionalText(200, "Address line 1"),
      line2: optionalText(200, "Address line 2"),
      city: optionalText(100, "City"),
      postalCode: optionalText(20, "Postal code"),
      region: optionalText(100, "Region"),
    }),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as US"),
    currency: currencySchema,
    timezone: z.string().trim().refine(isTimeZone, "Not a known time zone (use a name like Europe/Berlin)"),
    technologies: z
      .array(technologySchema)
      .max(3)
      .transform((t) => [...new Set(t)]),
    standardLeadDays: z.number().int().min(1, "Lead time is at least 1 day").max(365),
    rushLeadDays: z.number().int().min(1).max(365).nullable(),
    shippingOptions: z.array(shippingOptionSchema).max(20, "At most 20 shipping options"),
    listed: z.boolean(),
  })
  .partial()
  .refine(
    (v) => v.rushLeadDays == null || v.standardLeadDays == null || v.rushLeadDays <= v.standardLeadDays,
    { message: "Rush lead time must be shorter than the standard lead time", path: ["rushLeadDays"] },
  );
export type UpdateShopProfileInput = z.infer<typeof updateShopProfileInput>;

/**
 * Updates the business profile (only the fields given); slug must be free; audited. The one way to edit a
 * shop's name, URL name, legal company name, contact details, address, country and currency.
 */
export async function updateShopProfile(
  db: Executor,
  actor: OrgActor,
  input: UpdateShopProfileInput,
  now: Date,
): Promise<ShopProfile> {
  const before = await getShopProfile(db, actor.organizationId);
  const rush = input.rushLeadDays !== undefined ? input.rushLeadDays : before.rushLeadDays;
  const standard = input.standardLeadDays ?? before.standardLeadDays;
  if (rush !== null && rush > standard) {
    throw conflict("Rush lead time must be shorter than the standard lead time", {
      rushLeadDays: "Must be shorter than the standard lead time",
    });
  }
  if (input.slug && input.slug !== before.slug) {
    const taken = await db
      .selectFrom("organization")
      .select("id")
      .where("slug", "=", input.slug)
      .where("id", "<>", actor.organizationId)
      .executeTakeFirst();
    if (taken) throw conflict("That URL name is taken", { slug: "That URL name is taken" });
  }
  const run = async (trx: Executor) => {
    const org: { name?: string; slug?: string; updatedAt: Date } = { updatedAt: now };
    if (input.name !== undefined) org.name = input.name;
    if (input.slug !== undefined) org.slug = input.slug;
    await trx.updateTable("organization").set(org).where("id", "=", actor.organizationId).execute();

    await trx
      .updateTable("organizationProfile")
      .set({
        updatedAt: now,
        ...(input.companyName !== undefined ? { companyName: input.companyName } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
        ...(input.country !== undefined ? { country: input.country } : {}),
        ...(input.currency !== undefined ? { currency: input.currency } : {}),
        ...(input.address
          ? {
              addressLine1: input.address.line1,
              addressLine2: input.address.line2,
              city: input.address.city,
              postalCode: input.address.postalCode,
              region: input.address.region,
            }
          : {}),
      })
      .where("organizationId", "=", actor.organizationId)
      .execute();

    if (input.listed === true) {
      const held = await trx
        .selectFrom("shopSettings")
        .select("moderationHoldReason")
        .where("organizationId", "=", actor.organizationId)
        .where("moderationHoldAt", "is not", null)
        .executeTakeFirst();
      if (held) {
        const why = `The Ktizo team unlisted this shop (${held.moderationHoldReason ?? "see their email"}); reply to their email to be listed again`;
        throw conflict(why, { listed: why });
      }
    }
    await trx
      .updateTable("shopSettings")
      .set({
        updatedAt: now,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.contactEmail !== undefined ? { contactEmail: input.contactEmail } : {}),
        ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
        ...(input.technologies !== undefined ? { technologies: JSON.stringify(input.technologies) } : {}),
        ...(input.standardLeadDays !== undefined ? { standardLeadDays: input.standardLeadDays } : {}),
        ...(input.rushLeadDays !== undefined ? { rushLeadDays: input.rushLeadDays } : {}),
        ...(input.shippingOptions !== undefined
          ? { shippingOptions: JSON.stringify(input.shippingOptions) }
          : {}),
        ...(input.listed !== undefined ? { listed: input.listed } : {}),
      })
      .where("organizationId", "=", actor.organizationId)
      .execute();

    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "shop.profile.updated",
      subjectType: "organization",
      subjectId: actor.organizationId,
      data: { fields: Object.keys(input) },
    });
  };
  await inTransaction(db, run);
  return getShopProfile(db, actor.organizationId);
}
