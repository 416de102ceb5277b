/**
 * The marketplace order and the shop's job move together: a paid order becomes a job on the shop's board,
 * a job's status change moves its order (and refunds a cancelled paid one), and the customer's cancel or
 * delivery confirmation and the shop's "shipped" move the job. This workflow sits above both domains:
 * neither marketplace nor job imports the other.
 */
import type { OrderAddress, OrderStatus } from "@ktizo/db";
import type { ModelAnalysis } from "@ktizo/quote";
import type { Services } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { createJobFromOrder } from "../job/create-job.ts";
import { attachJobFile } from "../job/files.ts";
import { applyStatus, changeJobStatus, type changeJobStatusInput } from "../job/status.ts";
import { notifyJobStatus } from "../job/status-notices.ts";
import {
  badRequest,
  conflict,
  DomainError,
  type Executor,
  inTransaction,
  isUniqueViolation,
  type MemberActor,
  notFound,
  type OrgActor,
} from "../kernel/index.ts";
import { type Customer, notifyCustomer, recordOrderEvent } from "../marketplace/common.ts";
import { CANCELLABLE_JOB } from "../marketplace/customer-orders.ts";
import { moveOrder, PAYABLE, settleOwedRefund } from "../marketplace/order-state.ts";
import { syncOrderFromJob } from "../marketplace/order-status-sync.ts";
import { getShopOrder } from "../marketplace/shop-orders.ts";
import { emailShopManagers } from "../shop/notifications.ts";
import { customerNotifier, notifying } from "./customer-notifier.ts";

/**
 * A job's status change from the shop's board, and its marketplace order following at once (the customer
 * is told; issue 5, req. 8). The customer of a job without an order is told when it is ready for pickup
 * or shipped (issue 13, req. 6).
 */
export async function changeJobStatusAndOrder(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "payments">,
  actor: OrgActor,
  input: z.infer<typeof changeJobStatusInput>,
  now: Date,
) {
  const result = await changeJobStatus(db, services.mail, actor, input, now);
  const order = await syncOrderOfJob(db, services, actor.organizationId, result.jobId, now);
  // A job without an order tells its customer itself (ready for pickup, shipped).
  if (order === null) await notifyJobStatus(db, services, actor.organizationId, result.jobId, result.to, now);
  return result;
}

/**
 * After a status change of a job on the shop's board: the marketplace order the job fulfils (if any)
 * follows at once, and its customer is told (in the app and by email); a paid order whose job the shop
 * cancelled is refunded in full. A job of another shop or a job without an order changes nothing.
 * Returns the order's status, or null when the job has no order.
 */
export async function syncOrderOfJob(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "payments">,
  organizationId: string,
  jobId: string,
  now: Date,
): Promise<OrderStatus | null> {
  const order = await db
    .selectFrom("marketplaceOrder")
    .select("id")
    .where("jobId", "=", jobId)
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return order ? syncOrderFromJob(db, customerNotifier(services), order.id, now, services.payments) : null;
}

/**
 * Turns a paid order into a job on the shop's board with its model files attached. Idempotent (the
 * webhook route calls it after every payment event of the order, so a failure heals on redelivery).
 * The job is linked to the order under the order's row lock; if the order was cancelled or refunded
 * while the job was being made, the job is taken off the board again (cancelled) instead.
 */
