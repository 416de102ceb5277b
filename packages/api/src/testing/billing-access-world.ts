import type { DbHandle } from "@ktizo/db";
import { createEstimate } from "../billing/estimates.ts";
import { createInvoice } from "../billing/invoice-drafts.ts";
import { issueInvoice } from "../billing/invoice-issuing.ts";
import { recordManualPayment } from "../billing/payments.ts";
import { addProof } from "../billing/proofs.ts";
import { sendEstimate } from "../billing/sending.ts";
import { updateBillingSettings } from "../billing/settings.ts";
import { type AccessWorld, buildAccessWorld, victimSecrets, victimState } from "./access-world.ts";
import { T0 } from "./shop-fixtures.ts";

/** The shop access world plus one of every billing object of the victim shop. */
export interface BillingAccessWorld extends AccessWorld {
  estimateId: string;
  /** An estimate the customer approved (fixture: set directly). */
  approvedEstimateId: string;
  taxRateId: string;
  draftInvoiceId: string;
  invoiceId: string;
  /** An issued invoice with a manual payment on it. */
  paidInvoiceId: string;
  paymentId: string;
  proofId: string;
  /** A portal link to the victim's estimate (as emailed to its customer). */
  portalToken: string;
}

export async function buildBillingAccessWorld(handle: DbHandle): Promise<BillingAccessWorld> {
  const w = await buildAccessWorld(handle);
  const db = handle.db;
  const actor = w.victim.actor;
  const settings = await updateBillingSettings(
    db,
    actor,
    { taxRates: [{ name: "Victim VAT", rateBps: 2000, inclusive: false }] },
    T0,
  );
  const estimateInput = {
    jobId: w.jobId,
    discount: null,
    shippingMinor: 0,
    shippingTaxRateId: null,
    notes: "Victim estimate note",
    deposit: { kind: "percent" as const, bps: 5000 },
    validUntil: null,
  };
  const estimate = await createEstimate(db, actor, estimateInput, T0);
  const invoiceInput = { jobId: w.jobId, discount: null, shippingMinor: 0, shippingTaxRateId: null };
  const approved = await createEstimate(db, actor, { ...estimateInput, notes: "" }, T0);
  await db
    .updateTable("estimate")
    .set({ status: "approved", approvedVersion: 1, approvedName: "Victim Customer", approvedAt: T0 })
    .where("id", "=", approved.id)
    .execute();
  const draft = await createInvoice(db, actor, { ...invoiceInput, notes: "Victim draft note" }, T0);
  const issued = await createInvoice(db, actor, { ...invoiceInput, notes: "Victim invoice note" }, T0);
  await issueInvoice(db, actor, { id: issued.id }, T0);
  const paid = await createInvoice(db, actor, { ...invoiceInput, notes: "" }, T0);
  await issueInvoice(db, actor, { id: paid.id }, T0);
  const payment = await recordManualPayment(
    db,
    actor,
    { invoiceId: paid.id, amountMinor: 50, method: "cash", reference: "Victim receipt" },
    T0,
  );
  const proof = await addProof(db, actor, { jobId: w.jobId, fileId: w.fileId }, T0);
  // Made now: callAs runs on the system clock, and the link must not have expired.
  const sent = await sendEstimate(db, w.services.mail, actor, { id: estimate.id }, new Date());
  return {
    ...w,
    estimateId: estimate.id,
    approvedEstimateId: approved.id,
    taxRateId: settings.taxRates[0]?.id ?? "",
    draftInvoiceId: draft.id,
    invoiceId: issued.id,
    paidInvoiceId: paid.id,
    paymentId: payment.id,
    proofId: proof.id,
    portalToken: sent.portalPath.split("/").pop() ?? "",
  };
}

const BILLING_TABLES = [
  "billingSettings",
  "billingCounter",
  "estimate",
  "estimateVersion",
  "invoice",
  "billingPayment",
  "portalToken",
] as const;

/** The victim's shop state and every billing row, to prove a refused call changed nothing. */
export async function billingVictimState(w: BillingAccessWorld): Promise<string> {
  const state: Record<string, unknown> = { shop: await victimState(w) };
  for (const t of BILLING_TABLES) {
    state[t] = await w.handle.db
      .selectFrom(t)
      .selectAll()
      .where("organizationId", "=", w.victim.organizationId)
      .execute();
  }
  return JSON.stringify(state);
}

export function billingVictimSecrets(w: BillingAccessWorld): string[] {
  return [
    ...victimSecrets(w),
    w.estimateId,
    w.approvedEstimateId,
    w.taxRateId,
    w.draftInvoiceId,
    w.invoiceId,
    w.paidInvoiceId,
    w.paymentId,
    w.proofId,
    w.portalToken,
    "Victim receipt",
    "Victim estimate note",
    "Victim VAT",
    "Victim draft note",
    "Victim invoice note",
  ];
}
