import type { Executor } from "../kernel/index.ts";
import { notFound } from "../kernel/index.ts";
import { addToCart } from "./cart.ts";
import type { Customer } from "./common.ts";
import { createQuote, qualitySchema } from "./quotes.ts";

/**
 * Orders the same parts again: each line is quoted afresh at today's prices (a new stored quote) and
 * put in the cart, so the customer sees the current price before paying.
 */
export async function reorder(
  db: Executor,
  customer: Customer,
  orderId: string,
  now: Date,
): Promise<{ quoteIds: string[] }> {
  const lines = await db
    .selectFrom("orderLine as l")
    .innerJoin("marketplaceOrder as o", "o.id", "l.orderId")
    .innerJoin("marketplaceQuote as q", "q.id", "l.quoteId")
    .innerJoin("organization as g", "g.id", "o.organizationId")
    .select([
      "l.uploadId",
      "l.materialId",
      "l.color",
      "l.quantity",
      "l.scaleUnit",
      "l.scalePercent",
      "q.rush",
      "q.inputs",
      "g.slug",
    ])
    .where("o.id", "=", orderId)
    .where("o.userId", "=", customer.userId)
    .orderBy("l.position")
    .execute();
  if (lines.length === 0) throw notFound("Order not found");
  const quoteIds: string[] = [];
  for (const l of lines) {
    const quote = await createQuote(
      db,
      { userId: customer.userId },
      {
        uploadId: l.uploadId,
        shopSlug: l.slug,
        materialId: l.materialId,
        color: l.color,
        quality: qualitySchema.catch("standard").parse(l.inputs.quality),
        quantity: l.quantity,
        rush: l.rush,
        // The same size as before (issue 20): the model at the unit and scale it was ordered at.
        unit: l.scaleUnit,
        scalePercent: l.scalePercent,
      },
      now,
    );
    await addToCart(db, customer, quote.id);
    quoteIds.push(quote.id);
  }
  return { quoteIds };
}