export async function fulfilPaidOrder(
  db: Executor,
  services: Pick<Services, "mail" | "storage">,
  orderId: string,
  now: Date,
) {
  const order = await db
    .selectFrom("marketplaceOrder")
    .selectAll()
    .where("id", "=", orderId)
    .executeTakeFirst();
  if (order?.status !== "paid" || order.jobId) return;
  const lines = await db
    .selectFrom("orderLine as l")
    .innerJoin("modelUpload as u", "u.id", "l.uploadId")
    .innerJoin("marketplaceQuote as q", "q.id", "l.quoteId")
    .select([
      "l.description",
      "l.quantity",
      "l.materialId",
      "l.color",
      "l.totalMinor",
      "l.gramsPerUnit",
      "l.minutesPerUnit",
      "l.scaleUnit",
      "l.scalePercent",
      "u.storageKey",
      "u.fileName",
      "u.contentType",
      "u.analysis",
      "q.inputs",
      "q.rush",
      "q.leadDays",
    ])
    .where("l.orderId", "=", orderId)
    .orderBy("l.position")
    .execute();
  const address = order.shippingAddress as OrderAddress;
  const leadDays = Math.max(0, ...lines.map((l) => l.leadDays));
  const job = await jobForOrder(
    db,
    services.mail,
    {
      organizationId: order.organizationId,
      orderId: order.id,
      customer: {
        userId: order.userId,
        name: order.customerName,
        email: order.customerEmail,
        shippingAddress: { label: "Shipping", ...address },
      },
      title: `Marketplace order #${order.number}`,
      items: lines.map((l) => {
        const size = l.inputs.bbox as { x: number; y: number; z: number } | undefined;
        return {
          description: l.description.slice(0, 200),
          quantity: l.quantity,
          materialId: l.materialId,
          color: l.color,
          // Integer unit price for the board; the order keeps the exact quoted line total.
          unitPriceMinor: Math.round(l.totalMinor / l.quantity),
          gramsPerUnit: l.gramsPerUnit,
          minutesPerUnit: l.minutesPerUnit,
          sizeMm: size ? { x: size.x, y: size.y, z: size.z } : null,
          // The customer's unit and scale: the shop prints the model at this size (issue 20).
          scale:
            l.scaleUnit === "mm" && l.scalePercent === 100
              ? null
              : { unit: l.scaleUnit, percent: l.scalePercent },
        };
      }),
      currency: order.currency,
      rush: lines.some((l) => l.rush),
      dueAt: new Date(now.getTime() + leadDays * 24 * 60 * 60 * 1000),
      note: `Ship with ${order.shippingOption.name}.`,
    },
    now,
  );
  const linked = await linkJob(db, order.id, order.organizationId, job.id, now);
  await emailShopManagers(db, services.mail, linked.emails);
  if (!linked.linked) return;
  for (const l of lines) {
    const file = await services.storage.get(l.storageKey);
    if (!file) continue;
    // The model was analysed (in the worker pool) when it was uploaded: the job keeps that analysis
    // instead of analysing every model again inside the payment webhook.
    const uploaded = l.analysis as unknown as ModelAnalysis;
    await attachJobFile(
      db,
      { storage: services.storage, analyze: async () => uploaded },
      {
        organizationId: order.organizationId,
        jobId: job.id,
        actorUserId: null,
        fileName: l.fileName,
        contentType: l.contentType,
        bytes: file.bytes,
        kind: "model",
      },
      now,
    );
  }
}

/** createJobFromOrder, where a second maker racing the first gets the first's job (one job per order). */
async function jobForOrder(
  db: Executor,
  mail: Services["mail"],
  input: Parameters<typeof createJobFromOrder>[2],
  now: Date,
): Promise<{ id: string }> {
  try {
    return await createJobFromOrder(db, mail, input, now);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return db
      .selectFrom("job")
      .select("id")
      .where("organizationId", "=", input.organizationId)
      .where("orderId", "=", input.orderId)
      .executeTakeFirstOrThrow();
  }
}

