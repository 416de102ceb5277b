import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceInputError } from "../errors.ts";
import { formFields, type LoopbackServer, startLoopback } from "../testing/loopback.ts";
import { outboxRow } from "../testing/outbox.ts";
import { createOutboxSms } from "./outbox.ts";
import { createTwilioSms } from "./twilio.ts";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const AUTH_TOKEN = "twilio-auth-token-123";
let handle: DbHandle;
let server: LoopbackServer;

beforeAll(async () => {
  handle = await createTestDb();
  server = await startLoopback((req) => {
    const form = formFields(req);
    if (form.To === "+15005550001") {
      return {
        status: 400,
        body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 },
      };
    }
    return {
      status: 201,
      body: { sid: "SM0123456789abcdef0123456789abcdef", status: "queued", to: form.To, body: form.Body },
    };
  });
});
afterAll(async () => {
  await server.close();
  await handle.close();
});

/** Twilio against the loopback server, sending from `from` (a number or a Messaging Service sid). */
const twilioFrom = (from: string) =>
  createTwilioSms({
    db: handle.db,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from,
    apiBaseUrl: server.url,
  });

const sms = {
  body: "Your order ORD-7 has shipped.",
  template: "order-shipped",
  category: "service" as const,
  userId: "usr_1",
};

describe("Twilio SMS against a loopback API", () => {
  it("POSTs the Messages form with Basic auth and records the message as sent", async () => {
    const twilioSms = twilioFrom("+15005550006");
    const before = server.received.length;
    const { id } = await twilioSms.send({ ...sms, to: "+447911123456" });
    const req = server.received[before]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(req.headers.authorization).toBe(
      `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`,
    );
    expect(formFields(req)).toEqual({
      To: "+447911123456",
      From: "+15005550006",
      Body: "Your order ORD-7 has shipped.",
    });
    const row = await outboxRow(handle.db, "id", id);
    expect(row).toMatchObject({
      channel: "sms",
      provider: "twilio",
      status: "sent",
      providerMessageId: "SM0123456789abcdef0123456789abcdef",
    });
  });

  it("sends through a Messaging Service when TWILIO_FROM is an MG sid", async () => {
    const twilioSms = twilioFrom(`MG${"2".repeat(32)}`);
    const before = server.received.length;
    await twilioSms.send({ ...sms, to: "+14155552671" });
    expect(formFields(server.received[before]!)).toMatchObject({
      MessagingServiceSid: `MG${"2".repeat(32)}`,
    });
  });

  it("sends from the shop's own number with a status callback, and returns Twilio's MessageSid", async () => {
    const twilioSms = twilioFrom("+15005550006");
    const before = server.received.length;
    const sent = await twilioSms.send({
      ...sms,
      to: "+447911123456",
      from: "+14155552671",
      statusCallback: "https://shop.example/api/webhooks/twilio",
    });
    expect(sent.providerMessageId).toBe("SM0123456789abcdef0123456789abcdef");
    expect(formFields(server.received[before]!)).toEqual({
      To: "+447911123456",
      From: "+14155552671",
      Body: sms.body,
      StatusCallback: "https://shop.example/api/webhooks/twilio",
    });
    await expect(twilioSms.send({ ...sms, to: "+447911123456", from: "shop" })).rejects.toThrow(/from:/);
    expect(server.received.length).toBe(before + 1);
  });

  it("verifies webhook signatures with the SDK over the exact URL and parameters", () => {
    const twilioSms = twilioFrom("+15005550006");
    const url = "https://shop.example/api/webhooks/twilio";
    const params = { From: "+447911123456", To: "+14155552671", Body: "YES", MessageSid: "SM1" };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params);
    expect(twilioSms.verifyWebhook({ signature, url, params })).toBe(true);
    expect(twilioSms.verifyWebhook({ signature, url, params: { ...params, Body: "NO" } })).toBe(false);
    expect(twilioSms.verifyWebhook({ signature, url: `${url}?x=1`, params })).toBe(false);
    expect(twilioSms.verifyWebhook({ signature: null, url, params })).toBe(false);
    expect(createOutboxSms(handle.db).verifyWebhook({ signature, url, params })).toBe(false);
  });

  it("records a refusal as failed and throws", async () => {
    const twilioSms = twilioFrom("+15005550006");
    await expect(twilioSms.send({ ...sms, to: "+15005550001" })).rejects.toThrow(/twilio: sending failed/);
    const row = await outboxRow(handle.db, "recipient", "+15005550001");
    expect(row).toMatchObject({ status: "failed", provider: "twilio" });
  });

  it("refuses numbers that are not E.164 before any request", async () => {
    const twilioSms = twilioFrom("+15005550006");
    const before = server.received.length;
    for (const to of ["07911 123456", "+44 7911 123456", "447911123456", "+0123456789", ""]) {
      await expect(twilioSms.send({ ...sms, to })).rejects.toThrow(/to: must be an E.164 phone number/);
    }
    await expect(twilioSms.send({ ...sms, to: "+447911123456", body: " " })).rejects.toBeInstanceOf(
      ServiceInputError,
    );
    expect(server.received.length).toBe(before);
  });
});

describe("outbox SMS stand-in", () => {
  it("stores the message with channel sms", async () => {
    const outbox = createOutboxSms(handle.db);
    const { id } = await outbox.send({ ...sms, to: "+33612345678", organizationId: "org_9" });
    const row = await outboxRow(handle.db, "id", id);
    expect(row).toMatchObject({
      channel: "sms",
      provider: "outbox",
      status: "stored",
      recipient: "+33612345678",
      subject: null,
      bodyText: sms.body,
      organizationId: "org_9",
    });
  });

  it("refuses an invalid number and stores nothing", async () => {
    const outbox = createOutboxSms(handle.db);
    await expect(outbox.send({ ...sms, to: "12345" })).rejects.toBeInstanceOf(ServiceInputError);
    const rows = await handle.db
      .selectFrom("outboxMessage")
      .select("id")
      .where("recipient", "=", "12345")
      .execute();
    expect(rows).toEqual([]);
  });
});
