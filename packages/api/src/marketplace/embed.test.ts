import { describe, expect, it } from "vitest";
import { canonicalOrigin, frameAncestors, isAllowedHost } from "./embed.ts";

describe("embed origins", () => {
  it("canonicalises origins and refuses anything that is not http(s)", () => {
    expect(canonicalOrigin("https://Shop.Example:443")).toBe("https://shop.example");
    expect(canonicalOrigin("http://127.0.0.1:8080/path?x=1")).toBe("http://127.0.0.1:8080");
    expect(canonicalOrigin("javascript:alert(1)")).toBeNull();
    expect(canonicalOrigin("not a url")).toBeNull();
    expect(canonicalOrigin(null)).toBeNull();
  });

  it("allows exactly the shop's origins (scheme, host and port all count)", () => {
    const allowed = ["https://shop.example", "http://127.0.0.1:4000"];
    expect(isAllowedHost(allowed, "https://shop.example")).toBe(true);
    expect(isAllowedHost(allowed, "http://127.0.0.1:4000")).toBe(true);
    expect(isAllowedHost(allowed, "http://shop.example")).toBe(false);
    expect(isAllowedHost(allowed, "https://evil.shop.example")).toBe(false);
    expect(isAllowedHost(allowed, "https://shop.example.evil.test")).toBe(false);
    expect(isAllowedHost(allowed, "http://127.0.0.1:4001")).toBe(false);
    expect(isAllowedHost(allowed, "")).toBe(false);
    expect(isAllowedHost([], "https://shop.example")).toBe(false);
  });

  it("builds frame-ancestors from the allowed origins, 'none' when there are none", () => {
    expect(
      frameAncestors(["https://shop.example", "https://SHOP.example:443", "http://127.0.0.1:4000"]),
    ).toBe("frame-ancestors https://shop.example http://127.0.0.1:4000");
    expect(frameAncestors([])).toBe("frame-ancestors 'none'");
  });
});
