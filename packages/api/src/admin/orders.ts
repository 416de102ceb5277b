import { newId, type OrderStatus, recordAudit } from "@ktizo/db";
import type { Services } from "@ktizo/services";
import { sql } from "kysely";
import { formatMoney, readMoney } from "../browser-safe/money.ts";
import {
  badRequest,
  type CustomerNotifying,
  conflict,
  DomainError,
  type Executor,
  inTransaction,
  isUniqueViolation,
  likePattern,
  notFound,
  type Page,
  toPage,
} from "../kernel/index.ts";
import { notifyCustomer, orderEventLabel, recordOrderEvent } from "../marketplace/common.ts";
import { moveOrder, ORDER_FROM, refundPayment } from "../marketplace/order-state.ts";
import { emailShopManagers, recordNotification } from "../shop/notifications.ts";
import type { ListOrdersInput, RefundOrderInput } from "./schemas.ts";

export interface AdminOrderSummary {
  id: string;
  number: number;
  status: OrderStatus;
  organizationId: string;
  shopName: string;
  customerName: string;
  customerEmail: string;
  currency: string;
  totalMinor: number;
  refundedMinor: number;
  createdAt: Date;
  paidAt: Date | null;
}

/** Orders across the platform, newest first, by number, customer, shop, status and date (UTC days). */
export async function listOrders(db: Executor, input: ListOrdersInput): Promise<Page<AdminOrderSummary>> {
  let base = db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("organization as g", "g.id", "o.organizationId");
  if (input.q) {
    const q = input.q;
    const number = /^#?\d{1,9}$/.test(q) ? Number(q.replace("#", "")) : null;
    const pattern = likePattern(q);
    base = base.where((eb) =>
      eb.or([
        ...(number !== null ? [eb("o.number", "=", number)] : []),
        eb("o.customerName", "ilike", pattern),
        eb("o.customerEmail", "ilike", pattern),
        eb("o.id", "=", q),
      ]),
    );
  }
  if (input.shop) {
    const pattern = likePattern(input.shop);
    base = base.where((eb) => eb.or([eb("g.name", "ilike", pattern), eb("g.slug", "ilike", pattern)]));
  }
  if (input.status) base = base.where("o.status", "=", input.status);
  if (input.from) base = base.where("o.createdAt", ">=", new Date(`${input.from}T00:00:00Z`));
  if (input.to)
    base = base.where("o.createdAt", "<", new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000));
  const [rows, total] = await Promise.all([
    base
      .select([
        "o.id",
        "o.number",
        "o.status",
        "o.organizationId",
        "g.name as shopName",
        "o.customerName",
        "o.customerEmail",
        "o.currency",
        "o.totalMinor",
        "o.refundedMinor",
        "o.createdAt",
        "o.paidAt",
      ])
      .orderBy("o.createdAt", "desc")
      .orderBy("o.id", "desc")
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)
      .execute(),
    base.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return toPage(rows, Number(total.n), input);
}

export type TimelineKind = "order" | "message" | "job" | "refund" | "dispute" | "mismatch";

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  title: string;
  detail: string | null;
}

export interface AdminRefundView {
  id: string;
  amountMinor: number;
  reason: string;
  status: "pending" | "succeeded" | "failed";
  error: string | null;
  providerRefundId: string | null;
  actorName: string | null;
  createdAt: Date;
  settledAt: Date | null;
}

export interface AdminDisputeView {
  id: string;
  amountMinor: number;
  currency: string;
  reason: string;
  status: string;
  evidenceDueAt: Date | null;
  updatedAt: Date;
}

export interface AdminOrderView extends AdminOrderSummary {
  shopSlug: string;
  userId: string | null;
  source: "marketplace" | "widget";
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  platformFeeMinor: number;
  capturedMinor: number;
  /** What a refund may still return: captured, less refunded and refunds still being asked for. */
  refundableMinor: number;
  paymentIntentId: string | null;
  checkoutSessionId: string | null;
  connectedAccountId: string | null;
  lines: { description: string; quantity: number; totalMinor: number }[];
  job: { id: string; number: number; status: string } | null;
  refunds: AdminRefundView[];
  disputes: AdminDisputeView[];
  /** Everything that happened to the order, oldest first (messages by metadata only, never their text). */
  timeline: TimelineEntry[];
}

