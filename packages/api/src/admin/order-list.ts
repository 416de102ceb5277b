// The platform's order list for the admin console (search, filters, pages).

import type { OrderStatus } from "@ktizo/db";
import { sql } from "kysely";
import { type Executor, likePattern, type Page, pageRows, toPage } from "../kernel/index.ts";
import type { ListOrdersInput } from "./schemas.ts";

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
  const [rows, total] = await pageRows(
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
      .orderBy("o.id", "desc"),
    base.select(sql<number>`count(*)::int`.as("n")),
    input,
  );
  return toPage(rows, total, input);
}
