import type { ShopPlanKey, ShopSubscriptionStatus } from "@ktizo/db";
import { sql } from "kysely";
import {
  type EffectivePlanKey,
  isPlanKey,
  PLAN_GRACE_DAYS,
  PLANS,
  type Plan,
  type PlanLimits,
} from "../browser-safe/plans.ts";
import { type Executor, preconditionFailed } from "../kernel/index.ts";
import type { PendingEmail } from "./notifications.ts";
import { recordNotification } from "./notifications.ts";

/**
 * A shop's plan billed by the platform (issue 16, req. 9): which plan's limits hold now, what the shop
 * uses of them, the limits enforced by the procedures that would pass them, and Stripe's subscription
 * and invoice events applied to the shop's `shop_subscription` row.
 */

const DAY_MS = 86_400_000;

export interface ShopPlanView {
  /** The plan whose limits hold now (a lapsed or cancelled subscription falls back to Free). */
  plan: Plan;
  /** The plan the shop subscribed to (null: none, on Free or a founding shop). */
  subscribedPlan: ShopPlanKey | null;
  status: ShopSubscriptionStatus | null;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  /** A payment failed: the paid plan holds until this moment, then the shop is on Free. */
  graceEndsAt: Date | null;
  /** The shop has a Stripe customer (it can open the customer portal). */
  hasCustomer: boolean;
  /** The shop never subscribed before (a paid plan starts with a trial). */
  trialAvailable: boolean;
  usage: { printers: number; seats: number; widget: boolean };
}

interface SubscriptionRow {
  plan: ShopPlanKey;
  status: ShopSubscriptionStatus;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  trialEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  graceEndsAt: Date | null;
}

/** Which plan's limits hold for a subscription row at `now` (no row: a founding shop). */
export function effectivePlan(row: SubscriptionRow | undefined, now: Date): EffectivePlanKey {
  if (!row) return "founding";
  switch (row.status) {
    case "active":
    case "trialing":
      return row.plan;
    case "past_due":
      return row.graceEndsAt && row.graceEndsAt.getTime() > now.getTime() ? row.plan : "free";
    default:
      return "free";
  }
}

async function subscriptionRow(db: Executor, organizationId: string): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom("shopSubscription")
    .select([
      "plan",
      "status",
      "stripeCustomerId",
      "stripeSubscriptionId",
      "trialEndsAt",
      "currentPeriodEnd",
      "graceEndsAt",
    ])
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
}

/** The limits that hold for the shop now. */
export async function planLimits(db: Executor, organizationId: string, now: Date): Promise<Plan> {
  return PLANS[effectivePlan(await subscriptionRow(db, organizationId), now)];
}

async function usage(db: Executor, organizationId: string, now: Date) {
  const [printers, seats, widget] = await Promise.all([
    db
      .selectFrom("printer")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("organizationId", "=", organizationId)
      .executeTakeFirstOrThrow(),
    sql<{ n: number }>`select (select count(*) from member where organization_id = ${organizationId})
        + (select count(*) from invitation where organization_id = ${organizationId}
           and status = 'pending' and expires_at > ${now}) as n`.execute(db),
    db
      .selectFrom("shopSettings")
      .select(sql<boolean>`coalesce((widget->>'enabled')::boolean, false)`.as("on"))
      .where("organizationId", "=", organizationId)
      .executeTakeFirst(),
  ]);
  return { printers: Number(printers.n), seats: Number(seats.rows[0]?.n ?? 0), widget: widget?.on === true };
}

/** The shop's plan, subscription and usage, as its plan page shows them. */
export async function shopPlan(db: Executor, organizationId: string, now: Date): Promise<ShopPlanView> {
  const row = await subscriptionRow(db, organizationId);
  return {
    plan: PLANS[effectivePlan(row, now)],
    subscribedPlan: row && row.status !== "canceled" && row.stripeSubscriptionId ? row.plan : null,
    status: row?.status ?? null,
    trialEndsAt: row?.trialEndsAt ?? null,
    currentPeriodEnd: row?.currentPeriodEnd ?? null,
    graceEndsAt: row?.status === "past_due" ? row.graceEndsAt : null,
    hasCustomer: Boolean(row?.stripeCustomerId),
    trialAvailable: !row?.stripeSubscriptionId,
    usage: await usage(db, organizationId, now),
  };
}

export type PlanLimit = "printer" | "seat" | "widget" | "ai";

const UPGRADE = "Choose a larger plan on the Plan page of your workspace.";

