import { describe, expect, it } from "vitest";
import { CROSS_ORIGIN_EXEMPT_PATHS, crossOriginRefusal } from "./origin-guard.ts";

const HOST = "ktizo.example";
const check = (headers: Record<string, string>, extra: { method?: string; path?: string } = {}) =>
  crossOriginRefusal({
    method: extra.method ?? "POST",
    path: extra.path ?? "/account/sessions",
    headers: { host: HOST, ...headers },
    trustedOrigins: ["https://public.ktizo.example"],
  });

describe("cross-origin writes", () => {
  it.each([
    ["the app's own origin", { origin: `https://${HOST}` }],
    ["the app's own origin over http (same host)", { origin: `http://${HOST}` }],
    ["a trusted public origin", { origin: "https://public.ktizo.example" }],
    ["no Origin, same-origin fetch metadata", { "sec-fetch-site": "same-origin", cookie: "s=1" }],
    ["no Origin, own Referer", { referer: `https://${HOST}/account`, cookie: "s=1" }],
    ["nothing at all and no cookies (an API client)", {}],
  ])("lets %s through", (_label, headers) => {
    expect(check(headers)).toBeNull();
  });

  it.each([
    ["a foreign Origin", { origin: "https://evil.example", cookie: "s=1" }],
    ["a sibling subdomain", { origin: `https://evil.${HOST}`, cookie: "s=1" }],
    ["a host with our name as prefix", { origin: `https://${HOST}.evil.example` }],
    ["Origin null (sandboxed frame, data: URL)", { origin: "null", cookie: "s=1" }],
    ["a malformed Origin", { origin: "not a url" }],
    ["foreign Origin even with own Referer", { origin: "https://evil.example", referer: `https://${HOST}/` }],
    ["cross-site fetch metadata", { "sec-fetch-site": "cross-site", cookie: "s=1" }],
    ["same-site (not same-origin) fetch metadata", { "sec-fetch-site": "same-site", cookie: "s=1" }],
    ["a foreign Referer", { referer: "https://evil.example/page", cookie: "s=1" }],
    ["cookies with nothing saying where from", { cookie: "ktizo.session_token=abc" }],
  ])("refuses %s", (_label, headers) => {
    expect(check(headers)).toEqual(expect.any(String));
  });

  it.each(["PUT", "PATCH", "DELETE", "POST"])("checks %s", (method) => {
    expect(check({ origin: "https://evil.example" }, { method })).not.toBeNull();
  });

  it.each(["GET", "HEAD", "OPTIONS"])("does not check %s (no state changes on safe methods)", (method) => {
    expect(check({ origin: "https://evil.example" }, { method })).toBeNull();
  });

  it("exempts only the listed signature-checked paths, and each says why", () => {
    expect(CROSS_ORIGIN_EXEMPT_PATHS.map((p) => p.path)).toEqual([
      "/api/webhooks/stripe",
      "/api/webhooks/twilio",
    ]);
    for (const exempt of CROSS_ORIGIN_EXEMPT_PATHS) {
      expect(exempt.why.length).toBeGreaterThan(10);
      expect(check({ cookie: "s=1" }, { path: exempt.path })).toBeNull();
    }
    expect(check({ origin: "https://evil.example" }, { path: "/api/webhooks/other" })).not.toBeNull();
    expect(check({ origin: "https://evil.example" }, { path: "/embed/upload/northside" })).not.toBeNull();
  });
});
