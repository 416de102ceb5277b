import { describe, expect, it } from "vitest";
import { browserUnavailableReason, launchBrowser } from "./browser.ts";
import { requireOrSkip } from "./skips.ts";

describe.runIf(requireOrSkip("browser smoke test", browserUnavailableReason()))("launchBrowser", () => {
  it("renders a page in the system Chromium", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setContent("<h1>Ktizo</h1>");
      expect(await page.textContent("h1")).toBe("Ktizo");
    } finally {
      await browser.close();
    }
  });
});

describe("requireOrSkip", () => {
  it("fails under CI instead of skipping", () => {
    const ci = process.env.CI;
    process.env.CI = "true";
    try {
      expect(() => requireOrSkip("x", "missing")).toThrow(/cannot run on CI/);
    } finally {
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });
  it("runs when nothing is missing", () => {
    expect(requireOrSkip("x", null)).toBe(true);
  });
});
