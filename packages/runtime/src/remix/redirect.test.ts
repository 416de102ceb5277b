import { describe, expect, it } from "vitest";
import { safeRedirect } from "./redirect.ts";

// Each of these, given as `redirectTo` (already decoded once, as searchParams and formData do), must not
// leave the site: the helper answers the fallback.
const HOSTILE = [
  "//evil.com",
  "///evil.com",
  "////evil.com",
  "/\\evil.com",
  "\\\\evil.com",
  "\\/evil.com",
  "/\t/evil.com",
  "/\n/evil.com",
  "/\r/evil.com",
  "/\r\n/evil.com",
  "/\u0000/evil.com",
  "/\u000b/evil.com",
  "/\u007f/evil.com",
  "/%09/evil.com",
  "/%0a/evil.com",
  "/%0D/evil.com",
  "/%00/evil.com",
  "%2F%2Fevil.com",
  "%2f%2fevil.com",
  "/%2F/evil.com",
  "/%2f%2fevil.com",
  "/%5Cevil.com",
  "/%5cevil.com",
  "/%255Cevil.com",
  "/%252F/evil.com",
  "/%25%30%39/evil.com",
  "/%2e%2e//evil.com",
  "/..//evil.com",
  "/./\\evil.com",
  "https://evil.com",
  "http://evil.com/",
  "HTTPS://evil.com",
  "//evil.com/%2F..",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "evil.com",
  "@evil.com",
  " //evil.com",
  "\t//evil.com",
  "/ /evil.com",
  "/\u2028/evil.com",
  "/\ufeff/evil.com",
  "/\u0085/evil.com",
  "",
  `/${"a".repeat(3000)}`,
];

describe("safeRedirect", () => {
  it.each(HOSTILE.map((target) => [JSON.stringify(target), target]))("refuses %s", (_label, target) => {
    expect(safeRedirect(target, "/fallback")).toBe("/fallback");
  });

  it("has a table of at least 30 hostile targets", () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  });

  it("refuses values that are not strings", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(new File(["x"], "x.txt"))).toBe("/");
  });

  it.each([
    ["/", "/"],
    ["/cart", "/cart"],
    ["/cart?add=q_123", "/cart?add=q_123"],
    ["/org/jobs/j1#files", "/org/jobs/j1#files"],
    ["/shops/caf%C3%A9", "/shops/caf%C3%A9"],
    ["/search?q=a%20b", "/search?q=a%20b"],
    ["/search?q=100%25", "/search?q=100%25"],
    ["/a/../b", "/b"],
  ])("keeps the same-origin path %s", (target, expected) => {
    expect(safeRedirect(target)).toBe(expected);
  });

  it("never returns something a browser would read as another origin", () => {
    for (const target of HOSTILE) {
      const result = safeRedirect(target);
      expect(new URL(result, "https://ktizo.example").origin).toBe("https://ktizo.example");
    }
  });
});
