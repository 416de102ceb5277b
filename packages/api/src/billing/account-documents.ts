import { sql } from "kysely";
import { z } from "zod";
import { type Executor, idSchema, notFound } from "../kernel/index.ts";
import { invoiceBalance, invoiceStatus } from "./balance.ts";
import { isoDay } from "./document.ts";
import { creditedOf, ledgerOf } from "./invoice-views.ts";
import { createPortalToken, portalPath } from "./tokens.ts";

export const openDocumentInput = z
  .object({ type: z.enum(["estimate", "invoice"], { error: "Estimate or invoice" }), id: idSchema })
  .strict();

/** The signed-in customer's verified email, or null (an unverified address proves nothing). */
async function verifiedEmail(db: Executor, userId: string): Promise<string | null> {
  const user = await db
    .selectFrom("user")
    .select(["email", "emailVerified"])
    .where("id", "=", userId)
    .executeTakeFirst();
  return user?.emailVerified ? user.email.toLowerCase() : null;
}

function estimatesFor(db: Executor, email: string) {
  return db
    .selectFrom("estimate")
    .innerJoin("job", "job.id", "estimate.jobId")
    .innerJoin("customer", "customer.id", "job.customerId")
    .innerJoin("organization", "organization.id", "estimate.organizationId")
    .innerJoin("estimateVersion", (j) =>
      j
        .onRef("estimateVersion.estimateId", "=", "estimate.id")
        .onRef("estimateVersion.version", "=", "estimate.currentVersion"),
    )
    .where(sql<string>`lower(customer.email)`, "=", email)
    .where("estimate.status", "!=", "draft");
}

function invoicesFor(db: Executor, email: string) {
  return db
    .selectFrom("invoice")
    .innerJoin("organization", "organization.id", "invoice.organizationId")
    .leftJoin("customer", "customer.id", "invoice.customerId")
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(invoice.recipient_email)`, "=", email),
        eb(sql<string>`lower(customer.email)`, "=", email),
      ]),
    )
    .where("invoice.status", "!=", "draft");
}

/**
 * What the signed-in customer was sent by shops: estimates and invoices whose customer email is their
 * verified email, newest first, across shops. Each opens in the portal (`openAccountDocument`).
 */
export async function listAccountDocuments(db: Executor, userId: string, now: Date) {
  const email = await verifiedEmail(db, userId);
  if (!email) return { verified: false, estimates: [], invoices: [] };
  const estimates = await estimatesFor(db, email)
    .select([
      "estimate.id",
      "estimate.status",
      "estimate.currency",
      "estimate.updatedAt",
      "job.title",
      "organization.name as shopName",
      "estimateVersion.totalMinor",
    ])
    .orderBy("estimate.updatedAt", "desc")
    .limit(100)
    .execute();
  const rows = await invoicesFor(db, email)
    .select([
      "invoice.id",
      "invoice.kind",
      "invoice.number",
      "invoice.status",
      "invoice.currency",
      "invoice.totalMinor",
      "invoice.issueDate",
      "invoice.dueDate",
      "invoice.sentAt",
      "invoice.viewedAt",
      "organization.name as shopName",
    ])
    .orderBy("invoice.issueDate", "desc")
    .orderBy("invoice.id", "desc")
    .limit(100)
    .execute();
  const invoices = [];
  for (const r of rows) {
    const balance = invoiceBalance(r.totalMinor, await creditedOf(db, r.id), await ledgerOf(db, r.id));
    const display = invoiceStatus(r, balance, isoDay(now));
    invoices.push({
      id: r.id,
      kind: r.kind,
      number: r.number,
      status: display,
      currency: r.currency,
      totalMinor: r.totalMinor,
      dueMinor: r.kind === "invoice" ? balance.dueMinor : 0,
      issueDate: r.issueDate,
      dueDate: r.dueDate,
      shopName: r.shopName,
    });
  }
  return { verified: true, estimates, invoices };
}

/** A fresh portal link to one of the customer's own documents; anyone else's answers NOT_FOUND. */
export async function openAccountDocument(
  db: Executor,
  userId: string,
  input: z.infer<typeof openDocumentInput>,
  now: Date,
) {
  const email = await verifiedEmail(db, userId);
  if (!email) throw notFound("Document not found");
  const doc =
    input.type === "estimate"
      ? await estimatesFor(db, email)
          .select(["estimate.id", "estimate.organizationId"])
          .where("estimate.id", "=", input.id)
          .executeTakeFirst()
      : await invoicesFor(db, email)
          .select(["invoice.id", "invoice.organizationId"])
          .where("invoice.id", "=", input.id)
          .executeTakeFirst();
  if (!doc?.organizationId) throw notFound("Document not found");
  const token = await createPortalToken(
    db,
    { organizationId: doc.organizationId, type: input.type, id: doc.id },
    now,
  );
  return { portalPath: portalPath(token) };
}