/**
 * Refuses (PRECONDITION_FAILED, with a message the page shows) what the shop's plan does not allow:
 * one more printer or seat past the limit, switching the widget on, AI features. Call it in the
 * transaction that adds the thing, after locking what the count reads (the caller's lock).
 */
export async function enforcePlanLimit(
  db: Executor,
  organizationId: string,
  limit: PlanLimit,
  now: Date,
): Promise<void> {
  const plan = await planLimits(db, organizationId, now);
  const limits: PlanLimits = plan.limits;
  if (limit === "widget" && !limits.widget) {
    throw preconditionFailed(`The quote widget is not part of the ${plan.name} plan. ${UPGRADE}`);
  }
  if (limit === "ai" && !limits.ai) {
    throw preconditionFailed(`AI features are not part of the ${plan.name} plan. ${UPGRADE}`);
  }
  if (limit === "printer" || limit === "seat") {
    const max = limit === "printer" ? limits.printers : limits.seats;
    if (max === null) return;
    const used = await usage(db, organizationId, now);
    const count = limit === "printer" ? used.printers : used.seats;
    if (count >= max) {
      const what = limit === "printer" ? `${max} printer${max === 1 ? "" : "s"}` : `${max} team members`;
      throw preconditionFailed(`The ${plan.name} plan allows ${what}. ${UPGRADE}`);
    }
  }
}

/** New shops start on Free (in the transaction that creates the organization). */
export async function startOnFreePlan(db: Executor, organizationId: string): Promise<void> {
  await db
    .insertInto("shopSubscription")
    .values({ organizationId, plan: "free", status: "active" })
    .onConflict((oc) => oc.column("organizationId").doNothing())
    .execute();
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const unix = (v: unknown): Date | null => (typeof v === "number" && v > 0 ? new Date(v * 1000) : null);
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});

function stripeStatus(status: unknown): ShopSubscriptionStatus {
  switch (status) {
    case "active":
    case "trialing":
    case "past_due":
    case "canceled":
      return status;
    case "unpaid":
      return "past_due";
    case "paused":
      return "canceled";
    default:
      return "incomplete";
  }
}

/** The subscription's first price: our plan (its lookup key, else the subscription's metadata), amount. */
function priceOf(sub: Obj) {
  const items = obj(sub.items).data;
  const first = obj(Array.isArray(items) ? items[0] : undefined);
  const price = obj(first.price);
  const metadataPlan = obj(sub.metadata).plan;
  const plan = isPlanKey(price.lookup_key) ? price.lookup_key : isPlanKey(metadataPlan) ? metadataPlan : null;
  const amount = typeof price.unit_amount === "number" ? price.unit_amount : null;
  const periodEnd = unix(sub.current_period_end) ?? unix(first.current_period_end);
  return { plan, amount, currency: str(price.currency), periodEnd };
}

async function organizationFor(
  trx: Executor,
  object: Obj,
  subscriptionId: string | null,
): Promise<string | null> {
  const fromMetadata = str(obj(object.metadata).organizationId);
  if (fromMetadata) {
    const org = await trx
      .selectFrom("organization")
      .select("id")
      .where("id", "=", fromMetadata)
      .executeTakeFirst();
    if (org) return org.id;
  }
  const customer = str(object.customer);
  const row = await trx
    .selectFrom("shopSubscription")
    .select("organizationId")
    .where((eb) =>
      eb.or([
        ...(subscriptionId ? [eb("stripeSubscriptionId", "=", subscriptionId)] : []),
        ...(customer ? [eb("stripeCustomerId", "=", customer)] : []),
      ]),
    )
    .executeTakeFirst();
  return row?.organizationId ?? null;
}

export interface PlanEventResult {
  outcome: "applied" | "ignored";
  /** Service emails to send after commit (a failed payment). */
  emails: PendingEmail[];
}

const IGNORED: PlanEventResult = { outcome: "ignored", emails: [] };

/** The subscription id an invoice belongs to (older and newer Stripe API shapes). */
function invoiceSubscription(invoice: Obj): string | null {
  return (
    str(invoice.subscription) ??
    str(obj(obj(invoice.parent).subscription_details).subscription) ??
    str(obj(invoice.subscription).id)
  );
}

/**
 * Applies one verified subscription or invoice event to the shop's plan. Called inside the webhook's
 * processed-event transaction, so each event takes effect once. `customer.subscription.*` set the plan,
 * status, period and trial as Stripe has them (deleted: back to Free); `invoice.payment_failed` opens
 * the grace period (the paid plan holds for PLAN_GRACE_DAYS) and emails the owners and admins once per
 * failure; `invoice.paid` closes it.
 */
