import type { Database } from "@ktizo/db";
import { updateBillingSettings } from "../billing/settings.ts";
import { createJob, createJobInput } from "../job/create-job.ts";
import { attachJobFile, type JobFileDeps } from "../job/files.ts";
import { analyze } from "./marketplace-fixtures.ts";
import { type ShopFixture, shopFixture, T0 } from "./shop-fixtures.ts";

/** Test helpers of the billing folder (not used by production code). */
export interface BillingShop extends ShopFixture {
  jobId: string;
  itemIds: string[];
  vatId: string;
  customerEmail: string;
}

/** A shop with a 20 % VAT rate and a quote-stage job of two priced items for a new customer. */
export async function billingShop(db: Database, name = "Billing Shop"): Promise<BillingShop> {
  const shop = await shopFixture(db, name);
  const settings = await updateBillingSettings(
    db,
    shop.actor,
    { taxRates: [{ name: "VAT 20 %", rateBps: 2000, inclusive: false }] },
    T0,
  );
  const customerEmail = `buyer-${shop.organizationId.slice(-6)}@example.test`;
  const job = await createJob(
    db,
    { send: async () => ({ id: "fixture" }) },
    shop.actor,
    createJobInput.parse({
      title: `${name} brackets`,
      newCustomer: { name: "Bea Buyer", email: customerEmail },
      status: "quote",
      items: [
        {
          description: "Bracket",
          quantity: 4,
          materialId: shop.plaId,
          unitPriceMinor: 1250,
          gramsPerUnit: 20,
        },
        { description: "Cover", quantity: 1, materialId: shop.plaId, unitPriceMinor: 3000, gramsPerUnit: 50 },
      ],
    }),
    T0,
  );
  return {
    ...shop,
    jobId: job.id,
    itemIds: job.items.map((i) => i.id),
    vatId: settings.taxRates[0]?.id ?? "",
    customerEmail,
  };
}

/** The portal token in the newest outbox email of a template (as the customer would click it). */
export async function lastPortalToken(db: Database, template: string): Promise<string> {
  const m = await db
    .selectFrom("outboxMessage")
    .select("bodyText")
    .where("template", "=", template)
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return /\/portal\/([A-Za-z0-9_-]{43})/.exec(m.bodyText ?? "")?.[1] ?? "";
}

/** A PDF proof, `fileName`, attached by the owner to the billing shop's job (not yet offered to the customer). */
export function attachTestProofFile(
  db: Database,
  storage: JobFileDeps["storage"],
  shop: BillingShop,
  fileName: string,
) {
  return attachJobFile(
    db,
    { storage, analyze },
    {
      organizationId: shop.organizationId,
      jobId: shop.jobId,
      actorUserId: shop.owner.userId,
      fileName,
      contentType: "application/pdf",
      bytes: new TextEncoder().encode("%PDF-1.4 proof"),
      kind: "proof",
    },
    new Date(),
  );
}
