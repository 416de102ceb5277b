import { recordAudit } from "@ktizo/db";
import type { MailService, StorageService } from "@ktizo/services";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  idSchema,
  inTransaction,
  type MemberActor,
  notFound,
} from "../kernel/index.ts";
import { getInvoice } from "./invoice-views.ts";
import { formatAmount } from "./money.ts";
import { invoicePdfFile } from "./pdf.ts";
import { createPortalToken, portalPath } from "./tokens.ts";

const recipient = z.string().trim().toLowerCase().email("Not a valid email address").max(254).optional();
export const sendDocumentInput = z.object({ id: idSchema, to: recipient }).strict();

async function shopName(db: Executor, organizationId: string) {
  const o = await db
    .selectFrom("organization")
    .select("name")
    .where("id", "=", organizationId)
    .executeTakeFirst();
  return o?.name ?? "Your print shop";
}

/**
 * Emails the customer a link to the estimate in the portal (no account needed) and marks it sent.
 * A service email: it is the shop's answer to the customer's request.
 */
export async function sendEstimate(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: MemberActor,
  input: z.infer<typeof sendDocumentInput>,
  now: Date,
) {
  const sent = await inTransaction(db, async (trx) => {
    const e = await trx
      .selectFrom("estimate")
      .innerJoin("job", "job.id", "estimate.jobId")
      .innerJoin("customer", "customer.id", "job.customerId")
      .innerJoin("estimateVersion", (j) =>
        j
          .onRef("estimateVersion.estimateId", "=", "estimate.id")
          .onRef("estimateVersion.version", "=", "estimate.currentVersion"),
      )
      .select([
        "estimate.id",
        "estimate.status",
        "estimate.currency",
        "job.title",
        "customer.name",
        "customer.email",
        "estimateVersion.totalMinor",
        "estimateVersion.depositMinor",
        "estimateVersion.validUntil",
      ])
      .where("estimate.id", "=", input.id)
      .where("estimate.organizationId", "=", actor.organizationId)
      .forUpdate("estimate")
      .executeTakeFirst();
    if (!e) throw notFound("Estimate not found");
    if (e.status === "approved") throw conflict("The customer already approved this estimate");
    const to = input.to ?? e.email;
    if (!to) throw badRequest("The customer has no email address", { to: "Enter an email address" });
    const token = await createPortalToken(
      trx,
      { organizationId: actor.organizationId, type: "estimate", id: e.id },
      now,
    );
    await trx
      .updateTable("estimate")
      .set({ status: "sent", sentAt: now, updatedAt: now })
      .where("id", "=", e.id)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.estimate.sent",
      subjectType: "estimate",
      subjectId: e.id,
      data: { to },
    });
    return { ...e, to, token };
  });
  const shop = await shopName(db, actor.organizationId);
  const money = (m: number) => formatAmount(m, sent.currency);
  await mail.send({
    to: sent.to,
    subject: `Estimate from ${shop}: ${sent.title}`,
    text:
      `Hello ${sent.name},\n\n${shop} sent you an estimate for "${sent.title}": ${money(sent.totalMinor)}` +
      (sent.depositMinor > 0 ? `, with a deposit of ${money(sent.depositMinor)}` : "") +
      (sent.validUntil ? `, valid until ${sent.validUntil}` : "") +
      `.\n\nView it, approve it or ask for changes here (no account needed):\n${portalPath(sent.token)}\n`,
    template: "billing-estimate",
    category: "service",
    organizationId: actor.organizationId,
  });
  return { sentTo: sent.to, portalPath: portalPath(sent.token) };
}

