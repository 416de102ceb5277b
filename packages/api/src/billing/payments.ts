import { newId, type PaymentMethod, recordAudit } from "@ktizo/db";
import type { PaymentEvent, PaymentsService } from "@ktizo/services";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  type MemberActor,
  minorAmountSchema,
  notFound,
} from "../kernel/index.ts";
import { checkoutTransfer, orderPaymentTerms } from "../shop/payouts.ts";
import { invoiceBalance } from "./balance.ts";
import { isoDayInput } from "./document.ts";
import { creditedOf, ledgerOf } from "./invoice-views.ts";

/** Ids of billing payments start with this, so the shared Stripe webhook can tell them from orders. */
export const PAYMENT_ID_PREFIX = "bpay";

export const recordPaymentInput = z
  .object({
    invoiceId: idSchema,
    amountMinor: minorAmountSchema("The amount").min(1, "The amount must be above zero"),
    method: z.enum(["cash", "bank_transfer", "check", "other"], { error: "Choose how it was paid" }),
    reference: z.string().trim().max(120, "At most 120 characters").default(""),
    receivedOn: isoDayInput.optional(),
  })
  .strict();
export const refundInput = z
  .object({
    paymentId: idSchema,
    amountMinor: minorAmountSchema("The amount").min(1, "The amount must be above zero"),
    reason: z.string().trim().min(3, "Say why").max(500, "At most 500 characters"),
  })
  .strict();

/** What is still owed on an invoice (row-locked by the caller when it is about to change). */
export async function amountDue(trx: Executor, invoice: { id: string; totalMinor: number }) {
  const b = invoiceBalance(
    invoice.totalMinor,
    await creditedOf(trx, invoice.id),
    await ledgerOf(trx, invoice.id),
  );
  return b.dueMinor;
}

async function lockIssuedInvoice(trx: Executor, organizationId: string, id: string) {
  const inv = await trx
    .selectFrom("invoice")
    .select(["id", "status", "kind", "currency", "totalMinor", "number"])
    .where("id", "=", id)
    .where("organizationId", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!inv) throw notFound("Invoice not found");
  if (inv.status !== "issued" || inv.kind !== "invoice") throw conflict("Payments go on an issued invoice");
  return inv;
}

/** A payment received outside Stripe (cash, bank transfer, check), with its reference. */
export async function recordManualPayment(
  db: Executor,
  actor: MemberActor,
  input: z.infer<typeof recordPaymentInput>,
  now: Date,
) {
  return inTransaction(db, async (trx) => {
    const inv = await lockIssuedInvoice(trx, actor.organizationId, input.invoiceId);
    const due = await amountDue(trx, inv);
    if (input.amountMinor > due) {
      throw badRequest("That is more than the balance due", { amountMinor: `At most ${due} (minor units)` });
    }
    const id = newId(PAYMENT_ID_PREFIX);
    await trx
      .insertInto("billingPayment")
      .values({
        id,
        organizationId: actor.organizationId,
        invoiceId: inv.id,
        kind: "payment",
        method: input.method,
        status: "succeeded",
        amountMinor: input.amountMinor,
        currency: inv.currency,
        reference: input.reference || null,
        receivedAt: input.receivedOn ? new Date(`${input.receivedOn}T12:00:00Z`) : now,
        createdBy: actor.userId,
        createdAt: now,
      })
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.payment.recorded",
      subjectType: "invoice",
      subjectId: inv.id,
      data: { paymentId: id, amountMinor: input.amountMinor, method: input.method },
    });
    return { id, dueMinor: due - input.amountMinor };
  });
}

/**
 * Gives money back on a payment: online ones through Stripe (idempotent on the refund's id), others are
 * recorded as paid back by hand. Never more than what is left of the payment: under the payment's row
 * lock the refund is first reserved as a pending row (pending refunds count against what is left), then
 * the provider is asked outside any transaction (no lock is held across a network call), and the row is
 * settled. A refused or failed provider call marks the reservation failed, so it takes nothing.
 */
