import { recordAudit } from "@ktizo/db";
import { absoluteUrl, type PaymentsService, type StorageService } from "@ktizo/services";
import { z } from "zod";
import { applyStatus } from "../job/status.ts";
import type { Executor } from "../kernel/index.ts";
import { badRequest, conflict, notFound } from "../kernel/index.ts";
import { isoDay } from "./document.ts";
import { getEstimate } from "./estimates.ts";
import { invoiceView } from "./invoice-views.ts";
import { amountDue, startCheckout } from "./payments.ts";
import { invoicePdfFile } from "./pdf.ts";
import { decideProof, decideProofInput } from "./proofs.ts";
import { openPortalToken, portalPath } from "./tokens.ts";

const token = z.string().trim().min(1, "Missing link").max(100, "Not a valid link");
export const portalTokenInput = z.object({ token }).strict();
export const approveEstimateInput = z
  .object({
    token,
    /** The customer's name, typed as their signature. */
    name: z.string().trim().min(2, "Type your full name to approve").max(120, "At most 120 characters"),
  })
  .strict();
export const requestChangesInput = z
  .object({
    token,
    comment: z.string().trim().min(3, "Say what should change").max(2000, "At most 2000 characters"),
  })
  .strict();

export const portalDecideProofInput = decideProofInput.and(z.object({ token }));

/** Who approved, from where: kept with the approval as evidence. */
export interface ApprovalEvidence {
  ip: string;
  userAgent: string;
}

async function shopOf(db: Executor, organizationId: string) {
  const o = await db
    .selectFrom("organization")
    .leftJoin("shopSettings", "shopSettings.organizationId", "organization.id")
    .select(["organization.name", "shopSettings.logoId"])
    .where("organization.id", "=", organizationId)
    .executeTakeFirstOrThrow();
  return { name: o.name, logoId: o.logoId ?? null };
}

/**
 * What a portal link shows: the one document it was made for, with the shop's name. The first view
 * is recorded (the shop sees "viewed"). Nothing internal (ids of the shop's other objects, notes of the
 * team, who in the shop did what) is returned.
 */
export async function portalView(db: Executor, tokenText: string, now: Date) {
  const t = await openPortalToken(db, tokenText, now);
  const shop = await shopOf(db, t.organizationId);
  if (t.documentType === "estimate") {
    const e = await getEstimate(db, t.organizationId, t.documentId);
    if (!e.viewedAt) {
      await db.updateTable("estimate").set({ viewedAt: now }).where("id", "=", e.id).execute();
    }
    const v = e.current;
    const expired = v.validUntil !== null && v.validUntil < isoDay(now) && e.status !== "approved";
    return {
      type: "estimate" as const,
      shop,
      estimate: {
        status: e.status,
        currency: e.currency,
        version: v.version,
        jobTitle: e.jobTitle,
        customerName: e.customerName,
        lines: v.lines,
        totals: v.totals,
        validUntil: v.validUntil,
        notes: v.notes,
        depositMinor: v.depositMinor,
        depositPaidMinor: e.depositPaidMinor,
        approvedName: e.approvedName,
        approvedAt: e.approvedAt,
        changeRequest: e.changeRequest,
        expired,
      },
    };
  }
  if (t.documentType === "invoice") {
    const row = await db
      .selectFrom("invoice")
      .selectAll()
      .where("id", "=", t.documentId)
      .where("organizationId", "=", t.organizationId)
      .executeTakeFirst();
    if (!row || row.status === "draft") throw notFound("This link is not valid or has expired");
    if (!row.viewedAt)
      await db.updateTable("invoice").set({ viewedAt: now }).where("id", "=", row.id).execute();
    const inv = await invoiceView(db, { ...row, viewedAt: row.viewedAt ?? now }, now);
    return {
      type: "invoice" as const,
      shop,
      invoice: {
        kind: inv.kind,
        number: inv.number,
        status: inv.displayStatus,
        currency: inv.currency,
        issueDate: inv.issueDate,
        dueDate: inv.dueDate,
        seller: inv.seller,
        buyer: inv.buyer,
        lines: inv.lines,
        totals: inv.totals,
        notes: inv.notes,
        voidReason: inv.voidReason,
        balance: inv.balance,
        payments: inv.payments
          .filter((p) => p.status === "succeeded")
          .map((p) => ({
            kind: p.kind,
            amountMinor: p.amountMinor,
            method: p.method,
            receivedAt: p.receivedAt,
          })),
      },
    };
  }
  const proof = await db
    .selectFrom("proof")
    .innerJoin("job", "job.id", "proof.jobId")
    .innerJoin("jobFile", "jobFile.id", "proof.jobFileId")
    .select([
      "proof.version",
      "proof.status",
      "proof.comment",
      "proof.decidedName",
      "proof.decidedAt",
      "job.title as jobTitle",
      "jobFile.fileName",
      "jobFile.contentType",
    ])
    .where("proof.id", "=", t.documentId)
    .where("proof.organizationId", "=", t.organizationId)
    .executeTakeFirst();
  if (!proof) throw notFound("This link is not valid or has expired");
  return { type: "proof" as const, shop, proof };
}

