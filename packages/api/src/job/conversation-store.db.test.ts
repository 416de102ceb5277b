import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopFixture, T0 } from "../testing/shop-fixtures.ts";
import {
  applyDeliveryStatus,
  markConversationMessageSent,
  type NewConversationMessage,
  recordConversationMessage,
} from "./conversation-store.ts";

let handle: DbHandle;
let organizationId: string;
let customerId: string;
beforeAll(async () => {
  handle = await createTestDb();
  const shop = await shopFixture(handle.db, "Conversation Shop");
  organizationId = shop.organizationId;
  customerId = "cus_conversation";
  await handle.db
    .insertInto("customer")
    .values({
      id: customerId,
      organizationId,
      name: "Ada",
      phone: "+447911123456",
      addresses: JSON.stringify([]),
    })
    .execute();
});
afterAll(() => handle.close());

function sms(overrides: Partial<NewConversationMessage> = {}): NewConversationMessage {
  return {
    organizationId,
    customerId,
    jobId: null,
    channel: "sms",
    direction: "in",
    authorUserId: null,
    authorLabel: "+447911123456",
    counterpart: "+447911123456",
    body: "YES",
    status: "received",
    provider: "twilio",
    externalId: "SM-inbound-1",
    ...overrides,
  };
}

describe("conversation store", () => {
  it("stores a provider's message once however often it is delivered", async () => {
    const first = await recordConversationMessage(handle.db, sms(), T0);
    const again = await recordConversationMessage(handle.db, sms({ body: "changed" }), T0);
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const rows = await handle.db
      .selectFrom("conversationMessage")
      .select(["body"])
      .where("externalId", "=", "SM-inbound-1")
      .execute();
    expect(rows).toEqual([{ body: "YES" }]);
  });

  it("refuses a message that belongs to no customer and no job", async () => {
    await expect(
      recordConversationMessage(handle.db, sms({ customerId: null, externalId: "SM-x" }), T0),
    ).rejects.toThrow(/customer or a job/);
  });

  it("moves delivery status forwards only", async () => {
    const out = await recordConversationMessage(
      handle.db,
      sms({ direction: "out", status: "queued", externalId: null, body: "Your proof is ready" }),
      T0,
    );
    await markConversationMessageSent(
      handle.db,
      { id: out.id, provider: "twilio", externalId: "SM-out-1" },
      T0,
    );
    expect(
      await applyDeliveryStatus(
        handle.db,
        { provider: "twilio", externalId: "SM-out-1", status: "delivered" },
        T0,
      ),
    ).toMatchObject({ id: out.id, organizationId });
    // A late "sent" report after "delivered" changes nothing.
    expect(
      await applyDeliveryStatus(
        handle.db,
        { provider: "twilio", externalId: "SM-out-1", status: "sent" },
        T0,
      ),
    ).toBeNull();
    // A report for another provider's id, or an inbound message, changes nothing either.
    expect(
      await applyDeliveryStatus(
        handle.db,
        { provider: "gmail", externalId: "SM-out-1", status: "failed" },
        T0,
      ),
    ).toBeNull();
    expect(
      await applyDeliveryStatus(
        handle.db,
        { provider: "twilio", externalId: "SM-inbound-1", status: "failed" },
        T0,
      ),
    ).toBeNull();
    const row = await handle.db
      .selectFrom("conversationMessage")
      .select(["status", "externalId"])
      .where("id", "=", out.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "delivered", externalId: "SM-out-1" });
  });
});