export async function refundPayment(
  db: Executor,
  payments: Pick<PaymentsService, "refund">,
  actor: MemberActor,
  input: z.infer<typeof refundInput>,
  now: Date,
) {
  const reserved = await inTransaction(db, async (trx) => {
    const p = await trx
      .selectFrom("billingPayment")
      .selectAll()
      .where("id", "=", input.paymentId)
      .where("organizationId", "=", actor.organizationId)
      .where("kind", "=", "payment")
      .forUpdate()
      .executeTakeFirst();
    if (!p) throw notFound("Payment not found");
    if (p.status !== "succeeded") throw conflict("Only a received payment can be refunded");
    const refunded = await trx
      .selectFrom("billingPayment")
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amountMinor"), eb.lit(0)).as("s"))
      .where("refundOf", "=", p.id)
      .where("status", "in", ["succeeded", "pending"])
      .executeTakeFirstOrThrow();
    const left = p.amountMinor - Number(refunded.s);
    if (input.amountMinor > left) {
      throw badRequest("That is more than is left of the payment", {
        amountMinor: `At most ${left} (minor units)`,
      });
    }
    if (p.method === "online" && !p.paymentIntentId)
      throw conflict("The online payment has no Stripe payment to refund");
    const id = newId(PAYMENT_ID_PREFIX);
    await trx
      .insertInto("billingPayment")
      .values({
        id,
        organizationId: actor.organizationId,
        invoiceId: p.invoiceId,
        estimateId: p.estimateId,
        kind: "refund",
        method: p.method,
        // A refund by hand is done when it is recorded; an online one once the provider confirms it.
        status: p.method === "online" ? "pending" : "succeeded",
        isDeposit: p.isDeposit,
        amountMinor: input.amountMinor,
        currency: p.currency,
        reference: input.reason,
        refundOf: p.id,
        providerRefundId: null,
        receivedAt: now,
        createdBy: actor.userId,
        createdAt: now,
      })
      .execute();
    if (p.method !== "online") await auditRefund(trx, actor, p.id, id, input);
    return { id, payment: p, left };
  });
  const { id, payment: p, left } = reserved;
  if (p.method === "online") {
    let providerRefundId: string;
    try {
      const r = await payments.refund({
        paymentIntentId: p.paymentIntentId ?? "",
        amountMinor: input.amountMinor,
        reverseTransfer: p.connectedAccountId !== null,
        idempotencyKey: `refund-${id}`,
      });
      providerRefundId = r.refundId;
    } catch (error) {
      await db
        .updateTable("billingPayment")
        .set({ status: "failed" })
        .where("id", "=", id)
        .where("status", "=", "pending")
        .execute();
      throw error;
    }
    await inTransaction(db, async (trx) => {
      await trx
        .updateTable("billingPayment")
        .set({ status: "succeeded", providerRefundId })
        .where("id", "=", id)
        .where("status", "=", "pending")
        .execute();
      await auditRefund(trx, actor, p.id, id, input);
    });
  }
  return { id, leftMinor: left - input.amountMinor };
}

function auditRefund(
  trx: Executor,
  actor: MemberActor,
  paymentId: string,
  refundId: string,
  input: z.infer<typeof refundInput>,
) {
  return recordAudit(trx, {
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    action: "billing.payment.refunded",
    subjectType: "billing_payment",
    subjectId: paymentId,
    data: { refundId, amountMinor: input.amountMinor, reason: input.reason },
  });
}

export interface CheckoutTarget {
  organizationId: string;
  currency: string;
  amountMinor: number;
  invoiceId: string | null;
  estimateId: string | null;
  isDeposit: boolean;
  customerEmail: string | null;
}

/**
 * Starts a Stripe Checkout for an amount owed (a deposit or an invoice balance) on the shop's connected
 * account when it has one, through the payments service (local test mode runs the same code). The
 * pending payment row is written first; the webhook settles it.
 */