/** The customer approves or rejects the proof version the link was made for. */
export async function portalDecideProof(
  db: Executor,
  input: z.infer<typeof portalDecideProofInput>,
  evidence: ApprovalEvidence,
  now: Date,
) {
  const t = await openPortalToken(db, input.token, now);
  if (t.documentType !== "proof") throw notFound("This link is not valid or has expired");
  await decideProof(db, { organizationId: t.organizationId, proofId: t.documentId }, input, evidence, now);
  return portalView(db, input.token, now);
}

async function lockEstimateOf(trx: Executor, tokenText: string, now: Date) {
  const t = await openPortalToken(trx, tokenText, now);
  if (t.documentType !== "estimate") throw notFound("This link is not valid or has expired");
  const e = await trx
    .selectFrom("estimate")
    .innerJoin("estimateVersion", (j) =>
      j
        .onRef("estimateVersion.estimateId", "=", "estimate.id")
        .onRef("estimateVersion.version", "=", "estimate.currentVersion"),
    )
    .select([
      "estimate.id",
      "estimate.organizationId",
      "estimate.jobId",
      "estimate.status",
      "estimate.currentVersion",
      "estimateVersion.validUntil",
    ])
    .where("estimate.id", "=", t.documentId)
    .where("estimate.organizationId", "=", t.organizationId)
    .forUpdate("estimate")
    .executeTakeFirst();
  if (!e) throw notFound("This link is not valid or has expired");
  return e;
}

/**
 * The customer approves the current version by typing their name; the name, time, IP and browser are
 * kept, and the job moves from quote to approved (a job already past quote stays where it is).
 */
