import { describe, expect, it } from "vitest";
import { browserUnavailableReason, launchBrowser } from "./browser.ts";
import { documentWidthProblems } from "./page-checks.ts";
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

  it("names what makes a page wider than a phone, and nothing when a wide table scrolls in its box", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const table = '<table class="wide"><tr><td style="min-width:900px">cell</td></tr></table>';
      await page.setContent(`<body>${table}<p>fits</p></body>`);
      expect(await documentWidthProblems(page)).toEqual([
        {
          kind: "width",
          detail: expect.stringMatching(
            /^document is \d+ px wide in a 390 px viewport; table\.wide reaches \d+ px$/,
          ),
        },
      ]);
      await page.setContent(`<body><div style="overflow-x:auto">${table}</div><p>fits</p></body>`);
      expect(await documentWidthProblems(page)).toEqual([]);
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
