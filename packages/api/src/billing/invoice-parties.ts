// The seller's and the buyer's details as an issued invoice prints them.

import type { BillingParty, CustomerAddress } from "@ktizo/db";
import { conflict, type Executor } from "../kernel/index.ts";

const addressLines = (a: CustomerAddress | undefined) =>
  a
    ? [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(" "), a.region].filter(
        (v): v is string => !!v,
      )
    : [];

/** The seller's details as an invoice must print them (legal name, address, tax id, logo). */
export async function sellerOf(
  trx: Executor,
  organizationId: string,
  taxId: string | null,
): Promise<BillingParty> {
  const p = await trx
    .selectFrom("organizationProfile")
    .leftJoin("shopSettings", "shopSettings.organizationId", "organizationProfile.organizationId")
    .select([
      "companyName",
      "phone",
      "addressLine1",
      "addressLine2",
      "city",
      "postalCode",
      "region",
      "country",
      "shopSettings.logoId",
    ])
    .where("organizationProfile.organizationId", "=", organizationId)
    .executeTakeFirstOrThrow();
  return {
    name: p.companyName,
    company: null,
    addressLines: [
      p.addressLine1,
      p.addressLine2,
      [p.postalCode, p.city].filter(Boolean).join(" "),
      p.region,
    ].filter((v): v is string => !!v),
    country: p.country,
    taxId,
    phone: p.phone,
    logoId: p.logoId ?? null,
  };
}

/**
 * The buyer as the invoice must show them: name, company and billing address. No email and no phone:
 * the record keeps only what an invoice needs (the email to send it to is kept apart).
 */
export async function buyerOf(trx: Executor, customerId: string | null): Promise<BillingParty> {
  const c = customerId
    ? await trx
        .selectFrom("customer")
        .select(["name", "company", "addresses"])
        .where("id", "=", customerId)
        .executeTakeFirst()
    : undefined;
  if (!c) throw conflict("The invoice has no customer");
  const billing = c.addresses.find((a) => /bill/i.test(a.label)) ?? c.addresses[0];
  return {
    name: c.name,
    company: c.company,
    addressLines: addressLines(billing),
    country: billing?.country ?? null,
    taxId: null,
    phone: null,
  };
}
