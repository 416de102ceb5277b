import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../kernel/index.ts";
import { badRequest } from "../kernel/index.ts";
import type { DashboardInput } from "./schemas.ts";

export type Bucket = "day" | "week";

/** One day or week (UTC) of the platform's activity. */
export interface DashboardPeriod {
  /** The period's first day, YYYY-MM-DD (UTC; weeks start on Monday). */
  start: string;
  /** Accounts created. */
  signups: number;
  /** Shops that got a marketplace quote or a paid order. */
  activeShops: number;
  /** Marketplace quotes given. */
  quotes: number;
  /** Orders whose payment landed. */
  orders: number;
  /** Orders per quote in basis points (10000 = every quote became an order); null without quotes. */
  conversionBps: number | null;
  /** Orders refunded (in full or in part): each counted once in the period of its refund. */
  refunds: number;
  /** Disputes opened. */
  disputes: number;
}

/** Money in one currency's minor units for one period. */
export interface DashboardMoneyPeriod {
  start: string;
  /** Total of the orders whose payment landed (goods, shipping and tax). */
  grossMinor: number;
  /** What the platform kept of them. */
  feesMinor: number;
  /** Every refund that went through: the console's, and those Stripe reported (a shop's cancellation, its dashboard). */
  refundedMinor: number;
}

export interface DashboardCurrency {
  currency: string;
  periods: DashboardMoneyPeriod[];
  totals: { grossMinor: number; feesMinor: number; refundedMinor: number };
}

export interface Dashboard {
  bucket: Bucket;
  from: string;
  to: string;
  periods: DashboardPeriod[];
  /** Over the whole range (active shops counted once each). */
  totals: Omit<DashboardPeriod, "start">;
  /** One entry per currency that had any money in the range (amounts never add across currencies). */
  money: DashboardCurrency[];
}

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The first day (UTC midnight) of the period holding `date`. */
function periodStart(date: Date, bucket: Bucket): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  if (bucket === "day") return day;
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY);
}

/** Every period from the one holding `from` to the one holding `to`, in order. */
export function periodStarts(from: Date, to: Date, bucket: Bucket): string[] {
  const step = bucket === "day" ? DAY : 7 * DAY;
  const out: string[] = [];
  for (let t = periodStart(from, bucket).getTime(); t <= to.getTime(); t += step) out.push(iso(new Date(t)));
  return out;
}

type Row = { start: string; n: number };

/**
 * The figures of the admin dashboard, each a SQL aggregate grouped by UTC day or ISO week between
 * `from` and `to` (inclusive days). Money stays per currency. Empty periods are present with zeros.
 */
