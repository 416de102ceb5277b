import type { Database } from "@ktizo/db";
import { z } from "zod";
import { customerPhoneColumns } from "./customers.ts";

const BATCH = 200;

/**
 * Fills `customer.phone_e164` for customers saved before it existed (migration 0201): their typed phone
 * read by the one normaliser (`customerPhoneColumns`, the kernel's `toE164` in the shop's country), so
 * inbound texts find them and they can be texted. Idempotent and safe beside live edits: only a row whose
 * E.164 form is still empty is written, and a number that is not valid stays empty. Keyset batches by id.
 */
export async function backfillCustomerPhones(db: Database): Promise<{ filled: number; unreadable: number }> {
  let filled = 0;
  let unreadable = 0;
  let after = "";
  for (;;) {
    const rows = await db
      .selectFrom("customer")
      .select(["id", "organizationId", "phone"])
      .where("phone", "is not", null)
      .where("phone", "!=", "")
      .where("phoneE164", "is", null)
      .where("id", ">", after)
      .orderBy("id")
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const { phoneE164 } = await customerPhoneColumns(db, row.organizationId, row.phone);
      if (!phoneE164) {
        unreadable++;
        continue;
      }
      const written = await db
        .updateTable("customer")
        .set({ phoneE164 })
        .where("id", "=", row.id)
        .where("phone", "=", row.phone)
        .where("phoneE164", "is", null)
        .executeTakeFirst();
      filled += Number(written.numUpdatedRows);
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) break;
    after = last.id;
  }
  return { filled, unreadable };
}

const noData = z.object({});

/**
 * The backfill as background work (the shape `defineJob` accepts): sent once at every worker start and
 * daily, it finds nothing left to do after the first run.
 */
export const customerPhoneBackfillJob = {
  name: "customer-phone-e164-backfill",
  schema: noData,
  cron: "41 4 * * *",
  retryLimit: 3,
  run: async (_data: z.infer<typeof noData>, deps: { db: Database }): Promise<void> => {
    await backfillCustomerPhones(deps.db);
  },
};
