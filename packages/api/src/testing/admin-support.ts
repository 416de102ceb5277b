import { type Database, newId } from "@ktizo/db";
import type { TestModePayments } from "@ktizo/services";
import type { ShopFixture } from "./shop-fixtures.ts";

/** Test helpers for the admin folder (not used by production code): rows with chosen times. */

export async function insertQuote(db: Database, shop: ShopFixture, createdAt: Date): Promise<string> {
  const uploadId = newId("upl");
  await db
    .insertInto("modelUpload")
    .values({
      id: uploadId,
      userId: shop.owner.userId,
      // A well-formed key with no file behind it (fulfilment skips a missing model file).
      storageKey: `f_${Array.from({ length: 26 }, () => Math.floor(Math.random() * 36).toString(36)).join("")}`,
      fileName: "part.stl",
      contentType: "model/stl",
      sizeBytes: 100,
      analysis: JSON.stringify({}),
    })
    .execute();
  const id = newId("quo");
  await db
    .insertInto("marketplaceQuote")
    .values({
      id,
      uploadId,
      organizationId: shop.organizationId,
      materialId: shop.plaId,
      printerId: shop.printerId,
      quantity: 1,
      currency: "usd",
      inputs: JSON.stringify({}),
      breakdown: JSON.stringify({}),
      totalMinor: 1000,
      leadDays: 5,
      expiresAt: new Date(createdAt.getTime() + 7 * 86_400_000),
      createdAt,
    })
    .execute();
  return id;
}

export interface OrderSeed {
  organizationId: string;
  userId?: string | null;
  currency?: string;
  totalMinor: number;
  platformFeeMinor?: number;
  createdAt: Date;
  paidAt?: Date | null;
  status?: "pending_payment" | "paid" | "in_production" | "shipped" | "delivered" | "cancelled" | "refunded";
  customerName?: string;
  customerEmail?: string;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
  /** With a shop: one order line (a quote of that shop), as checkout writes it. */
  lineOf?: ShopFixture;
}

/** An order row as checkout would leave it (paid when `paidAt` is given). */
export async function insertOrder(db: Database, seed: OrderSeed): Promise<{ id: string; number: number }> {
  const paid = seed.paidAt ?? null;
  return db
    .insertInto("marketplaceOrder")
    .values({
      id: newId("ord"),
      userId: seed.userId ?? null,
      organizationId: seed.organizationId,
      checkoutId: newId("chk"),
      status: seed.status ?? (paid ? "paid" : "pending_payment"),
      currency: seed.currency ?? "USD",
      subtotalMinor: seed.totalMinor,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: seed.totalMinor,
      platformFeeMinor: seed.platformFeeMinor ?? 0,
      capturedMinor: paid ? seed.totalMinor : 0,
      shippingOption: JSON.stringify({ name: "Standard", priceMinor: 0, days: 5 }),
      shippingAddress: JSON.stringify({
        name: "Cora Customer",
        line1: "1 Main St",
        line2: null,
        city: "Springfield",
        postalCode: "12345",
        region: null,
        country: "US",
      }),
      customerName: seed.customerName ?? "Cora Customer",
      customerEmail: seed.customerEmail ?? "cora@example.test",
      paymentIntentId: seed.paymentIntentId ?? null,
      checkoutSessionId: seed.checkoutSessionId ?? null,
      paidAt: paid,
      createdAt: seed.createdAt,
      updatedAt: seed.createdAt,
    })
    .returning(["id", "number"])
    .executeTakeFirstOrThrow()
    .then(async (order) => {
      if (seed.lineOf) {
        const quoteId = await insertQuote(db, seed.lineOf, seed.createdAt);
        const quote = await db
          .selectFrom("marketplaceQuote")
          .select(["uploadId", "materialId"])
          .where("id", "=", quoteId)
          .executeTakeFirstOrThrow();
        await db
          .insertInto("orderLine")
          .values({
            id: newId("oln"),
            orderId: order.id,
            quoteId,
            uploadId: quote.uploadId,
            position: 1,
            description: "part.stl",
            materialId: quote.materialId,
            color: null,
            quantity: 1,
            totalMinor: seed.totalMinor,
            gramsPerUnit: 10,
            minutesPerUnit: 30,
          })
          .execute();
      }
      return order;
    });
}

/**
 * A paid order whose payment exists in test-mode payments (a completed simulated checkout), so the
 * real refund path can refund it.
 */
export async function insertPaidTestOrder(
  db: Database,
  payments: TestModePayments,
  seed: Omit<OrderSeed, "paidAt" | "paymentIntentId" | "checkoutSessionId"> & { paidAt?: Date },
): Promise<{ id: string; number: number; paymentIntentId: string }> {
  const order = await insertOrder(db, { ...seed, paidAt: seed.paidAt ?? seed.createdAt });
  const { sessionId } = await payments.createCheckout({
    orderId: order.id,
    amountMinor: seed.totalMinor,
    currency: seed.currency ?? "usd",
    successUrl: "http://localhost/ok",
    cancelUrl: "http://localhost/cancel",
    idempotencyKey: `checkout-${order.id}`,
  });
  await payments.completeCheckout(sessionId);
  const paymentIntentId = (await payments.getTestSession(sessionId))?.paymentIntentId ?? "";
  await db
    .updateTable("marketplaceOrder")
    .set({ checkoutSessionId: sessionId, paymentIntentId })
    .where("id", "=", order.id)
    .execute();
  return { ...order, paymentIntentId };
}
