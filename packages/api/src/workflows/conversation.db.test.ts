import type { DbHandle } from "@ktizo/db";
import { createTestDb } from "@ktizo/db/testing";
import { createTwilioSms, fixedClock, type Services, signTwilioTestRequest } from "@ktizo/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverCustomerNotification } from "../job/conversation.ts";
import { renderTemplate } from "../job/templates.ts";
import { notificationChannels } from "../shop/notify-channels.ts";
import { attachTestProofFile, type BillingShop, billingShop } from "../testing/billing-fixtures.ts";
import { callerFor, createTestUser, testServices } from "../testing/index.ts";
import { memoryStorage } from "../testing/shop-fixtures.ts";
import { handleTwilioWebhook, keywordOf, receiveInboundSms } from "./sms-inbound.ts";

let handle: DbHandle;
let shop: BillingShop;
let other: BillingShop;
let services: Services;
let customerId: string;
const clock = fixedClock("2026-03-10T10:00:00Z");
const storage = memoryStorage();
const SHOP_NUMBER = "+14155552671";
const CUSTOMER = "+447911123456";
const BASE = "https://ktizo.example";
const AUTH_TOKEN = "twilio-test-token";

beforeAll(async () => {
  handle = await createTestDb();
  services = { ...testServices(handle.db, clock), storage };
  shop = await billingShop(handle.db, "Texting Shop");
  other = await billingShop(handle.db, "Other Texting Shop");
  const job = await handle.db
    .selectFrom("job")
    .select("customerId")
    .where("id", "=", shop.jobId)
    .executeTakeFirstOrThrow();
  customerId = job.customerId;
});
afterAll(() => handle.close());

// Every step a second later, so the timeline's order is the order of the steps.
const owner = () => {
  clock.advance(1000);
  return callerFor(handle, shop.owner, { clock, services });
};
const stranger = () => callerFor(handle, other.owner, { clock, services });

async function addPendingProof(name: string) {
  const file = await attachTestProofFile(handle.db, storage, shop, name);
  return owner().billing.proofs.add({ jobId: shop.jobId, fileId: file.id });
}

const timeline = async () =>
  (await owner().job.conversation.timeline({ jobId: shop.jobId, limit: 50 })).items;
let sid = 0;
const nextSid = () => `SM${String(++sid).padStart(32, "0")}`;
const inbound = (body: string, from = CUSTOMER) => {
  clock.advance(1000);
  return receiveInboundSms(
    handle.db,
    services,
    { messageSid: nextSid(), from, to: SHOP_NUMBER, body },
    "outbox",
    BASE,
    clock.now(),
  );
};

