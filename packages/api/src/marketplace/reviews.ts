import { newId } from "@ktizo/db";
import { sql } from "kysely";
import { z } from "zod";
import {
  badRequest,
  conflict,
  type Executor,
  notFound,
  type Page,
  type Pagination,
  toPage,
} from "../kernel/index.ts";
import type { Customer } from "./common.ts";
import { effectiveOrderStatus } from "./order-status-sync.ts";

export const createReviewInput = z.object({
  orderId: z.string().min(1).max(100),
  rating: z.number().int("Stars are whole numbers").min(1, "At least 1 star").max(5, "At most 5 stars"),
  body: z.string().trim().max(4000, "At most 4000 characters").default(""),
});

export interface ReviewView {
  id: string;
  authorName: string;
  rating: number;
  body: string;
  createdAt: Date;
}

/** One review per delivered order, by the customer who placed it; shown on the shop's page. */
export async function createReview(
  db: Executor,
  customer: Customer,
  input: z.infer<typeof createReviewInput>,
  now: Date,
): Promise<ReviewView> {
  const order = await db
    .selectFrom("marketplaceOrder as o")
    .leftJoin("job as j", "j.id", "o.jobId")
    .select(["o.id", "o.organizationId", "o.status", "j.status as jobStatus"])
    .where("o.id", "=", input.orderId)
    .where("o.userId", "=", customer.userId)
    .executeTakeFirst();
  if (!order) throw notFound("Order not found");
  if (effectiveOrderStatus(order.status, order.jobStatus) !== "delivered") {
    throw badRequest("You can review an order once it has been delivered");
  }
  const firstName = customer.name.trim().split(/\s+/)[0] ?? "Customer";
  const row = await db
    .insertInto("shopReview")
    .values({
      id: newId("rev"),
      organizationId: order.organizationId,
      orderId: order.id,
      userId: customer.userId,
      authorName: firstName,
      rating: input.rating,
      body: input.body,
      createdAt: now,
    })
    .onConflict((oc) => oc.column("orderId").doNothing())
    .returning(["id", "authorName", "rating", "body", "createdAt"])
    .executeTakeFirst();
  if (!row) throw conflict("You have already reviewed this order");
  return row;
}

export async function listShopReviews(
  db: Executor,
  organizationId: string,
  p: Pagination,
): Promise<Page<ReviewView> & { rating: number | null }> {
  const [rows, agg] = await Promise.all([
    db
      .selectFrom("shopReview")
      .select(["id", "authorName", "rating", "body", "createdAt"])
      .where("organizationId", "=", organizationId)
      .orderBy("createdAt", "desc")
      .orderBy("id")
      .limit(p.pageSize)
      .offset((p.page - 1) * p.pageSize)
      .execute(),
    db
      .selectFrom("shopReview")
      .select([sql<number>`count(*)::int`.as("n"), sql<number | null>`avg(rating)::float8`.as("avg")])
      .where("organizationId", "=", organizationId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    ...toPage(rows, agg.n, p),
    rating: agg.avg === null ? null : Math.round(Number(agg.avg) * 100) / 100,
  };
}
