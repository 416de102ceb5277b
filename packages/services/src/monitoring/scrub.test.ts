import { describe, expect, it } from "vitest";
import {
  beforeBreadcrumb,
  beforeSend,
  FILTERED,
  isSensitiveName,
  scrubBreadcrumb,
  scrubEvent,
  scrubString,
} from "./scrub.ts";

// Live-looking Stripe keys are assembled at run time so no key-shaped literal sits in the source.
const SK_LIVE = ["sk", "live", ""].join("_");
const RK_LIVE = ["rk", "live", ""].join("_");

describe("scrubString", () => {
  const cases: Array<[label: string, input: string, mustNotContain: string[], mustContain?: string[]]> = [
    ["stripe secret key", `key is ${SK_LIVE}51Habcdefghijklmnop`, [`${SK_LIVE}51Habcdefghijklmnop`]],
    ["stripe test key", "sk_test_4eC39HqLyjWDarjtT1zdp7dc failed", ["4eC39HqLyjWDarjtT1zdp7dc"], ["failed"]],
    ["stripe restricted key", `${RK_LIVE}abcdefghijklmn`, [`${RK_LIVE}abcdefghijklmn`]],
    ["stripe webhook secret", "whsec_abcdefghijklmnopqrstuv", ["whsec_abcdefghijklmnopqrstuv"]],
    ["stripe live publishable key", "pk_live_abcdefghijklmnop", ["pk_live_abcdefghijklmnop"]],
    ["anthropic key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz", ["sk-ant-api03-abcdefghijklmnopqrstuvwxyz"]],
    [
      "jwt",
      "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      ["eyJzdWIiOiIxMjM0In0"],
    ],
    ["bearer token", "Authorization: Bearer abc.def-ghi_jkl123456", ["abc.def-ghi_jkl123456"]],
    ["basic auth", "Basic dXNlcjpwYXNzd29yZA==", ["dXNlcjpwYXNzd29yZA=="]],
    [
      "percent-encoded email in a URL",
      "https://ktizo.test/account?ref=mail&who=jane.doe%40example.com",
      ["jane.doe%40example.com"],
      ["ref=mail"],
    ],
    [
      "sensitive query parameters by name",
      "/orders?page=2&email=x&customer_name=Jane%20Doe&phone_number=07700900123",
      ["=x&", "Jane%20Doe", "07700900123"],
      ["page=2", "email=", "customer_name="],
    ],
    [
      "email",
      "could not send to jane.doe+shop@example.co.uk today",
      ["jane.doe", "example.co.uk"],
      ["today"],
    ],
    ["visa card plain", "card 4242424242424242 declined", ["4242424242424242"], ["declined"]],
    ["visa card spaced", "4242 4242 4242 4242", ["4242 4242"]],
    ["amex dashed", "3782-822463-10005", ["822463"]],
    ["16 digits failing luhn are kept", "order 1234567812345678", [], ["1234567812345678"]],
    ["iban", "pay to DE89 3704 0044 0532 0130 00 now", ["3704 0044"], ["now"]],
    ["iban compact", "GB82WEST12345698765432", ["GB82WEST12345698765432"]],
    ["e164 phone", "sms to +447911123456 failed", ["+447911123456"], ["failed"]],
    ["international phone with spaces", "call +44 20 7946 0958", ["7946 0958"]],
    ["us phone", "call (415) 555-2671 please", ["555-2671"], ["please"]],
    ["dotted phone", "415.555.2671", ["555.2671"]],
    ["password in query", "/login?password=hunter2&next=/", ["hunter2"], ["next=/"]],
    ["token in query", "/cb?access_token=ya29.abc&state=1", ["ya29.abc"], ["state=1"]],
    ["ordinary text untouched", "Job 42 failed after 3 retries", [], ["Job 42 failed after 3 retries"]],
    ["dates untouched", "due 2026-11-23T10:00:00Z", [], ["2026-11-23T10:00:00Z"]],
    [
      "uuid untouched",
      "id 123e4567-e89b-12d3-a456-426614174000",
      [],
      ["123e4567-e89b-12d3-a456-426614174000"],
    ],
  ];
  it.each(cases)("%s", (_label, input, mustNotContain, mustContain = []) => {
    const out = scrubString(input);
    for (const secret of mustNotContain) expect(out).not.toContain(secret);
    for (const kept of mustContain) expect(out).toContain(kept);
    if (mustNotContain.length > 0) expect(out).toContain(FILTERED);
  });
});

describe("isSensitiveName", () => {
  const cases: Array<[string, boolean]> = [
    ["password", true],
    ["newPassword", true],
    ["client_secret", true],
    ["x-api-key", true],
    ["apiKey", true],
    ["accessToken", true],
    ["refresh_token", true],
    ["otpCode", true],
    ["cardNumber", true],
    ["IBAN", true],
    ["emailAddress", true],
    ["phone_number", true],
    ["shipping-address", true],
    ["Set-Cookie", true],
    ["stripe-signature", true],
    ["ip_address", true],
    ["name", true],
    ["customerName", true],
    ["first_name", true],
    ["lastName", true],
    ["full-name", true],
    ["username", true],
    ["hostname", false],
    ["footprint", false],
    ["keyboardLayout", false],
    ["orderId", false],
    ["status", false],
  ];
  it.each(cases)("%s → %s", (name, expected) => {
    expect(isSensitiveName(name)).toBe(expected);
  });
});