describe("templates", () => {
  it("renders every placeholder with one function and refuses unknown ones clearly", () => {
    const values = {
      job_number: "#7",
      customer_name: "Bea",
      proof_link: "https://x/p",
      payment_link: null,
      pickup_address: "1 Main St",
      shop_name: "Shop",
    };
    expect(renderTemplate("Hi {customer_name}, job {job_number} at {pickup_address}", values)).toBe(
      "Hi Bea, job #7 at 1 Main St",
    );
    expect(() => renderTemplate("Hi {first_name}", values)).toThrow(/Unknown placeholder \{first_name\}/);
    expect(() => renderTemplate("Pay: {payment_link}", values)).toThrow(/no invoice to pay/);
  });

  it("keeps templates per shop: unknown placeholders refused on save, names unique, others' NOT_FOUND", async () => {
    await expect(owner().job.templates.create({ name: "Bad", body: "Hello {nickname}" })).rejects.toThrow(
      /unknown placeholder \{nickname\}/,
    );
    const t = await owner().job.templates.create({
      name: "Proof ready",
      body: "Hi {customer_name}, proof ready for job {job_number}: {proof_link}",
    });
    await expect(owner().job.templates.create({ name: "proof READY", body: "x" })).rejects.toThrow(
      /already exists/,
    );
    await expect(
      stranger().job.templates.update({ id: t.id, name: "Mine", body: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger().job.templates.delete({ id: t.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await stranger().job.templates.list()).map((x) => x.id)).not.toContain(t.id);
  });
});

describe("texting a customer from the job", () => {
  it("refuses without a shop number, without a valid number and without consent (recorded as blocked)", async () => {
    await expect(
      owner().job.conversation.send({ jobId: shop.jobId, channel: "sms", body: "Hi" }),
    ).rejects.toThrow(/SMS number/);
    await expect(owner().shop.sms.update({ phone: "12" })).rejects.toThrow(/Not a valid phone number/);
    await expect(
      owner().shop.sms.update({ phone: SHOP_NUMBER, messagingServiceSid: "MG123" }),
    ).rejects.toThrow(/Messaging Service SID/);
    await owner().shop.sms.update({ phone: "+1 (415) 555-2671" });
    expect((await owner().shop.sms.get()).phoneE164).toBe(SHOP_NUMBER);
    await expect(stranger().shop.sms.update({ phone: SHOP_NUMBER })).rejects.toThrow(/another shop/);

    await expect(
      owner().job.conversation.send({ jobId: shop.jobId, channel: "sms", body: "Hi" }),
    ).rejects.toThrow(/no valid mobile number/);
    await owner().job.customers.update({ id: customerId, phone: "+44 7911 123456" });
    await expect(
      owner().job.conversation.send({ jobId: shop.jobId, channel: "sms", body: "Hi there" }),
    ).rejects.toThrow(/has not agreed to receive texts/);
    expect((await timeline())[0]).toMatchObject({ channel: "sms", status: "blocked", body: "Hi there" });
    const outbox = await handle.db
      .selectFrom("outboxMessage")
      .select("id")
      .where("recipient", "=", CUSTOMER)
      .execute();
    expect(outbox).toEqual([]);
  });

  it("texts a template with the proof link once the customer agreed, previewed first without side effects", async () => {
    const customer = await owner().job.customers.update({ id: customerId, smsConsent: true });
    expect(customer).toMatchObject({ phoneE164: CUSTOMER, smsConsentSource: "staff" });
    expect(customer.smsConsentAt).toEqual(clock.now());
    const proof = await addPendingProof("v1.pdf");
    const [template] = await owner().job.templates.list();
    const tokensBefore = await handle.db.selectFrom("portalToken").select("id").execute();
    const preview = await owner().job.conversation.preview({
      jobId: shop.jobId,
      channel: "sms",
      templateId: template?.id,
    });
    expect(preview.body).toMatch(/^Hi Bea Buyer, proof ready for job #\d+: \[link to proof 1\]$/);
    expect(await handle.db.selectFrom("portalToken").select("id").execute()).toHaveLength(
      tokensBefore.length,
    );

    const sent = await owner().job.conversation.send({
      jobId: shop.jobId,
      channel: "sms",
      templateId: template?.id,
    });
    const outbox = await handle.db
      .selectFrom("outboxMessage")
      .select(["bodyText", "recipient"])
      .where("recipient", "=", CUSTOMER)
      .executeTakeFirstOrThrow();
    expect(outbox.bodyText).toMatch(/proof ready for job #\d+: https?:\/\/.+\/portal\/[A-Za-z0-9_-]{43}$/);
    expect((await timeline())[0]).toMatchObject({
      id: sent.messageId,
      channel: "sms",
      direction: "out",
      status: "sent",
      authorLabel: "Texting Shop Owner",
    });
    expect(proof.version).toBe(1);
  });

  it("approves the pending proof on an inbound YES, once, with the text as evidence", async () => {
    const answer = await inbound("Yes!");
    expect(answer).toMatchObject({ outcome: "applied", detail: "Proof 1 approved" });
    const proof = await handle.db
      .selectFrom("proof")
      .select(["status", "decidedMessageId", "decidedName"])
      .where("jobId", "=", shop.jobId)
      .executeTakeFirstOrThrow();
    expect(proof).toEqual({
      status: "approved",
      decidedMessageId: answer.messageId,
      decidedName: "Bea Buyer",
    });
    const again = await inbound("YES 1");
    expect(again.detail).toBe("No pending proof");
    const items = await timeline();
    expect(items[0]).toMatchObject({
      direction: "out",
      body: expect.stringMatching(/not waiting for your approval/),
    });
    expect(
      items.some((i) => i.id === answer.messageId && i.direction === "in" && i.status === "received"),
    ).toBe(true);
  });

  it("honours STOP and START: nothing is sent to a number that opted out", async () => {
    expect(keywordOf(" stop. ")).toBe("STOP");
    expect((await inbound("unsubscribe")).detail).toBe("Opted out");
    const optOut = await handle.db
      .selectFrom("smsOptOut")
      .selectAll()
      .where("phoneE164", "=", CUSTOMER)
      .executeTakeFirstOrThrow();
    expect(optOut).toMatchObject({
      optedOut: true,
      keyword: "UNSUBSCRIBE",
      organizationId: shop.organizationId,
    });
    await expect(
      owner().job.conversation.send({ jobId: shop.jobId, channel: "sms", body: "Still there?" }),
    ).rejects.toThrow(/replied STOP/);
    expect((await timeline())[0]).toMatchObject({ status: "blocked", body: "Still there?" });
    expect((await inbound("HELP")).detail).toBe("Help sent");
    expect((await timeline())[0]).toMatchObject({ status: "blocked" });
    expect((await inbound("START")).detail).toBe("Opted in");
    await owner().job.conversation.send({ jobId: shop.jobId, channel: "sms", body: "Welcome back" });
    expect((await timeline())[0]).toMatchObject({ status: "sent", body: "Welcome back" });
  });

  it("pages the timeline by cursor and answers NOT_FOUND for another shop's job or customer", async () => {
    const first = await owner().job.conversation.timeline({ jobId: shop.jobId, limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await owner().job.conversation.timeline({
      jobId: shop.jobId,
      limit: 3,
      cursor: first.nextCursor ?? "",
    });
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await owner().job.conversation.timeline({ customerId, limit: 50 });
    expect(all.items.length).toBeGreaterThanOrEqual(ids.length);
    await expect(stranger().job.conversation.timeline({ jobId: shop.jobId, limit: 5 })).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
    await expect(stranger().job.conversation.timeline({ customerId, limit: 5 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      stranger().job.conversation.send({ jobId: shop.jobId, channel: "sms", body: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      owner().job.conversation.timeline({ jobId: shop.jobId, cursor: "bm90LWEtY3Vyc29y" }),
    ).rejects.toThrow(/Not a cursor/);
  });

  it("emails from the conversation with the shop's reply-to and refuses the portal without an order", async () => {
    await handle.db
      .updateTable("shopSettings")
      .set({ contactEmail: "desk@texting.example" })
      .where("organizationId", "=", shop.organizationId)
      .execute();
    await owner().job.conversation.send({
      jobId: shop.jobId,
      channel: "email",
      subject: "About {job_number}",
      body: "Hello {customer_name}",
    });
    expect((await timeline())[0]).toMatchObject({
      channel: "email",
      subject: expect.stringMatching(/^About #\d+$/),
    });
    await expect(
      owner().job.conversation.send({ jobId: shop.jobId, channel: "portal", body: "Hi" }),
    ).rejects.toThrow(/marketplace order/);
  });
});

describe("the Twilio webhook", () => {
  const url = `${BASE}/api/webhooks/twilio`;
  const twilioServices = () => ({
    sms: createTwilioSms({
      db: handle.db,
      accountSid: `AC${"1".repeat(32)}`,
      authToken: AUTH_TOKEN,
      from: SHOP_NUMBER,
      apiBaseUrl: "http://127.0.0.1:9",
    }),
  });
  const params = (body: string, messageSid: string) => ({
    MessageSid: messageSid,
    SmsSid: messageSid,
    AccountSid: `AC${"1".repeat(32)}`,
    From: CUSTOMER,
    To: SHOP_NUMBER,
    Body: body,
  });
  const signed = (p: Record<string, string>) => signTwilioTestRequest(AUTH_TOKEN, url, p);
  const count = async () => (await handle.db.selectFrom("conversationMessage").select("id").execute()).length;

  it("refuses forged and unsigned requests with 403, changing nothing but the log", async () => {
    const before = await count();
    const p = params("YES", `SM${"a".repeat(32)}`);
    const forged = await handleTwilioWebhook(
      handle.db,
      twilioServices(),
      { url, signature: signed({ ...p, Body: "NO" }), params: p },
      BASE,
      clock.now(),
    );
    const unsigned = await handleTwilioWebhook(
      handle.db,
      twilioServices(),
      { url, signature: null, params: p },
      BASE,
      clock.now(),
    );
    const wrongUrl = await handleTwilioWebhook(
      handle.db,
      twilioServices(),
      { url: "http://evil.example/api/webhooks/twilio", signature: signed(p), params: p },
      BASE,
      clock.now(),
    );
    expect([forged.status, unsigned.status, wrongUrl.status]).toEqual([403, 403, 403]);
    expect(await count()).toBe(before);
    const log = await handle.db
      .selectFrom("webhookEvent")
      .select(["signature", "outcome", "error"])
      .where("provider", "=", "twilio")
      .orderBy("receivedAt")
      .execute();
    expect(log.map((l) => l.error)).toEqual(["bad-signature", "missing-header", "bad-signature"]);
    expect(log.every((l) => l.signature === "invalid" && l.outcome === "rejected")).toBe(true);
  });

  it("takes a signed text once (a replay is a duplicate) and applies delivery reports forwards only", async () => {
    const p = params("Thanks, see you Friday", `SM${"b".repeat(32)}`);
    const first = await handleTwilioWebhook(
      handle.db,
      twilioServices(),
      { url, signature: signed(p), params: p },
      BASE,
      clock.now(),
    );
    expect(first).toMatchObject({ status: 200, contentType: "text/xml" });
    const replay = await handleTwilioWebhook(
      handle.db,
      twilioServices(),
      { url, signature: signed(p), params: p },
      BASE,
      clock.now(),
    );
    expect(replay.status).toBe(200);
    const stored = await handle.db
      .selectFrom("conversationMessage")
      .select(["jobId", "direction", "provider"])
      .where("externalId", "=", p.MessageSid)
      .execute();
    expect(stored).toEqual([{ jobId: shop.jobId, direction: "in", provider: "twilio" }]);
    const outcomes = await handle.db
      .selectFrom("webhookEvent")
      .select("outcome")
      .where("eventId", "=", p.MessageSid)
      .orderBy("receivedAt")
      .execute();
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["applied", "duplicate"]);

    // A message the shop sent through Twilio gets its delivery reports.
    const out = await handle.db
      .selectFrom("conversationMessage")
      .select("id")
      .where("direction", "=", "out")
      .where("status", "=", "sent")
      .executeTakeFirstOrThrow();
    const messageSid = `SM${"c".repeat(32)}`;
    await handle.db
      .updateTable("conversationMessage")
      .set({ provider: "twilio", externalId: messageSid })
      .where("id", "=", out.id)
      .execute();
    const report = (status: string) => ({ MessageSid: messageSid, MessageStatus: status, To: CUSTOMER });
    for (const status of ["delivered", "sent"]) {
      const r = report(status);
      await handleTwilioWebhook(
        handle.db,
        twilioServices(),
        { url, signature: signed(r), params: r },
        BASE,
        clock.now(),
      );
    }
    const after = await handle.db
      .selectFrom("conversationMessage")
      .select("status")
      .where("id", "=", out.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe("delivered");
  });
});

describe("notification channels", () => {
  const base = { email: "a@example.test", phoneE164: CUSTOMER, smsConsentAt: new Date(0) };
  it("follows the preference, keeps service messages flowing, and never texts without consent", () => {
    expect(notificationChannels({ ...base, notifyChannel: "email" }, "service")).toEqual({
      email: true,
      sms: false,
    });
    expect(notificationChannels({ ...base, notifyChannel: "sms" }, "service")).toEqual({
      email: false,
      sms: true,
    });
    expect(notificationChannels({ ...base, notifyChannel: "both" }, "marketing")).toEqual({
      email: true,
      sms: true,
    });
    expect(notificationChannels({ ...base, notifyChannel: "none" }, "marketing")).toEqual({
      email: false,
      sms: false,
    });
    expect(notificationChannels({ ...base, notifyChannel: "none" }, "service")).toEqual({
      email: true,
      sms: false,
    });
    expect(notificationChannels({ ...base, smsConsentAt: null, notifyChannel: "sms" }, "service")).toEqual({
      email: true,
      sms: false,
    });
    expect(notificationChannels({ ...base, smsConsentAt: null, notifyChannel: "sms" }, "marketing")).toEqual({
      email: false,
      sms: false,
    });
  });
});

describe("the customer's own choices in the privacy center", () => {
  it("lists the SMS consent with when and how, lets the customer withdraw it, and hides others' records", async () => {
    const person = await createTestUser(handle.db, { name: "Bea Buyer" });
    const outsider = await createTestUser(handle.db, { name: "Nosy Parker" });
    await handle.db
      .updateTable("customer")
      .set({ userId: person.userId })
      .where("id", "=", customerId)
      .execute();
    const me = callerFor(handle, person, { clock, services });
    const [choice] = await me.privacy.messaging.list();
    expect(choice).toMatchObject({ customerId, shopName: "Texting Shop", smsConsentSource: "staff" });
    expect(choice?.smsConsentAt).toBeInstanceOf(Date);
    clock.advance(1000);
    const after = await me.privacy.messaging.update({
      customerId,
      notifyChannel: "email",
      smsConsent: false,
    });
    expect(after[0]).toMatchObject({ smsConsentAt: null, smsConsentSource: null, notifyChannel: "email" });
    await expect(
      owner().job.conversation.send({ jobId: shop.jobId, channel: "sms", body: "Are you there?" }),
    ).rejects.toThrow(/has not agreed/);
    const them = callerFor(handle, outsider, { clock, services });
    expect(await them.privacy.messaging.list()).toEqual([]);
    await expect(
      them.privacy.messaging.update({ customerId, notifyChannel: "sms", smsConsent: true }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    clock.advance(1000);
    const again = await me.privacy.messaging.update({ customerId, notifyChannel: "sms", smsConsent: true });
    expect(again[0]).toMatchObject({ smsConsentSource: "customer", notifyChannel: "sms" });
  });
});

describe("automatic notifications by the customer's preference", () => {
  const notification = (category: "service" | "marketing") => ({
    organizationId: shop.organizationId,
    customerId,
    jobId: shop.jobId,
    email: {
      to: shop.customerEmail,
      subject: "Your invoice is due",
      text: "Pay here: /portal/x",
      template: `test-${category}`,
      category,
      organizationId: shop.organizationId,
    },
    smsText: "Your invoice is due: /portal/x",
  });
  const outbox = (template: string) =>
    handle.db
      .selectFrom("outboxMessage")
      .select(["channel", "bodyText"])
      .where("template", "=", template)
      .execute();

  it("texts a customer who chose SMS (absolute links, on the timeline) and emails when texts cannot go", async () => {
    // The customer chose SMS and agreed to texts (previous test).
    clock.advance(1000);
    expect(
      await deliverCustomerNotification(handle.db, services, notification("service"), clock.now()),
    ).toEqual({
      email: false,
      sms: true,
    });
    const [text] = await outbox("test-service");
    expect(text).toMatchObject({ channel: "sms" });
    expect(text?.bodyText).toMatch(/^Your invoice is due: https?:\/\/[^ ]+\/portal\/x$/);
    expect((await timeline())[0]).toMatchObject({ channel: "sms", authorLabel: "Automatic notification" });

    // A sender without an SMS service still delivers a service notification, by email; marketing is dropped.
    const deliverWithoutSms = async (notifyChannel: "none" | "sms", category: "marketing" | "service") => {
      await handle.db.updateTable("customer").set({ notifyChannel }).where("id", "=", customerId).execute();
      return deliverCustomerNotification(
        handle.db,
        { mail: services.mail },
        notification(category),
        clock.now(),
      );
    };
    expect(await deliverWithoutSms("none", "marketing")).toEqual({ email: false, sms: false });
    expect(await outbox("test-marketing")).toEqual([]);
    expect(await deliverWithoutSms("sms", "service")).toEqual({ email: true, sms: false });
  });
});
