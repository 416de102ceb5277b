/**
 * The platform's plans for shops (issue 16, req. 9), billed by the platform through Stripe: what each
 * costs a month and what it allows. Shared by the server (limits, checkout) and every page that shows them.
 */
export const PLAN_KEYS = ["free", "pro", "studio"] as const;
export type PlanKey = (typeof PLAN_KEYS)[number];
/** "founding": shops that opened before plans existed keep every feature, unbilled. */
export type EffectivePlanKey = PlanKey | "founding";

export interface PlanLimits {
  /** Printers the shop may have (null: no limit). */
  printers: number | null;
  /** Members plus pending invitations (null: no limit). */
  seats: number | null;
  /** The quote widget on the shop's own site. */
  widget: boolean;
  /** AI features (PO intake). */
  ai: boolean;
}

export interface Plan {
  key: EffectivePlanKey;
  name: string;
  /** Per month, in `currency`'s minor units (0: free). */
  priceMinor: number;
  currency: string;
  limits: PlanLimits;
}

export const PLANS: Record<EffectivePlanKey, Plan> = {
  free: {
    key: "free",
    name: "Free",
    priceMinor: 0,
    currency: "usd",
    limits: { printers: 2, seats: 3, widget: false, ai: false },
  },
  pro: {
    key: "pro",
    name: "Pro",
    priceMinor: 2_900,
    currency: "usd",
    limits: { printers: 10, seats: 10, widget: true, ai: true },
  },
  studio: {
    key: "studio",
    name: "Studio",
    priceMinor: 9_900,
    currency: "usd",
    limits: { printers: 50, seats: 50, widget: true, ai: true },
  },
  founding: {
    key: "founding",
    name: "Founding shop",
    priceMinor: 0,
    currency: "usd",
    limits: { printers: null, seats: null, widget: true, ai: true },
  },
};

/** Days of the paid plans' trial, for a shop's first subscription. */
export const PLAN_TRIAL_DAYS = 14;
/** Days a shop keeps its paid plan after a failed payment, while it updates its card. */
export const PLAN_GRACE_DAYS = 7;

export function isPlanKey(value: unknown): value is PlanKey {
  return typeof value === "string" && (PLAN_KEYS as readonly string[]).includes(value);
}