/** One order with its whole history, for the platform team. */
export async function getOrder(db: Executor, orderId: string): Promise<AdminOrderView> {
  const o = await db
    .selectFrom("marketplaceOrder as o")
    .innerJoin("organization as g", "g.id", "o.organizationId")
    .select([
      "o.id",
      "o.number",
      "o.status",
      "o.organizationId",
      "g.name as shopName",
      "g.slug as shopSlug",
      "o.userId",
      "o.source",
      "o.customerName",
      "o.customerEmail",
      "o.currency",
      "o.subtotalMinor",
      "o.shippingMinor",
      "o.taxMinor",
      "o.totalMinor",
      "o.platformFeeMinor",
      "o.capturedMinor",
      "o.refundedMinor",
      "o.paymentIntentId",
      "o.checkoutSessionId",
      "o.connectedAccountId",
      "o.jobId",
      "o.createdAt",
      "o.paidAt",
    ])
    .where("o.id", "=", orderId)
    .executeTakeFirst();
  if (!o) throw notFound("No such order");
  const [lines, events, messages, job, jobChanges, refunds, disputes, mismatches] = await Promise.all([
    db
      .selectFrom("orderLine")
      .select(["description", "quantity", "totalMinor"])
      .where("orderId", "=", o.id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("orderEvent")
      .select(["status", "note", "createdAt"])
      .where("orderId", "=", o.id)
      .orderBy("seq")
      .execute(),
    db
      .selectFrom("orderMessage")
      .select(["authorSide", "attachmentName", "createdAt"])
      .where("orderId", "=", o.id)
      .orderBy("seq")
      .execute(),
    o.jobId
      ? db.selectFrom("job").select(["id", "number", "status"]).where("id", "=", o.jobId).executeTakeFirst()
      : Promise.resolve(undefined),
    o.jobId
      ? db
          .selectFrom("jobStatusChange")
          .select(["fromStatus", "toStatus", "note", "createdAt"])
          .where("jobId", "=", o.jobId)
          .orderBy("createdAt")
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom("orderRefund as r")
      .leftJoin("user as u", "u.id", "r.actorUserId")
      .select([
        "r.id",
        "r.amountMinor",
        "r.reason",
        "r.status",
        "r.error",
        "r.providerRefundId",
        "u.name as actorName",
        "r.createdAt",
        "r.settledAt",
      ])
      .where("r.orderId", "=", o.id)
      .orderBy("r.createdAt")
      .execute(),
    db
      .selectFrom("paymentDispute")
      .select([
        "id",
        "amountMinor",
        "currency",
        "reason",
        "status",
        "evidenceDueAt",
        "createdAt",
        "updatedAt",
      ])
      .where("orderId", "=", o.id)
      .orderBy("createdAt")
      .execute(),
    db
      .selectFrom("paymentMismatch")
      .select(["eventType", "reason", "createdAt"])
      .where("orderId", "=", o.id)
      .execute(),
  ]);
  const pending = refunds.filter((r) => r.status === "pending").reduce((s, r) => s + r.amountMinor, 0);
  const timeline: TimelineEntry[] = [
    { at: o.createdAt, kind: "order" as const, title: "Order placed", detail: `Through the ${o.source}` },
    ...events.map((e) => ({
      at: e.createdAt,
      kind: "order" as const,
      title: orderEventLabel(e.status),
      detail: e.note,
    })),
    ...messages.map((m) => ({
      at: m.createdAt,
      kind: "message" as const,
      title: m.authorSide === "shop" ? "Message from the shop" : "Message from the customer",
      detail: m.attachmentName ? "With an attachment" : null,
    })),
    ...jobChanges.map((c) => ({
      at: c.createdAt,
      kind: "job" as const,
      title: `Job ${c.fromStatus ? `${c.fromStatus} → ` : ""}${c.toStatus}`,
      detail: c.note,
    })),
    ...refunds.map((r) => ({
      at: r.createdAt,
      kind: "refund" as const,
      title: `Refund asked by ${r.actorName ?? "an admin"} (${r.status})`,
      detail: r.error ? `${r.reason} (${r.error})` : r.reason,
    })),
    ...disputes.map((d) => ({
      at: d.createdAt,
      kind: "dispute" as const,
      title: `Dispute opened (${d.reason})`,
      detail: `Now ${d.status}`,
    })),
    ...mismatches.map((m) => ({
      at: m.createdAt,
      kind: "mismatch" as const,
      title: `Payment event not applied (${m.reason})`,
      detail: m.eventType,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const { jobId: _jobId, ...order } = o;
  return {
    ...order,
    refundableMinor: Math.max(0, o.capturedMinor - o.refundedMinor - pending),
    lines,
    job: job ?? null,
    refunds,
    disputes: disputes.map(({ createdAt: _c, ...d }) => d),
    timeline,
  };
}

export interface RefundResult {
  refundId: string;
  amountMinor: number;
  status: "pending" | "succeeded" | "failed";
  /** The order is now refunded in full. */
  full: boolean;
  /** This request had been made before: nothing was refunded again. */
  repeated: boolean;
}

type Deps = {
  services: Pick<Services, "payments" | "mail"> & CustomerNotifying;
  actorUserId: string;
  now: Date;
};

/**
 * A full or partial refund of an order's payment, with a reason, asked by a platform admin. The
 * refund row is written first under the order's row lock (what is refundable counts refunds still
 * pending, so racing refunds never exceed what was captured), then the payment provider is asked with
 * the row's id as idempotency key (the same path as every refund: refundPayment), then the order is
 * updated once (conditional on the row still pending). The same request key answers the same refund.
 * Audited; the customer and the shop are told.
 */
export async function refundOrder(db: Executor, input: RefundOrderInput, deps: Deps): Promise<RefundResult> {
  const { now, actorUserId } = deps;
  const started = await inTransaction(db, async (trx) => {
    const o = await trx
      .selectFrom("marketplaceOrder")
      .select([
        "id",
        "organizationId",
        "currency",
        "capturedMinor",
        "refundedMinor",
        "paymentIntentId",
        "checkoutSessionId",
        "connectedAccountId",
      ])
      .where("id", "=", input.orderId)
      .forUpdate()
      .executeTakeFirst();
    if (!o) throw notFound("No such order");
    const existing = await trx
      .selectFrom("orderRefund")
      .selectAll()
      .where("orderId", "=", o.id)
      .where("requestKey", "=", input.requestKey)
      .executeTakeFirst();
    if (existing) return { order: o, refund: existing, repeated: true };
    if (o.capturedMinor === 0 || (!o.paymentIntentId && !o.checkoutSessionId)) {
      throw conflict("This order has no payment to refund");
    }
    const pending = await trx
      .selectFrom("orderRefund")
      .select(sql<number>`coalesce(sum(amount_minor), 0)::int`.as("n"))
      .where("orderId", "=", o.id)
      .where("status", "=", "pending")
      .executeTakeFirstOrThrow();
    const refundable = o.capturedMinor - o.refundedMinor - Number(pending.n);
    let amount = refundable;
    if (input.mode === "partial") {
      const parsed = readMoney(input.amount, o.currency);
      if (!parsed.ok) throw badRequest(parsed.error, { amount: parsed.error });
      if (parsed.minor <= 0) throw badRequest("Refund more than zero", { amount: "Refund more than zero" });
      amount = parsed.minor;
    }
    if (refundable <= 0) throw conflict("Nothing is left to refund on this order");
    if (amount > refundable) {
      const why = "That is more than is left to refund";
      throw badRequest(why, { amount: why });
    }
    const refund = await trx
      .insertInto("orderRefund")
      .values({
        id: newId("orf"),
        orderId: o.id,
        requestKey: input.requestKey,
        amountMinor: amount,
        currency: o.currency,
        reason: input.reason,
        actorUserId,
        createdAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      organizationId: o.organizationId,
      actorUserId,
      action: "admin.order.refund_requested",
      subjectType: "order",
      subjectId: o.id,
      data: { refundId: refund.id, amountMinor: amount, currency: o.currency, reason: input.reason },
    });
    return { order: o, refund, repeated: false };
  }).catch(async (e: unknown) => {
    // Two submissions of one form at once: the loser finds the winner's row.
    if (!isUniqueViolation(e, "order_refund_request_unique")) throw e;
    return null;
  });
  if (!started) return refundOrder(db, input, deps);
  const { order, refund, repeated } = started;
  if (refund.status !== "pending") {
    return {
      refundId: refund.id,
      amountMinor: refund.amountMinor,
      status: refund.status,
      full: false,
      repeated,
    };
  }

  let providerRefundId: string;
  try {
    providerRefundId = (
      await refundPayment(deps.services.payments, order, {
        idempotencyKey: `admin-refund-${refund.id}`,
        amountMinor: refund.amountMinor,
      })
    ).refundId;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await inTransaction(db, async (trx) => {
      const failed = await trx
        .updateTable("orderRefund")
        .set({ status: "failed", error: message.slice(0, 500), settledAt: now })
        .where("id", "=", refund.id)
        .where("status", "=", "pending")
        .returning("id")
        .executeTakeFirst();
      if (failed) {
        await recordAudit(trx, {
          organizationId: order.organizationId,
          actorUserId,
          action: "admin.order.refund_failed",
          subjectType: "order",
          subjectId: order.id,
          data: { refundId: refund.id, error: message.slice(0, 500) },
        });
      }
    });
    throw new DomainError("CONFLICT", `The payment provider refused the refund: ${message}`);
  }

  const settled = await inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable("orderRefund")
      .set({ status: "succeeded", providerRefundId, settledAt: now })
      .where("id", "=", refund.id)
      .where("status", "=", "pending")
      .returning("id")
      .executeTakeFirst();
    if (!row) return null;
    const o = await trx
      .updateTable("marketplaceOrder")
      .set((eb) => ({ refundedMinor: eb("refundedMinor", "+", refund.amountMinor), updatedAt: now }))
      .where("id", "=", order.id)
      .returning([
        "id",
        "number",
        "status",
        "userId",
        "customerEmail",
        "organizationId",
        "refundedMinor",
        "capturedMinor",
      ])
      .executeTakeFirstOrThrow();
    const full = o.refundedMinor >= o.capturedMinor;
    const from = ORDER_FROM.refunded.filter((s) => s === o.status);
    if (full && from.length > 0) {
      await moveOrder(trx, o.id, from, "refunded", now, { refundId: providerRefundId });
    }
    const note = `${full ? "Refunded in full" : "Partly refunded"} by the platform: ${refund.reason}`;
    await recordOrderEvent(trx, o.id, full ? "refunded" : "partially_refunded", note, now);
    await recordAudit(trx, {
      organizationId: o.organizationId,
      actorUserId,
      action: "admin.order.refunded",
      subjectType: "order",
      subjectId: o.id,
      data: {
        refundId: refund.id,
        providerRefundId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason,
        full,
      },
    });
    await recordNotification(trx, {
      organizationId: o.organizationId,
      kind: "order.refunded",
      title: `Order #${o.number}: ${full ? "refunded in full" : "partly refunded"} by Ktizo`,
      body: note,
      link: null,
    });
    return { order: o, full, note };
  });
  if (!settled) {
    const now2 = await db
      .selectFrom("orderRefund")
      .select("status")
      .where("id", "=", refund.id)
      .executeTakeFirstOrThrow();
    return {
      refundId: refund.id,
      amountMinor: refund.amountMinor,
      status: now2.status,
      full: false,
      repeated: true,
    };
  }
  const amountText = formatMoney(refund.amountMinor, refund.currency);
  await notifyCustomer(
    db,
    deps.services.customerNotifier,
    settled.order,
    settled.full ? "Payment refunded" : "Payment partly refunded",
    `${settled.full ? "Your payment is refunded in full" : "Part of your payment is refunded"}. Reason: ${refund.reason}.`,
    deps.now,
  );
  await emailShopManagers(db, deps.services.mail, [
    {
      organizationId: settled.order.organizationId,
      kind: "order.refunded",
      subject: `Order #${settled.order.number}: ${settled.full ? "refunded in full" : "partly refunded"} by Ktizo`,
      text: `The Ktizo team refunded ${amountText} of this order. Reason: ${refund.reason}.`,
    },
  ]);
  return {
    refundId: refund.id,
    amountMinor: refund.amountMinor,
    status: "succeeded",
    full: settled.full,
    repeated,
  };
}
