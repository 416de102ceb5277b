import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import {
  axeProblems,
  browserUnavailableReason,
  checkPagesInBrowser,
  documentWidthProblems,
  launchBrowser,
  pagesToOpen,
  requireOrSkip,
} from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageGaps, crawlProduct, describeFailures, ROUTES_DIRS } from "./crawl-spec.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const runnable = requireOrSkip("production-build crawl", browserUnavailableReason() ?? appsNotBuiltReason());

// The same crawl as `crawl-dev`, against the production build of both apps, then every kind of page
// opened in Chromium under the production Content-Security-Policy.
describe.runIf(runnable)("the production build", () => {
  let host: TestHost;
  let crawled: Awaited<ReturnType<typeof crawlProduct>>;
  beforeAll(async () => {
    host = await startTestHost();
    crawled = await crawlProduct(host.webUrl, host.adminUrl);
  }, 600_000);
  afterAll(async () => {
    await host?.close();
  });

  it("serves every page of both apps without a server error or a dead link, for every role", () => {
    expect(describeFailures(crawled)).toBe("");
    expect(coverageGaps(crawled)).toEqual({ unreached: [], listedButReached: [], listedButMissing: [] });
    expect(crawled.visits.length).toBeGreaterThan(100);
  });

  it("shows no console error and no CSP violation on any page, for any role", async () => {
    const pages = pagesToOpen(crawled, ROUTES_DIRS);
    expect(pages.length).toBeGreaterThan(40);
    const browser = await launchBrowser();
    try {
      const problems = await checkPagesInBrowser(browser, crawled.roles, pages);
      expect(problems.map((p) => `${p.role} ${p.url}: ${p.kind}: ${p.detail}`)).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 600_000);

  // Requirements 3 and 4 of issue 20: every page fits a phone in the light scheme and a tablet in the dark
  // one, and axe-core (contrast included) finds nothing serious in either scheme.
  for (const [label, options] of [
    ["a phone (390×844, light)", { viewport: { width: 390, height: 844 }, colorScheme: "light" }],
    ["a tablet (768×1024, dark)", { viewport: { width: 768, height: 1024 }, colorScheme: "dark" }],
  ] as const) {
    it(`fits ${label} on every page, for every role, with no serious axe-core finding`, async () => {
      const pages = pagesToOpen(crawled, ROUTES_DIRS);
      const browser = await launchBrowser();
      try {
        const problems = await checkPagesInBrowser(browser, crawled.roles, pages, {
          ...options,
          check: async (page) => [
            ...(await documentWidthProblems(page)),
            ...(await axeProblems(page, AXE_SOURCE)),
          ],
        });
        expect(problems.map((p) => `${p.role} ${p.url}: ${p.kind}: ${p.detail}`)).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 900_000);
  }
});
