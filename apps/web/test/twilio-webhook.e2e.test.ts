import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { signTwilioTestRequest } from "@ktizo/services";
import { requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip("Twilio webhook route test", appsNotBuiltReason());

const AUTH_TOKEN = "e2e-twilio-auth-token";
const SHOP_NUMBER = "+14155552671";
const CUSTOMER = "+447911123456";

/**
 * The resource route /api/webhooks/twilio on the production build, with a Twilio account configured:
 * the signature is checked on the public URL and the form parameters, a forged or unsigned request is
 * refused and changes nothing, a replay writes nothing twice, an oversized body never reaches the check.
 */
describe.runIf(runnable)("POST /api/webhooks/twilio", () => {
  let host: TestHost;
  let url = "";
  const db = () => host.runtime.db;

  beforeAll(async () => {
    host = await startTestHost({
      TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}`,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: "+15005550006",
      // Nothing here is sent (a plain text gets no automatic answer); a stray request would fail fast.
      TWILIO_API_BASE_URL: "http://127.0.0.1:9",
    });
    url = `${host.webUrl}/api/webhooks/twilio`;
    const shop = await db()
      .selectFrom("organization")
      .select("id")
      .where("slug", "=", "northside-print-lab")
      .executeTakeFirstOrThrow();
    await db()
      .insertInto("shopSmsSettings")
      .values({ organizationId: shop.id, phoneE164: SHOP_NUMBER, updatedAt: new Date() })
      .execute();
    const customer = await db()
      .selectFrom("customer")
      .select("id")
      .where("organizationId", "=", shop.id)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    await db()
      .updateTable("customer")
      .set({ phone: CUSTOMER, phoneE164: CUSTOMER })
      .where("id", "=", customer.id)
      .execute();
  }, 120_000);
  afterAll(() => host?.close());

  const params = (sid: string, body = "See you on Friday") => ({
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: `AC${"1".repeat(32)}`,
    From: CUSTOMER,
    To: SHOP_NUMBER,
    Body: body,
  });
  const post = (form: Record<string, string>, signature: string | null) =>
    fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...(signature ? { "X-Twilio-Signature": signature } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });
  const stored = (sid: string) =>
    db()
      .selectFrom("conversationMessage")
      .select(["direction", "body"])
      .where("externalId", "=", sid)
      .execute();

  it("takes a correctly signed text once, however often Twilio delivers it", async () => {
    const sid = `SM${"1".repeat(32)}`;
    const form = params(sid);
    const signature = signTwilioTestRequest(AUTH_TOKEN, url, form);
    const first = await post(form, signature);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^text\/xml/);
    const replay = await post(form, signature);
    expect(replay.status).toBe(200);
    expect(await stored(sid)).toEqual([{ direction: "in", body: "See you on Friday" }]);
    const log = await db()
      .selectFrom("webhookEvent")
      .select(["signature", "outcome"])
      .where("eventId", "=", sid)
      .execute();
    expect(log.map((l) => l.outcome).sort()).toEqual(["applied", "duplicate"]);
  });

  it("refuses a forged or unsigned request with 403 and stores nothing", async () => {
    const sid = `SM${"2".repeat(32)}`;
    const form = params(sid, "YES");
    const forged = await post(form, signTwilioTestRequest("not-the-token", url, form));
    const tampered = await post({ ...form, Body: "STOP" }, signTwilioTestRequest(AUTH_TOKEN, url, form));
    const unsigned = await post(form, null);
    expect([forged.status, tampered.status, unsigned.status]).toEqual([403, 403, 403]);
    expect(await stored(sid)).toEqual([]);
    expect(await db().selectFrom("smsOptOut").select("phoneE164").execute()).toEqual([]);
    const rejected = await db()
      .selectFrom("webhookEvent")
      .select("error")
      .where("provider", "=", "twilio")
      .where("outcome", "=", "rejected")
      .execute();
    expect(rejected.map((r) => r.error).sort()).toEqual(["bad-signature", "bad-signature", "missing-header"]);
  });

  it("answers 413 to an oversized body before any check", async () => {
    const before = await db().selectFrom("webhookEvent").select("id").execute();
    const response = await post(params(`SM${"3".repeat(32)}`, "x".repeat(600 * 1024)), "sig");
    expect(response.status).toBe(413);
    expect(await db().selectFrom("webhookEvent").select("id").execute()).toHaveLength(before.length);
  });
});
