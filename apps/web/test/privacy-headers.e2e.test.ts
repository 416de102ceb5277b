import { securityHeaders } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("security headers as configured (P6)", () => {
  it("production: HSTS, CSP with the nonce, no framing, nosniff, referrer and permissions policies", () => {
    const h = securityHeaders({ nonce: "abc123", production: true, embeddable: false });
    expect(h["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}; includeSubDomains/);
    expect(h["Content-Security-Policy"]).toContain("script-src 'nonce-abc123'");
    expect(h["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(h["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
    expect(h["Content-Security-Policy"]).not.toContain("unsafe-eval");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["Permissions-Policy"]).toContain("camera=()");
  });

  it("only Vite's dev server relaxes the policy: a build never allows inline styles or eval", () => {
    for (const production of [true, false]) {
      const csp = securityHeaders({ nonce: "n1", production, embeddable: false })["Content-Security-Policy"];
      expect(csp).toContain("style-src 'self' 'nonce-n1'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
    }
    const dev = securityHeaders({ nonce: "n", production: false, viteDev: true, embeddable: false });
    expect(dev["Content-Security-Policy"]).toContain("'unsafe-inline'");
  });

  it("embed routes may be framed; development has no HSTS", () => {
    const embed = securityHeaders({ nonce: "n", production: true, embeddable: true });
    expect(embed["Content-Security-Policy"]).not.toContain("frame-ancestors 'none'");
    expect(embed["X-Frame-Options"]).toBeUndefined();
    expect(
      securityHeaders({ nonce: "n", production: false, embeddable: false })["Strict-Transport-Security"],
    ).toBeUndefined();
  });
});

const runnable = requireOrSkip("web security header tests", appsNotBuiltReason());

describe.runIf(runnable)("security headers on every response of the running app (P6)", () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host?.close());

  it("sets a fresh CSP nonce per request that matches the page's scripts, and the other headers", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${host.webUrl}/sign-in`);
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(await res.text()).toContain(`nonce="${nonce}"`);
      nonces.push(nonce!);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("permissions-policy")).toContain("geolocation=()");
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("also on errors, API responses and the cookie page", async () => {
    for (const path of ["/no-such-page", "/api/trpc/privacy.policies.current", "/cookies", "/policies"]) {
      const res = await fetch(`${host.webUrl}${path}`);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });
});
