import { type DbHandle, newId } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ShopFixture, shopFixture } from "../testing/shop-fixtures.ts";
import { backfillCustomerPhones, customerPhoneBackfillJob } from "./phone-backfill.ts";

let handle: DbHandle;
let gb: ShopFixture;

beforeAll(async () => {
  handle = await createTestDb();
  gb = await shopFixture(handle.db, "Phone Shop");
  // Numbers typed without a country code are read in the shop's country.
  await handle.db
    .updateTable("organizationProfile")
    .set({ country: "GB" })
    .where("organizationId", "=", gb.organizationId)
    .execute();
});
afterAll(() => handle.close());

/** A customer row as it stood before phone_e164 existed (or with it set). */
async function customer(phone: string | null, phoneE164: string | null = null) {
  const id = newId("cus");
  await handle.db
    .insertInto("customer")
    .values({
      id,
      organizationId: gb.organizationId,
      userId: null,
      name: `C ${phone}`,
      company: null,
      email: null,
      phone,
      phoneE164,
    })
    .execute();
  return id;
}

const e164 = async (id: string) =>
  (await handle.db.selectFrom("customer").select("phoneE164").where("id", "=", id).executeTakeFirstOrThrow())
    .phoneE164;

describe("backfill of customers' E.164 phone", () => {
  it("fills every readable phone once with the one normaliser, leaves the rest, and is idempotent", async () => {
    const local = await customer("07911 123456");
    const international = await customer("+1 (415) 555-2671");
    const unreadable = await customer("call the office");
    const none = await customer(null);
    const kept = await customer("07911 123456", "+447700900123");
    // More than one batch of 200.
    const many = await Promise.all(Array.from({ length: 205 }, () => customer("+44 7911 123457")));

    expect(await backfillCustomerPhones(handle.db)).toEqual({ filled: 207, unreadable: 1 });
    expect(await e164(local)).toBe("+447911123456");
    expect(await e164(international)).toBe("+14155552671");
    expect(await e164(unreadable)).toBeNull();
    expect(await e164(none)).toBeNull();
    expect(await e164(kept)).toBe("+447700900123");
    expect(await e164(many[204] ?? "")).toBe("+447911123457");

    // A second run (the next worker start) writes nothing.
    expect(await backfillCustomerPhones(handle.db)).toEqual({ filled: 0, unreadable: 1 });
    const late = await customer("07911 123458");
    await customerPhoneBackfillJob.run({}, { db: handle.db });
    expect(await e164(late)).toBe("+447911123458");
  });
});