export async function applyPlanEvent(
  trx: Executor,
  event: { id: string; type: string; created: Date; data: Obj },
  now: Date,
): Promise<PlanEventResult> {
  const object = event.data;
  if (event.type.startsWith("customer.subscription.")) {
    const subscriptionId = str(object.id);
    const organizationId = await organizationFor(trx, object, subscriptionId);
    if (!organizationId || !subscriptionId) return IGNORED;
    const price = priceOf(object);
    const deleted = event.type === "customer.subscription.deleted";
    const status = deleted ? "canceled" : stripeStatus(object.status);
    const plan: ShopPlanKey = deleted ? "free" : (price.plan ?? "free");
    const values = {
      plan,
      status,
      stripeCustomerId: str(object.customer),
      stripeSubscriptionId: subscriptionId,
      amountMinor: deleted ? 0 : (price.amount ?? PLANS[plan].priceMinor),
      currency: price.currency ?? PLANS[plan].currency,
      currentPeriodEnd: price.periodEnd,
      trialEndsAt: unix(object.trial_end),
      stripeEventCreatedAt: event.created,
      updatedAt: now,
      ...(status === "past_due" ? {} : { paymentFailedAt: null, graceEndsAt: null }),
    };
    // Stripe does not promise the order of its events: a subscription event older than the one the row
    // already reflects changes nothing (conditional in the database, so two deliveries cannot race).
    const written = await trx
      .insertInto("shopSubscription")
      .values({ organizationId, createdAt: now, ...values })
      .onConflict((oc) =>
        oc
          .column("organizationId")
          .doUpdateSet(values)
          .where((eb) =>
            eb.or([
              eb("shopSubscription.stripeEventCreatedAt", "is", null),
              eb("shopSubscription.stripeEventCreatedAt", "<=", event.created),
            ]),
          ),
      )
      .returning("organizationId")
      .executeTakeFirst();
    return written ? { outcome: "applied", emails: [] } : IGNORED;
  }
  if (event.type === "invoice.paid" || event.type === "invoice.payment_failed") {
    const subscriptionId = invoiceSubscription(object);
    const organizationId = await organizationFor(trx, { customer: object.customer }, subscriptionId);
    if (!organizationId) return IGNORED;
    if (event.type === "invoice.paid") {
      await trx
        .updateTable("shopSubscription")
        .set({ status: "active", paymentFailedAt: null, graceEndsAt: null, updatedAt: now })
        .where("organizationId", "=", organizationId)
        .where("status", "in", ["past_due", "incomplete", "active"])
        .execute();
      return { outcome: "applied", emails: [] };
    }
    const graceEndsAt = new Date(now.getTime() + PLAN_GRACE_DAYS * DAY_MS);
    // The grace period starts at the first failure; a retry that fails again does not extend it.
    const row = await trx
      .updateTable("shopSubscription")
      .set({
        status: "past_due",
        paymentFailedAt: sql<Date>`coalesce(payment_failed_at, ${now})`,
        graceEndsAt: sql<Date>`coalesce(grace_ends_at, ${graceEndsAt})`,
        updatedAt: now,
      })
      .where("organizationId", "=", organizationId)
      .where("status", "!=", "canceled")
      .returning(["plan", "graceEndsAt"])
      .executeTakeFirst();
    if (!row) return IGNORED;
    const until = row.graceEndsAt ?? graceEndsAt;
    const name = PLANS[row.plan].name;
    const text =
      `The payment for your shop's ${name} plan did not go through. Your shop keeps the ${name} plan ` +
      `until ${until.toISOString().slice(0, 10)} (UTC); update your card before then in the customer portal ` +
      "(Plan page of your workspace), or the shop moves to the Free plan and its limits.";
    await recordNotification(trx, {
      organizationId,
      kind: "plan.payment_failed",
      title: `Payment for the ${name} plan failed`,
      body: text,
      link: "/org/plan",
      dedupeKey: `plan.payment_failed:${event.id}`,
    });
    return {
      outcome: "applied",
      emails: [
        {
          organizationId,
          kind: "plan.payment_failed",
          subject: `Payment for your ${name} plan failed`,
          text,
          link: "/org/plan",
        },
      ],
    };
  }
  return IGNORED;
}

/** The shop's Stripe customer, for the customer portal (null: it never subscribed). */
export async function planCustomer(db: Executor, organizationId: string): Promise<string | null> {
  return (await subscriptionRow(db, organizationId))?.stripeCustomerId ?? null;
}