async function linkJob(db: Executor, orderId: string, organizationId: string, jobId: string, now: Date) {
  return inTransaction(db, async (trx) => {
    const o = await trx
      .selectFrom("marketplaceOrder")
      .select(["status", "jobId"])
      .where("id", "=", orderId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (o.jobId === null) {
      await trx
        .updateTable("marketplaceOrder")
        .set({ jobId, updatedAt: now })
        .where("id", "=", orderId)
        .execute();
    }
    if (o.status === "paid" || o.jobId === jobId) return { linked: o.jobId === null, emails: [] };
    // Compensation: the order stopped being payable work while its job was made.
    const job = await trx
      .selectFrom("job")
      .select(["id", "status", "heldFromStatus", "stockState"])
      .where("id", "=", jobId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (job.status === "cancelled") return { linked: false, emails: [] };
    const emails = await applyStatus(
      trx,
      { organizationId, userId: null },
      job,
      "cancelled",
      now,
      "The order was cancelled before production",
    );
    return { linked: false, emails };
  });
}

/**
 * Cancels before production starts, as a race-safe state change:
 * - unpaid: the checkout session is expired first (nobody can pay it afterwards), then the order moves
 *   to cancelled only if it is still unpaid. If the payment landed in between, the order is cancelled
 *   as a paid one below; a payment that lands after the cancel is refunded (settleOwedRefund).
 * - paid: the job is the lock production takes, so it is cancelled under its row lock only from a
 *   status before production; then the payment is refunded and the order shows cancelled
 *   (syncOrderFromJob). A refused refund leaves the order paid with its job cancelled: the error is
 *   raised and opening the order retries the refund.
 */
export async function cancelOrder(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "payments" | "storage">,
  customer: Customer,
  orderId: string,
  now: Date,
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const o = await db
      .selectFrom("marketplaceOrder")
      .select([
        "id",
        "number",
        "userId",
        "customerEmail",
        "status",
        "jobId",
        "organizationId",
        "checkoutSessionId",
      ])
      .where("id", "=", orderId)
      .where("userId", "=", customer.userId)
      .executeTakeFirst();
    if (!o) throw notFound("Order not found");
    if (o.status === "cancelled") throw conflict("This order is already cancelled");
    if (o.status === "pending_payment" || o.status === "payment_failed") {
      if (await cancelUnpaid(db, services, o, now)) return { id: o.id, status: "cancelled" as const };
      continue; // paid in between: cancel it as a paid order
    }
    if (o.status !== "paid") {
      throw badRequest(
        "Production has started: this order can no longer be cancelled. Message the shop instead.",
      );
    }
    if (!o.jobId) await fulfilPaidOrder(db, services, o.id, now);
    const emails = await inTransaction(db, async (trx) => {
      const locked = await trx
        .selectFrom("marketplaceOrder")
        .select(["status", "jobId"])
        .where("id", "=", o.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (locked.status !== "paid" || !locked.jobId) return null;
      const job = await trx
        .selectFrom("job")
        .select(["id", "status", "heldFromStatus", "stockState"])
        .where("id", "=", locked.jobId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (job.status === "cancelled") return [];
      if (!CANCELLABLE_JOB.includes(job.status)) {
        throw badRequest(
          "Production has started: this order can no longer be cancelled. Message the shop instead.",
        );
      }
      const actor = { organizationId: o.organizationId, userId: null };
      return applyStatus(trx, actor, job, "cancelled", now, "Cancelled by the customer");
    });
    if (emails === null) continue;
    await emailShopManagers(db, services.mail, emails);
    const status = await syncOrderFromJob(
      db,
      customerNotifier(services),
      o.id,
      now,
      services.payments,
      "customer",
    );
    return { id: o.id, status };
  }
  throw conflict("The order changed while it was being cancelled: open it and try again");
}

async function cancelUnpaid(
  db: Executor,
  services: Pick<Services, "mail" | "sms" | "payments">,
  o: {
    id: string;
    number: number;
    userId: string | null;
    customerEmail: string;
    checkoutSessionId: string | null;
  },
  now: Date,
): Promise<boolean> {
  // "complete": the customer paid before the session closed. Cancel anyway and give the money back now
  // (the payment event may still be on its way; it then finds the refund done).
  const session = o.checkoutSessionId
    ? await services.payments.expireCheckoutSession(o.checkoutSessionId)
    : { status: "expired" as const };
  const paid = session.status === "complete";
  const moved = await inTransaction(db, async (trx) => {
    const row = await moveOrder(trx, o.id, PAYABLE, "cancelled", now);
    if (!row) return false;
    if (paid) {
      await trx
        .updateTable("marketplaceOrder")
        .set({ capturedMinor: sql<number>`greatest(captured_minor, total_minor)` })
        .where("id", "=", o.id)
        .execute();
    }
    await recordOrderEvent(trx, o.id, "cancelled", "Cancelled by the customer", now);
    return true;
  });
  if (!moved) return false;
  await notifyCustomer(db, customerNotifier(services), o, "Cancelled", "Your order was cancelled.", now);
  if (paid) await settleOwedRefund(db, notifying(services), o.id, now);
  return true;
}

/** The customer confirms the parcel arrived: the order is delivered and the shop's job completed. */
export async function confirmDelivery(
  db: Executor,
  services: Pick<Services, "mail" | "sms">,
  customer: Customer,
  orderId: string,
  now: Date,
) {
  const o = await db
    .selectFrom("marketplaceOrder as o")
    .leftJoin("job as j", "j.id", "o.jobId")
    .select(["o.id", "o.status", "o.jobId", "o.organizationId", "j.status as jobStatus"])
    .where("o.id", "=", orderId)
    .where("o.userId", "=", customer.userId)
    .executeTakeFirst();
  if (!o) throw notFound("Order not found");
  if (o.status !== "shipped" || !o.jobId) throw badRequest("Only a shipped order can be marked as delivered");
  if (o.jobStatus !== "completed") {
    await changeJobStatus(
      db,
      services.mail,
      { organizationId: o.organizationId, userId: null },
      { jobId: o.jobId, to: "completed", note: "Delivery confirmed by the customer" },
      now,
    );
  }
  return { id: o.id, status: await syncOrderFromJob(db, customerNotifier(services), o.id, now) };
}

export const markShippedInput = z.object({
  orderId: z.string().min(1).max(100),
  trackingNumber: z.string().trim().max(100).nullable().default(null),
});

/**
 * The shop hands the parcel over: the job moves to shipped (workflow rules apply; a refused move changes
 * nothing) with the tracking number. A job already moved to shipped on the board gets its tracking
 * number here afterwards: recorded on the timeline and sent to the customer.
 */
export async function markShipped(
  db: Executor,
  services: Pick<Services, "mail" | "sms">,
  actor: MemberActor,
  input: z.infer<typeof markShippedInput>,
  now: Date,
) {
  const o = await getShopOrder(db, actor.organizationId, input.orderId);
  if (!o.jobId) throw new DomainError("PRECONDITION_FAILED", "The order has no job yet");
  const job = await db.selectFrom("job").select("status").where("id", "=", o.jobId).executeTakeFirstOrThrow();
  const handedOver = job.status === "shipped" || job.status === "picked_up" || job.status === "completed";
  if (handedOver && !input.trackingNumber) {
    throw badRequest("Enter the tracking number", { trackingNumber: "Required" });
  }
  if (!handedOver) {
    await changeJobStatus(
      db,
      services.mail,
      actor,
      {
        jobId: o.jobId,
        to: "shipped",
        note: input.trackingNumber ? `Tracking ${input.trackingNumber}` : undefined,
      },
      now,
    );
  }
  const newTracking = input.trackingNumber !== null && input.trackingNumber !== o.trackingNumber;
  if (newTracking || !handedOver) {
    await db
      .updateTable("marketplaceOrder")
      .set({ trackingNumber: input.trackingNumber, updatedAt: now })
      .where("id", "=", o.id)
      .execute();
  }
  const status = await syncOrderFromJob(db, customerNotifier(services), o.id, now);
  if (handedOver && newTracking) {
    const note = `Tracking number ${input.trackingNumber}`;
    await recordOrderEvent(db, o.id, "tracking", note, now);
    const customer = await db
      .selectFrom("marketplaceOrder")
      .select(["id", "number", "userId", "customerEmail"])
      .where("id", "=", o.id)
      .executeTakeFirstOrThrow();
    await notifyCustomer(db, customerNotifier(services), customer, "Tracking number", `${note}.`, now);
  }
  return { id: o.id, status };
}