describe("scrubEvent", () => {
  const event = {
    event_id: "abc123",
    message: `Payment for jane@example.com failed with ${SK_LIVE}abcdefghijklmnop`,
    request: {
      url: "https://ktizo.test/api/orders?token=abcdef123",
      method: "POST",
      headers: {
        Authorization: "Bearer secret-token-value",
        Cookie: "session=abc",
        "X-Api-Key": "k_123456789",
        "Stripe-Signature": "t=1,v1=abc",
        "Content-Type": "application/json",
        "User-Agent": "test",
      },
      cookies: { session: "abc" },
      data: { password: "hunter2", note: "hello" },
      env: { REMOTE_ADDR: "203.0.113.9" },
    },
    user: { id: "usr_1", email: "jane@example.com", ip_address: "203.0.113.9", username: "jane" },
    exception: {
      values: [
        {
          type: "Error",
          value: "card 4242 4242 4242 4242 declined for +14155552671",
          stacktrace: {
            frames: [{ function: "charge", vars: { apiKey: "abc", amount: 100, customerEmail: "x@y.io" } }],
          },
        },
      ],
    },
    extra: { nested: { deeper: { stripeKey: "sk_test_abcdefghijk", list: ["ok", "whsec_abcdefghijklmn"] } } },
    tags: { area: "checkout" },
  };

  it("removes credentials, bodies, cookies and personal data anywhere, keeps the rest", () => {
    const out = scrubEvent(event);
    const text = JSON.stringify(out);
    for (const leaked of [
      "jane@example.com",
      `${SK_LIVE}abcdefghijklmnop`,
      "secret-token-value",
      "session=abc",
      "k_123456789",
      "t=1,v1=abc",
      "hunter2",
      "203.0.113.9",
      "4242 4242",
      "+14155552671",
      "x@y.io",
      "sk_test_abcdefghijk",
      "whsec_abcdefghijklmn",
      "abcdef123",
      '"jane"',
    ]) {
      expect(text).not.toContain(leaked);
    }
    expect(out.request?.headers).toEqual({ "Content-Type": "application/json", "User-Agent": "test" });
    expect(out.request).not.toHaveProperty("data");
    expect(out.request).not.toHaveProperty("cookies");
    expect(out.user).toEqual({ id: "usr_1" });
    expect(out.tags).toEqual({ area: "checkout" });
    expect(out.exception).toMatchObject({
      values: [{ type: "Error", stacktrace: { frames: [{ function: "charge", vars: { amount: 100 } }] } }],
    });
  });

  it("judges query-string pairs by their names", () => {
    const out = scrubEvent({
      request: {
        query_string: [
          ["session_token", "opaque-value-1"],
          ["page", "2"],
        ],
      },
    });
    expect(out.request?.query_string).toEqual([
      ["session_token", FILTERED],
      ["page", "2"],
    ]);
    expect(scrubEvent({ request: { query_string: "otp=123456&page=2" } }).request?.query_string).toBe(
      `otp=${FILTERED}&page=2`,
    );
  });

  it("removes fields named like a name, but keeps the SDK's own names of itself, the runtime, OS and browser", () => {
    const out = scrubEvent({
      extra: { name: "Zelda Quartermain", order: { customerName: "Zelda Quartermain", id: "ord_1" } },
      tags: { first_name: "Zelda" },
      contexts: {
        os: { name: "Linux", version: "6.1" },
        browser: { name: "Chrome" },
        runtime: { name: "node", version: "v20.20.2" },
        shop: { name: "Zelda's Prints" },
      },
      sdk: { name: "sentry.javascript.remix", version: "10.75.2" },
    });
    const text = JSON.stringify(out);
    expect(text).not.toContain("Zelda");
    expect(out.extra).toEqual({ name: FILTERED, order: { customerName: FILTERED, id: "ord_1" } });
    expect(out.contexts).toEqual({
      os: { name: "Linux", version: "6.1" },
      browser: { name: "Chrome" },
      runtime: { name: "node", version: "v20.20.2" },
      shop: { name: FILTERED },
    });
    expect(out.sdk).toEqual({ name: "sentry.javascript.remix", version: "10.75.2" });
  });

  it("does not change the input event", () => {
    const copy = structuredClone(event);
    scrubEvent(event);
    expect(event).toEqual(copy);
  });

  it("is cycle-safe and bounded in depth", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { leaf: `${SK_LIVE}abcdefghijklmnop` };
    for (let i = 0; i < 50; i++) deep = { child: deep };
    const out = scrubEvent({ extra: { cyclic, deep } });
    const text = JSON.stringify(out);
    expect(text).toContain("[Circular]");
    expect(text).toContain("[Truncated]");
    expect(text).not.toContain(`${SK_LIVE}abcdefghijklmnop`);
  });

  it("beforeSend scrubs like scrubEvent", () => {
    expect(JSON.stringify(beforeSend(event))).not.toContain("jane@example.com");
  });
});

describe("scrubBreadcrumb", () => {
  it("scrubs messages and data and drops bodies", () => {
    const out = scrubBreadcrumb({
      category: "fetch",
      message: "POST /api/sms to +447911123456",
      data: { url: "/api/x?api_key=abc123", body: '{"a":1}', status_code: 200, authorization: "Bearer x" },
    });
    expect(out.message).not.toContain("+447911123456");
    expect(out.data).toEqual({
      url: `/api/x?api_key=${FILTERED}`,
      status_code: 200,
      authorization: FILTERED,
    });
  });

  it("beforeBreadcrumb is the same scrubber", () => {
    expect(beforeBreadcrumb({ message: "mail to a@b.io" }).message).toBe(`mail to ${FILTERED}`);
  });
});
