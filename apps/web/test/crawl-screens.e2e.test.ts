import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import {
  accessibilityProblems,
  browserUnavailableReason,
  checkPagesInBrowser,
  launchBrowser,
  pagesToOpen,
  pageWidthProblems,
  requireOrSkip,
} from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crawlProduct, ROUTES_DIRS } from "./crawl-spec.ts";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const runnable = requireOrSkip(
  "screens and schemes crawl",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

// Every kind of page of both apps, as each role, on a phone in light mode and on a tablet in dark mode
// (so both sizes and both schemes are seen): nothing wider than the screen, and no serious or critical
// axe finding (contrast included), under the production CSP.
describe.runIf(runnable)("every page on a phone and a tablet, light and dark", () => {
  let host: TestHost;
  let pages: ReturnType<typeof pagesToOpen>;
  let roles: Awaited<ReturnType<typeof crawlProduct>>["roles"];
  beforeAll(async () => {
    host = await startTestHost();
    const crawled = await crawlProduct(host.webUrl, host.adminUrl);
    roles = crawled.roles;
    pages = pagesToOpen(crawled, ROUTES_DIRS);
  }, 600_000);
  afterAll(async () => {
    await host?.close();
  });

  for (const screen of [
    { name: "phone 390×844, light", viewport: { width: 390, height: 844 }, colorScheme: "light" as const },
    { name: "tablet 768×1024, dark", viewport: { width: 768, height: 1024 }, colorScheme: "dark" as const },
  ]) {
    it(`fits the screen and passes axe: ${screen.name}`, async () => {
      expect(pages.length).toBeGreaterThan(40);
      const browser = await launchBrowser();
      try {
        const problems = await checkPagesInBrowser(
          browser,
          roles,
          pages,
          async (page) => [...(await pageWidthProblems(page)), ...(await accessibilityProblems(page, AXE))],
          { viewport: screen.viewport, colorScheme: screen.colorScheme },
        );
        expect(problems.map((p) => `${p.role} ${p.url}: ${p.kind}: ${p.detail}`)).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 900_000);
  }
});
