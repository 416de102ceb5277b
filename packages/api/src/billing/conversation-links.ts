import type { Executor } from "../kernel/index.ts";
import { createPortalToken, portalPath } from "./tokens.ts";

/**
 * The proof and payment links a conversation message may carry ({proof_link}, {payment_link}, issue 13):
 * the portal links of the job's proof waiting for approval and of its issued invoice. A preview only says
 * which document the link will open; sending creates the link (a new portal token, like an email does).
 */
export async function jobDocumentLinks(
  db: Executor,
  organizationId: string,
  jobId: string,
  now: Date,
  mode: "preview" | "send",
): Promise<{
  proof: { version: number; path: string } | null;
  payment: { number: string; path: string } | null;
}> {
  const proof = await db
    .selectFrom("proof")
    .select(["id", "version", "status"])
    .where("organizationId", "=", organizationId)
    .where("jobId", "=", jobId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  const invoice = await db
    .selectFrom("invoice")
    .select(["id", "number"])
    .where("organizationId", "=", organizationId)
    .where("jobId", "=", jobId)
    .where("kind", "=", "invoice")
    .where("status", "=", "issued")
    .orderBy("createdAt", "desc")
    .limit(1)
    .executeTakeFirst();
  const link = async (type: "proof" | "invoice", id: string, label: string) =>
    mode === "preview"
      ? `[link to ${label}]`
      : portalPath(await createPortalToken(db, { organizationId, type, id }, now));
  return {
    proof:
      proof && proof.status === "pending"
        ? { version: proof.version, path: await link("proof", proof.id, `proof ${proof.version}`) }
        : null,
    payment:
      invoice?.number != null
        ? { number: invoice.number, path: await link("invoice", invoice.id, `invoice ${invoice.number}`) }
        : null,
  };
}
