import type { Database } from "@ktizo/db";
import type { AiService, PurchaseOrderExtraction } from "@ktizo/services";
import { sql } from "kysely";
import { z } from "zod";
import { DomainError, hitRateLimit } from "../kernel/index.ts";
import { enforcePlanLimit } from "../shop/plans.ts";
import { askAi } from "./ask.ts";

/** The pasted purchase order: plain text (an email body, a PDF's text), as much as the AI gate accepts. */
export const intakePurchaseOrderInput = z.object({
  text: z.string().trim().min(1, "Paste the purchase order's text").max(50_000, "At most 50,000 characters"),
});

export interface DraftJobItem {
  description: string;
  quantity: number;
  /** The material as the purchase order names it. */
  material: string | null;
  /** The shop's own material whose name matches, if any. */
  materialId: string | null;
  unitPriceMinor: number | null;
}

/** A job as the purchase order describes it, for the new-job form to prefill; nothing is saved. */
export interface DraftJob {
  title: string;
  poNumber: string | null;
  customer: {
    name: string | null;
    company: string | null;
    email: string | null;
    phone: string | null;
    existingCustomerId: string | null;
  };
  dueDate: string | null;
  currency: string | null;
  items: DraftJobItem[];
  notes: string | null;
  /** The purchase order asks for rush handling. */
  rush: boolean;
  /** "anthropic" or "rules" (the local reader, less thorough: the UI says so). */
  source: PurchaseOrderExtraction["source"];
}

interface Actor {
  organizationId: string;
  userId: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads a pasted purchase order into a draft job (P13): the text goes to the AI service only through
 * its gate, so with the organization's or the user's AI switch off nothing is sent and the caller is
 * told so. The draft is matched against the shop's own customers and materials; nothing is written.
 */
export async function intakePurchaseOrder(
  db: Database,
  ai: AiService,
  actor: Actor,
  input: z.infer<typeof intakePurchaseOrderInput>,
  now: Date,
): Promise<DraftJob> {
  // AI features are part of the paid plans (issue 16, req. 9).
  await enforcePlanLimit(db, actor.organizationId, "ai", now);
  // P4: each reading costs a provider request; a user gets a fixed number per hour in each shop.
  const limit = await hitRateLimit(db, "aiIntake", [actor.organizationId, actor.userId], now);
  if (!limit.allowed) {
    const minutes = Math.ceil(limit.retryAfterSeconds / 60);
    throw new DomainError(
      "TOO_MANY_REQUESTS",
      `You have read ${limit.limit} purchase orders this hour. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  }
  const po: PurchaseOrderExtraction = await askAi(
    () => ai.extractPurchaseOrder(actor, { text: input.text }),
    { what: "Purchase-order reading", withoutAi: "fill in the job by hand.", field: "text" },
  );

  const email = po.customerEmail?.trim().toLowerCase() ?? null;
  const existing =
    email && EMAIL.test(email)
      ? await db
          .selectFrom("customer")
          .select("id")
          .where("organizationId", "=", actor.organizationId)
          .where(sql<string>`lower(email)`, "=", email)
          .executeTakeFirst()
      : undefined;
  const materials = await db
    .selectFrom("material")
    .select(["id", "name"])
    .where("organizationId", "=", actor.organizationId)
    .execute();
  const materialFor = (named: string | null): string | null => {
    const wanted = named?.trim().toLowerCase();
    if (!wanted) return null;
    const exact = materials.find((m) => m.name.toLowerCase() === wanted);
    const partial = materials.filter(
      (m) => m.name.toLowerCase().includes(wanted) || wanted.includes(m.name.toLowerCase()),
    );
    return exact?.id ?? (partial.length === 1 ? (partial[0]?.id ?? null) : null);
  };

  const first = po.items[0]?.description;
  const title = po.poNumber
    ? `PO ${po.poNumber}${first ? `: ${first}` : ""}`
    : (first ?? "Job from purchase order");
  return {
    title: title.slice(0, 200),
    poNumber: po.poNumber,
    customer: {
      name: po.customerName,
      company: po.customerCompany,
      email: po.customerEmail,
      phone: po.customerPhone,
      existingCustomerId: existing?.id ?? null,
    },
    dueDate: po.dueDate,
    currency: po.currency,
    items: po.items.map((item) => ({ ...item, materialId: materialFor(item.material) })),
    notes: po.notes,
    rush: po.rush,
    source: po.source,
  };
}