/** Emails an issued invoice with its PDF attached and a link to view, download and pay it. */
export async function sendInvoice(
  db: Executor,
  services: { mail: Pick<MailService, "send">; storage: Pick<StorageService, "get"> },
  actor: MemberActor,
  input: z.infer<typeof sendDocumentInput>,
  now: Date,
) {
  const sent = await inTransaction(db, async (trx) => {
    const inv = await trx
      .selectFrom("invoice")
      .select([
        "id",
        "status",
        "kind",
        "number",
        "currency",
        "totalMinor",
        "dueDate",
        "recipientEmail",
        "buyer",
      ])
      .where("id", "=", input.id)
      .where("organizationId", "=", actor.organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!inv) throw notFound("Invoice not found");
    if (inv.status !== "issued") throw conflict("Issue the invoice before sending it");
    const to = input.to ?? inv.recipientEmail;
    if (!to)
      throw badRequest("The invoice has no email address to send to", { to: "Enter an email address" });
    const token = await createPortalToken(
      trx,
      { organizationId: actor.organizationId, type: "invoice", id: inv.id },
      now,
    );
    await trx
      .updateTable("invoice")
      .set({ sentAt: now, recipientEmail: to, updatedAt: now })
      .where("id", "=", inv.id)
      .execute();
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.invoice.sent",
      subjectType: "invoice",
      subjectId: inv.id,
      data: { to, number: inv.number },
    });
    return { ...inv, to, token };
  });
  const shop = await shopName(db, actor.organizationId);
  const what = sent.kind === "credit_note" ? "Credit note" : "Invoice";
  const pdf = await invoicePdfFile(
    db,
    services.storage,
    await getInvoice(db, actor.organizationId, sent.id, now),
  );
  await services.mail.send({
    to: sent.to,
    subject: `${what} ${sent.number} from ${shop}`,
    text:
      `Hello ${sent.buyer?.name ?? ""},\n\n${what} ${sent.number} from ${shop}: ` +
      `${formatAmount(sent.totalMinor, sent.currency)}` +
      (sent.kind === "invoice" ? `, due ${sent.dueDate}` : "") +
      `.\n\nView, download${sent.kind === "invoice" ? " and pay" : ""} it here (no account needed):\n` +
      `${portalPath(sent.token)}\n\nThe PDF is attached.\n`,
    template: "billing-invoice",
    category: "service",
    organizationId: actor.organizationId,
    attachments: [{ fileName: pdf.fileName, contentType: "application/pdf", content: pdf.bytes }],
  });
  return { sentTo: sent.to, portalPath: portalPath(sent.token) };
}

/** Emails the customer a link to a proof version to approve or reject. */
export async function sendProof(
  db: Executor,
  mail: Pick<MailService, "send">,
  actor: MemberActor,
  input: z.infer<typeof sendDocumentInput>,
  now: Date,
) {
  const sent = await inTransaction(db, async (trx) => {
    const p = await trx
      .selectFrom("proof")
      .innerJoin("job", "job.id", "proof.jobId")
      .innerJoin("customer", "customer.id", "job.customerId")
      .select(["proof.id", "proof.version", "proof.status", "job.title", "customer.name", "customer.email"])
      .where("proof.id", "=", input.id)
      .where("proof.organizationId", "=", actor.organizationId)
      .executeTakeFirst();
    if (!p) throw notFound("Proof not found");
    if (p.status !== "pending") throw conflict(`This proof is already ${p.status}`);
    const to = input.to ?? p.email;
    if (!to) throw badRequest("The customer has no email address", { to: "Enter an email address" });
    const token = await createPortalToken(
      trx,
      { organizationId: actor.organizationId, type: "proof", id: p.id },
      now,
    );
    await recordAudit(trx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      action: "billing.proof.sent",
      subjectType: "proof",
      subjectId: p.id,
      data: { to, version: p.version },
    });
    return { ...p, to, token };
  });
  const shop = await shopName(db, actor.organizationId);
  await mail.send({
    to: sent.to,
    subject: `Proof ${sent.version} from ${shop}: ${sent.title}`,
    text:
      `Hello ${sent.name},\n\n${shop} sent proof version ${sent.version} of "${sent.title}". ` +
      `Printing starts once you approve it. Approve it or ask for changes here (no account needed):\n` +
      `${portalPath(sent.token)}\n`,
    template: "billing-proof",
    category: "service",
    organizationId: actor.organizationId,
  });
  return { sentTo: sent.to, portalPath: portalPath(sent.token) };
}