export async function startCheckout(
  db: Executor,
  payments: Pick<PaymentsService, "createCheckout" | "platformFeeBps">,
  target: CheckoutTarget,
  urls: { successUrl: string; cancelUrl: string },
  now: Date,
): Promise<{ paymentId: string; sessionId: string; url: string }> {
  const terms = await orderPaymentTerms(db, payments, target.organizationId, target.amountMinor);
  const paymentId = newId(PAYMENT_ID_PREFIX);
  await db
    .insertInto("billingPayment")
    .values({
      id: paymentId,
      organizationId: target.organizationId,
      invoiceId: target.invoiceId,
      estimateId: target.estimateId,
      kind: "payment",
      method: "online",
      status: "pending",
      isDeposit: target.isDeposit,
      amountMinor: target.amountMinor,
      currency: target.currency,
      connectedAccountId: terms.connectedAccountId,
      createdAt: now,
    })
    .execute();
  const session = await payments.createCheckout({
    orderId: paymentId,
    amountMinor: target.amountMinor,
    currency: target.currency,
    ...(target.customerEmail ? { customerEmail: target.customerEmail } : {}),
    ...checkoutTransfer(terms),
    successUrl: urls.successUrl,
    cancelUrl: urls.cancelUrl,
    idempotencyKey: `billing-${paymentId}`,
  });
  await db
    .updateTable("billingPayment")
    .set({ checkoutSessionId: session.sessionId })
    .where("id", "=", paymentId)
    .execute();
  return { paymentId, sessionId: session.sessionId, url: session.url };
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** The billing payment a Stripe event is about, or null when it is a marketplace order's event. */
export function billingPaymentIdOf(event: PaymentEvent): string | null {
  const metadata = (event.data.metadata ?? {}) as Obj;
  const id = str(metadata.orderId) ?? str(event.data.client_reference_id);
  return id?.startsWith(`${PAYMENT_ID_PREFIX}_`) ? id : null;
}

/**
 * Applies a verified Stripe event about a billing payment exactly once (the processed-event row is
 * written in the same transaction as the effect). Returns null for events that are not billing's.
 * A payment only ever moves forward: pending → succeeded or failed.
 */
export async function applyBillingPaymentEvent(
  db: Executor,
  event: PaymentEvent,
  now: Date,
): Promise<"applied" | "duplicate" | "ignored" | null> {
  const paymentId = billingPaymentIdOf(event);
  if (!paymentId) return null;
  return inTransaction(db, async (trx) => {
    const fresh = await trx
      .insertInto("processedWebhookEvent")
      .values({ id: event.id, type: event.type, processedAt: now })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!fresh) return "duplicate";
    const p = await trx
      .selectFrom("billingPayment")
      .select(["id", "status", "amountMinor", "organizationId", "invoiceId", "estimateId"])
      .where("id", "=", paymentId)
      .forUpdate()
      .executeTakeFirst();
    if (p?.status !== "pending") return "ignored";
    const o = event.data;
    let to: "succeeded" | "failed" | null = null;
    if (
      (event.type === "checkout.session.completed" && o.payment_status === "paid") ||
      event.type === "checkout.session.async_payment_succeeded"
    ) {
      // Never count a payment for a different amount than was asked; it stays pending for a person.
      to = o.amount_total === p.amountMinor ? "succeeded" : null;
    } else if (
      event.type === "checkout.session.expired" ||
      event.type === "checkout.session.async_payment_failed"
    ) {
      to = "failed";
    }
    if (!to) return "ignored";
    await trx
      .updateTable("billingPayment")
      .set({
        status: to,
        paymentIntentId: str(o.payment_intent),
        receivedAt: to === "succeeded" ? now : null,
      })
      .where("id", "=", p.id)
      .execute();
    await recordAudit(trx, {
      organizationId: p.organizationId,
      actorUserId: null,
      action: `billing.payment.${to}`,
      subjectType: p.invoiceId ? "invoice" : "estimate",
      subjectId: p.invoiceId ?? p.estimateId ?? p.id,
      data: { paymentId: p.id, amountMinor: p.amountMinor, event: event.id },
    });
    return "applied";
  });
}

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  online: "Card (online)",
  cash: "Cash",
  bank_transfer: "Bank transfer",
  check: "Check",
  other: "Other",
};
