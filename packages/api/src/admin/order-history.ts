// One order with its whole history (events, messages, job, refunds, disputes) for the platform team.

import { type Executor, notFound } from "../kernel/index.ts";
import { orderEventLabel } from "../marketplace/common.ts";
import type { AdminOrderSummary } from "./order-list.ts";

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
