import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import {
  browserUnavailableReason,
  checkPagesInBrowser,
  launchBrowser,
  pagesToOpen,
  requireOrSkip,
} from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageGaps, crawlProduct, describeFailures, ROUTES_DIRS } from "./crawl-spec.ts";

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
});