export async function approveEstimate(
  db: Executor,
  input: z.infer<typeof approveEstimateInput>,
  evidence: ApprovalEvidence,
  now: Date,
) {
  await db.transaction().execute(async (trx) => {
    const e = await lockEstimateOf(trx, input.token, now);
    if (e.status === "approved") throw conflict("This estimate is already approved");
    if (e.validUntil !== null && e.validUntil < isoDay(now)) {
      throw conflict("This estimate has expired: ask the shop for a new one");
    }
    await trx
      .updateTable("estimate")
      .set({
        status: "approved",
        approvedVersion: e.currentVersion,
        approvedName: input.name,
        approvedAt: now,
        approvedIp: evidence.ip.slice(0, 100),
        approvedUserAgent: evidence.userAgent.slice(0, 500),
        changeRequest: null,
        updatedAt: now,
      })
      .where("id", "=", e.id)
      .execute();
    await recordAudit(trx, {
      organizationId: e.organizationId,
      actorUserId: null,
      action: "billing.estimate.approved",
      subjectType: "estimate",
      subjectId: e.id,
      data: { version: e.currentVersion, name: input.name, ip: evidence.ip },
    });
    const job = await trx
      .selectFrom("job")
      .select(["id", "status", "heldFromStatus", "stockState"])
      .where("id", "=", e.jobId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (job.status === "quote") {
      await applyStatus(
        trx,
        { organizationId: e.organizationId, userId: null },
        job,
        "approved",
        now,
        `Estimate approved by ${input.name}`,
      );
    }
  });
  return portalView(db, input.token, now);
}

export async function requestEstimateChanges(
  db: Executor,
  input: z.infer<typeof requestChangesInput>,
  now: Date,
) {
  await db.transaction().execute(async (trx) => {
    const e = await lockEstimateOf(trx, input.token, now);
    if (e.status === "approved") throw conflict("This estimate is already approved");
    await trx
      .updateTable("estimate")
      .set({ status: "changes_requested", changeRequest: input.comment, updatedAt: now })
      .where("id", "=", e.id)
      .execute();
    await recordAudit(trx, {
      organizationId: e.organizationId,
      actorUserId: null,
      action: "billing.estimate.changes_requested",
      subjectType: "estimate",
      subjectId: e.id,
      data: { version: e.currentVersion, comment: input.comment },
    });
  });
  return portalView(db, input.token, now);
}

/**
 * Pays what the link's document asks for now: the deposit of an approved estimate, or the balance of an
 * invoice. Returns where to send the browser (Stripe Checkout, or the local test-mode page).
 */
export async function portalCheckout(
  db: Executor,
  payments: Pick<PaymentsService, "createCheckout" | "platformFeeBps" | "provider">,
  tokenText: string,
  baseUrl: string,
  now: Date,
): Promise<{ url: string }> {
  const t = await openPortalToken(db, tokenText, now);
  const back = absoluteUrl(baseUrl, portalPath(tokenText));
  let target: Parameters<typeof startCheckout>[2];
  if (t.documentType === "estimate") {
    const e = await getEstimate(db, t.organizationId, t.documentId);
    if (e.status !== "approved") throw conflict("Approve the estimate before paying the deposit");
    const approved = e.versions.find((v) => v.version === e.approvedVersion);
    const due = (approved?.depositMinor ?? 0) - e.depositPaidMinor;
    if (due <= 0) throw badRequest("No deposit is due on this estimate");
    target = {
      organizationId: t.organizationId,
      currency: e.currency,
      amountMinor: due,
      invoiceId: null,
      estimateId: e.id,
      isDeposit: true,
      customerEmail: e.customerEmail,
    };
  } else if (t.documentType === "invoice") {
    const inv = await db
      .selectFrom("invoice")
      .select(["id", "status", "kind", "currency", "totalMinor", "recipientEmail"])
      .where("id", "=", t.documentId)
      .where("organizationId", "=", t.organizationId)
      .executeTakeFirst();
    if (inv?.status !== "issued" || inv.kind !== "invoice")
      throw conflict("This invoice cannot be paid online");
    const due = await amountDue(db, inv);
    if (due <= 0) throw badRequest("Nothing is due on this invoice");
    target = {
      organizationId: t.organizationId,
      currency: inv.currency,
      amountMinor: due,
      invoiceId: inv.id,
      estimateId: null,
      isDeposit: false,
      customerEmail: inv.recipientEmail,
    };
  } else {
    throw notFound("This link is not valid or has expired");
  }
  const session = await startCheckout(
    db,
    payments,
    target,
    { successUrl: `${back}?paid=1`, cancelUrl: back },
    now,
  );
  // Local test mode pays on a page of the portal itself (no account needed, same signed webhook).
  const url =
    payments.provider === "test-mode" ? `${portalPath(tokenText)}/pay/${session.sessionId}` : session.url;
  return { url };
}

/** The pending payment of a portal link's document, for the local test-mode payment page. */
export async function portalPendingPayment(db: Executor, tokenText: string, paymentId: string, now: Date) {
  const t = await openPortalToken(db, tokenText, now);
  const p = await db
    .selectFrom("billingPayment")
    .select(["id", "status", "amountMinor", "currency", "invoiceId", "estimateId"])
    .where("id", "=", paymentId)
    .where("organizationId", "=", t.organizationId)
    .executeTakeFirst();
  const mine = p && (t.documentType === "invoice" ? p.invoiceId : p.estimateId) === t.documentId;
  if (!p || !mine) throw notFound("Payment not found");
  return p;
}

/** The PDF of the invoice a link was made for. */
export async function portalPdf(
  db: Executor,
  storage: Pick<StorageService, "get">,
  tokenText: string,
  now: Date,
) {
  const t = await openPortalToken(db, tokenText, now);
  const row =
    t.documentType === "invoice"
      ? await db
          .selectFrom("invoice")
          .selectAll()
          .where("id", "=", t.documentId)
          .where("organizationId", "=", t.organizationId)
          .where("status", "<>", "draft")
          .executeTakeFirst()
      : undefined;
  if (!row) throw notFound("This link is not valid or has expired");
  return invoicePdfFile(db, storage, await invoiceView(db, row, now));
}