export async function platformDashboard(db: Executor, input: DashboardInput, now: Date): Promise<Dashboard> {
  const to = input.to ? new Date(`${input.to}T00:00:00Z`) : periodStart(now, "day");
  const from = input.from ? new Date(`${input.from}T00:00:00Z`) : new Date(to.getTime() - 29 * DAY);
  if (from > to) throw badRequest("The start is after the end", { from: "The start is after the end" });
  if (to.getTime() - from.getTime() > 400 * DAY) {
    throw badRequest("Choose at most 400 days", { from: "Choose at most 400 days" });
  }
  const bucket = input.bucket;
  const lo = periodStart(from, bucket);
  const hi = new Date(to.getTime() + DAY);
  const period = (column: RawBuilder<unknown>) =>
    sql<string>`to_char(date_trunc(${sql.lit(bucket)}, ${column} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const inRange = (column: RawBuilder<unknown>) => sql`${column} >= ${lo} and ${column} < ${hi}`;
  const countBy = async (query: RawBuilder<Row>) => {
    const rows = (await query.execute(db)).rows;
    return new Map(rows.map((r) => [r.start, Number(r.n)]));
  };

  const col = (name: string) => sql.ref(name);
  const [signups, quotes, orders, refunds, disputes, activeShops, activeTotal, money, refunded] =
    await Promise.all([
      countBy(sql<Row>`select ${period(col("created_at"))} as start, count(*)::int as n from "user"
        where ${inRange(col("created_at"))} group by 1`),
      countBy(sql<Row>`select ${period(col("created_at"))} as start, count(*)::int as n
        from marketplace_quote where ${inRange(col("created_at"))} group by 1`),
      countBy(sql<Row>`select ${period(col("paid_at"))} as start, count(*)::int as n
        from marketplace_order where ${inRange(col("paid_at"))} group by 1`),
      countBy(sql<Row>`select ${period(col("created_at"))} as start, count(distinct order_id)::int as n
        from order_event where status in ('refunded', 'partially_refunded', 'refunded_payment')
        and ${inRange(col("created_at"))} group by 1`),
      countBy(sql<Row>`select ${period(col("created_at"))} as start, count(*)::int as n
        from payment_dispute where ${inRange(col("created_at"))} group by 1`),
      countBy(sql<Row>`select start, count(distinct organization_id)::int as n from (
          select ${period(col("created_at"))} as start, organization_id from marketplace_quote
            where ${inRange(col("created_at"))}
          union all
          select ${period(col("paid_at"))} as start, organization_id from marketplace_order
            where ${inRange(col("paid_at"))}
        ) a group by start`),
      sql<{ n: number }>`select count(distinct organization_id)::int as n from (
          select organization_id from marketplace_quote where ${inRange(col("created_at"))}
          union all
          select organization_id from marketplace_order where ${inRange(col("paid_at"))}
        ) a`.execute(db),
      sql<{ start: string; currency: string; gross: number; fees: number }>`
        select ${period(col("paid_at"))} as start, lower(currency) as currency,
          sum(total_minor)::bigint as gross, sum(platform_fee_minor)::bigint as fees
        from marketplace_order where ${inRange(col("paid_at"))} group by 1, 2`.execute(db),
      sql<{ start: string; currency: string; amount: number }>`
        select ${period(col("settled_at"))} as start, lower(currency) as currency,
          sum(amount_minor)::bigint as amount
        from order_refund where status = 'succeeded' and ${inRange(col("settled_at"))} group by 1, 2`.execute(
        db,
      ),
    ]);

  const starts = periodStarts(from, to, bucket);
  const periods = starts.map((start) => {
    const q = quotes.get(start) ?? 0;
    const o = orders.get(start) ?? 0;
    return {
      start,
      signups: signups.get(start) ?? 0,
      activeShops: activeShops.get(start) ?? 0,
      quotes: q,
      orders: o,
      conversionBps: conversion(o, q),
      refunds: refunds.get(start) ?? 0,
      disputes: disputes.get(start) ?? 0,
    };
  });
  const sum = (key: "signups" | "quotes" | "orders" | "refunds" | "disputes") =>
    periods.reduce((s, p) => s + p[key], 0);

  const currencies = new Map<string, Map<string, DashboardMoneyPeriod>>();
  const slot = (currency: string, start: string) => {
    let byStart = currencies.get(currency);
    if (!byStart) {
      byStart = new Map(starts.map((s) => [s, { start: s, grossMinor: 0, feesMinor: 0, refundedMinor: 0 }]));
      currencies.set(currency, byStart);
    }
    return byStart.get(start);
  };
  for (const r of money.rows) {
    const s = slot(r.currency, r.start);
    if (s) {
      s.grossMinor = Number(r.gross);
      s.feesMinor = Number(r.fees);
    }
  }
  for (const r of refunded.rows) {
    const s = slot(r.currency, r.start);
    if (s) s.refundedMinor = Number(r.amount);
  }
  const moneyOut = [...currencies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, byStart]) => {
      const list = [...byStart.values()];
      return {
        currency,
        periods: list,
        totals: {
          grossMinor: list.reduce((s, p) => s + p.grossMinor, 0),
          feesMinor: list.reduce((s, p) => s + p.feesMinor, 0),
          refundedMinor: list.reduce((s, p) => s + p.refundedMinor, 0),
        },
      };
    });

  return {
    bucket,
    from: iso(from),
    to: iso(to),
    periods,
    totals: {
      signups: sum("signups"),
      activeShops: Number(activeTotal.rows[0]?.n ?? 0),
      quotes: sum("quotes"),
      orders: sum("orders"),
      conversionBps: conversion(sum("orders"), sum("quotes")),
      refunds: sum("refunds"),
      disputes: sum("disputes"),
    },
    money: moneyOut,
  };
}

function conversion(orders: number, quotes: number): number | null {
  return quotes === 0 ? null : Math.round((orders * 10_000) / quotes);
}

/** Shops on paid plans now and the monthly recurring revenue they bring (issue 16, req. 9). */
export interface PlanRevenue {
  /** Shops with a live subscription (active, trialing, or past due within its grace period). */
  subscribers: number;
  trialing: number;
  pastDue: number;
  byPlan: { plan: string; shops: number }[];
  /** Per currency: what active and past-due subscriptions bill a month (trials bill nothing yet). */
  mrr: { currency: string; amountMinor: number }[];
}

/** The subscribers and monthly recurring revenue, each a SQL aggregate over the shops' subscriptions. */
export async function planRevenue(db: Executor): Promise<PlanRevenue> {
  const live = sql`stripe_subscription_id is not null and status in ('active', 'trialing', 'past_due')`;
  const [counts, byPlan, mrr] = await Promise.all([
    sql<{ subscribers: number; trialing: number; late: number }>`
      select count(*)::int as subscribers,
        count(*) filter (where status = 'trialing')::int as trialing,
        count(*) filter (where status = 'past_due')::int as late
      from shop_subscription where ${live}`.execute(db),
    sql<{ plan: string; shops: number }>`
      select plan, count(*)::int as shops from shop_subscription where ${live} group by plan order by plan`.execute(
      db,
    ),
    sql<{ currency: string; amount: number }>`
      select lower(currency) as currency, sum(amount_minor)::bigint as amount from shop_subscription
      where stripe_subscription_id is not null and status in ('active', 'past_due')
      group by 1 order by 1`.execute(db),
  ]);
  const c = counts.rows[0];
  return {
    subscribers: Number(c?.subscribers ?? 0),
    trialing: Number(c?.trialing ?? 0),
    pastDue: Number(c?.late ?? 0),
    byPlan: byPlan.rows.map((r) => ({ plan: r.plan, shops: Number(r.shops) })),
    mrr: mrr.rows.map((r) => ({ currency: r.currency, amountMinor: Number(r.amount) })),
  };
}
