import { listedShop } from "@ktizo/api/testing";
import { type Database, newId } from "@ktizo/db";

export interface Volume {
  shops: number;
  jobs: number;
  orders: number;
}

/** A platform of realistic size (issue 17: 200 shops, 20,000 jobs, 50,000 orders). */
export const REALISTIC: Volume = { shops: 200, jobs: 20_000, orders: 50_000 };

const BATCH = 1_000;

async function inBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * Adds `volume` on top of the demo seed: listed shops built like the tests' (printers, materials,
 * shipping), then jobs and marketplace orders written in batches. A tenth of the jobs go to the demo
 * shop whose board the benchmark opens, so its board is a busy shop's board.
 */
export async function seedVolume(db: Database, volume: Volume, busyShopId: string): Promise<void> {
  const shopIds: string[] = [];
  for (let i = 1; i <= volume.shops; i++) {
    shopIds.push((await listedShop(db, `Bench Shop ${i}`, `bench-shop-${i}`, 3 + (i % 7))).organizationId);
  }
  const owners = [busyShopId, ...shopIds];
  const customerOf = new Map<string, string>();
  await inBatches(owners, (batch) =>
    db
      .insertInto("customer")
      .values(
        batch.map((organizationId) => {
          const id = newId("cus");
          customerOf.set(organizationId, id);
          return { id, organizationId, name: "Bench Customer", email: "bench@customer.example" };
        }),
      )
      .execute(),
  );

  const statuses = ["quote", "approved", "post_processing", "ready", "completed", "shipped"] as const;
  const day = 86_400_000;
  const now = Date.now();
  const maxNumber = new Map<string, number>();
  const jobs = Array.from({ length: volume.jobs }, (_, i) => {
    const organizationId = i % 10 === 0 ? busyShopId : shopIds[i % shopIds.length]!;
    const number = (maxNumber.get(organizationId) ?? 100_000) + 1;
    maxNumber.set(organizationId, number);
    const createdAt = new Date(now - (i % 365) * day);
    return {
      id: newId("job"),
      organizationId,
      number,
      title: `Bench job ${i}`,
      customerId: customerOf.get(organizationId)!,
      source: "manual" as const,
      orderId: null,
      status: statuses[i % statuses.length]!,
      heldFromStatus: null,
      dueAt: new Date(createdAt.getTime() + 7 * day),
      currency: "USD",
      totalMinor: 1_000 + (i % 50) * 100,
      createdAt,
      updatedAt: createdAt,
      statusChangedAt: createdAt,
    };
  });
  await inBatches(jobs, (batch) => db.insertInto("job").values(batch).execute());

  const address = {
    name: "Bench Customer",
    line1: "1 Main St",
    line2: null,
    city: "Springfield",
    region: "IL",
    postalCode: "62701",
    country: "US",
  };
  const orderStatuses = ["paid", "in_production", "shipped", "delivered", "cancelled"] as const;
  const orders = Array.from({ length: volume.orders }, (_, i) => {
    const createdAt = new Date(now - (i % 365) * day);
    return {
      id: newId("ord"),
      userId: null,
      organizationId: owners[i % owners.length]!,
      checkoutId: newId("chk"),
      status: orderStatuses[i % orderStatuses.length]!,
      currency: "USD",
      subtotalMinor: 2_000,
      shippingMinor: 500,
      taxMinor: 0,
      totalMinor: 2_500,
      connectedAccountId: null,
      shippingOption: JSON.stringify({ name: "Standard", priceMinor: 500, days: 5 }),
      shippingAddress: JSON.stringify(address),
      customerName: "Bench Customer",
      customerEmail: "bench@customer.example",
      checkoutSessionId: null,
      paymentIntentId: null,
      refundId: null,
      jobId: null,
      trackingNumber: null,
      paidAt: createdAt,
      guestAccessToken: null,
      createdAt,
      updatedAt: createdAt,
    };
  });
  await inBatches(orders, (batch) => db.insertInto("marketplaceOrder").values(batch).execute());
}
