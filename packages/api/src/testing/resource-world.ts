import type { Database } from "@ktizo/db";
import type { Clock, Services } from "@ktizo/services";
import { createEstimate } from "../billing/estimates.ts";
import { createInvoice } from "../billing/invoice-drafts.ts";
import { issueInvoice } from "../billing/invoice-issuing.ts";
import { addProof } from "../billing/proofs.ts";
import { sendEstimate, sendInvoice, sendProof } from "../billing/sending.ts";
import { attachJobFile } from "../job/files.ts";
import { requestExport, runPendingExports } from "../privacy/export.ts";
import { setShopLogo } from "../shop/logo.ts";
import { insertPaidTestOrder } from "./marketplace-fixtures.ts";

/** A 1×1 PNG: a valid image for a logo and a proof. */
const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  ),
);

/** What every secret file of the world contains: a refused request's answer must never show it. */
export const RESOURCE_SECRET = "the victim's file";

/**
 * One real object of every kind a resource route serves, owned by the victim shop or its customer, made
 * through the domain entries (the web app's resource-access test runs each route's refusal against them,
 * so NOT_FOUND is proven for an object that exists, and each route's allowed caller gets it).
 */
export interface ResourceWorld {
  victimJobId: string;
  /** A text file of the job, shared with the order's customer. */
  victimFileId: string;
  /** The customer's paid order at the victim shop, for the job. */
  victimOrderId: string;
  /** The customer's message on that order, with an attachment. */
  victimMessageId: string;
  /** An issued invoice of the victim shop. */
  victimInvoiceId: string;
  /** A portal link to an estimate (neither an invoice nor a proof) of the victim shop, as emailed. */
  estimateToken: string;
  /** A portal link to the issued invoice. */
  invoiceToken: string;
  /** A portal link to a proof of the victim shop. */
  proofToken: string;
  /** A ready privacy export of the customer. */
  victimExportId: string;
  /** The victim shop's logo path (`/logos/<id>`). */
  logoPath: string;
}

export async function buildResourceWorld(
  db: Database,
  services: Pick<Services, "storage" | "mail">,
  clock: Clock,
  victim: { organizationId: string; ownerUserId: string },
  customer: { userId: string; name: string; email: string },
): Promise<ResourceWorld> {
  const now = clock.now();
  const actor = { organizationId: victim.organizationId, userId: victim.ownerUserId };
  const job = await db
    .selectFrom("job")
    .innerJoin("customer", "customer.id", "job.customerId")
    .select("job.id")
    .where("job.organizationId", "=", victim.organizationId)
    .where("customer.email", "is not", null)
    .orderBy("job.id")
    .executeTakeFirstOrThrow();
  const deps = {
    storage: services.storage,
    analyze: async () => {
      throw new Error("no model in this world");
    },
  };
  const fileOf = (fileName: string, contentType: string, bytes: Uint8Array, kind: "other" | "proof") =>
    attachJobFile(
      db,
      deps,
      {
        organizationId: victim.organizationId,
        jobId: job.id,
        actorUserId: victim.ownerUserId,
        fileName,
        contentType,
        bytes,
        kind,
        shared: true,
      },
      now,
    );
  const file = await fileOf("secret.txt", "text/plain", new TextEncoder().encode(RESOURCE_SECRET), "other");
  const proofFile = await fileOf("proof.png", "image/png", PNG, "proof");

  const attachment = await services.storage.put({
    bytes: new TextEncoder().encode(RESOURCE_SECRET),
    contentType: "text/plain",
    fileName: "note.txt",
  });
  const orderId = await insertPaidTestOrder(db, victim.organizationId, customer, "See the attached note", {
    key: attachment.key,
    name: "note.txt",
    type: "text/plain",
  });
  await db.updateTable("marketplaceOrder").set({ jobId: job.id }).where("id", "=", orderId).execute();
  const message = await db
    .selectFrom("orderMessage")
    .select("id")
    .where("orderId", "=", orderId)
    .executeTakeFirstOrThrow();

  const documentInput = { jobId: job.id, discount: null, shippingMinor: 0, shippingTaxRateId: null };
  const invoice = await createInvoice(db, actor, { ...documentInput, notes: "" }, now);
  await issueInvoice(db, actor, { id: invoice.id }, now);
  const sentInvoice = await sendInvoice(db, services, actor, { id: invoice.id }, now);
  const estimate = await createEstimate(
    db,
    actor,
    { ...documentInput, notes: "", deposit: null, validUntil: null },
    now,
  );
  const sentEstimate = await sendEstimate(db, services.mail, actor, { id: estimate.id }, now);
  const proof = await addProof(db, actor, { jobId: job.id, fileId: proofFile.id }, now);
  const sentProof = await sendProof(db, services.mail, actor, { id: proof.id }, now);

  const exportRequest = await requestExport(db, clock, customer.userId);
  await runPendingExports(db, { storage: services.storage, clock });

  const logo = await setShopLogo(
    db,
    services.storage,
    {
      organizationId: victim.organizationId,
      actorUserId: victim.ownerUserId,
      fileName: "logo.png",
      bytes: PNG,
    },
    now,
  );
  const tokenOf = (path: string) => path.split("/").pop() ?? "";
  return {
    victimJobId: job.id,
    victimFileId: file.id,
    victimOrderId: orderId,
    victimMessageId: message.id,
    victimInvoiceId: invoice.id,
    estimateToken: tokenOf(sentEstimate.portalPath),
    invoiceToken: tokenOf(sentInvoice.portalPath),
    proofToken: tokenOf(sentProof.portalPath),
    victimExportId: exportRequest.id,
    logoPath: logo.logo,
  };
}
