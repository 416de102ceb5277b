import type { DbHandle } from "@ktizo/db";
import { type AccessWorld, buildAccessWorld, victimSecrets, victimState } from "../shop/access-world.ts";
import { T0 } from "../shop/test-fixtures.ts";
import { createEstimate } from "./estimates.ts";
import { updateBillingSettings } from "./settings.ts";

/** The shop access world plus one of every billing object of the victim shop. */
export interface BillingAccessWorld extends AccessWorld {
  estimateId: string;
  taxRateId: string;
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
  const estimate = await createEstimate(
    db,
    actor,
    {
      jobId: w.jobId,
      discount: null,
      shippingMinor: 0,
      shippingTaxRateId: null,
      notes: "Victim estimate note",
      deposit: { kind: "percent", bps: 5000 },
      validUntil: null,
    },
    T0,
  );
  return { ...w, estimateId: estimate.id, taxRateId: settings.taxRates[0]?.id ?? "" };
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
  return [...victimSecrets(w), w.estimateId, w.taxRateId, "Victim estimate note", "Victim VAT"];
}
