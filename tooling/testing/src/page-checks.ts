import type { Browser, BrowserContext, Page } from "playwright-core";
import type { CrawlResult, CrawlRole } from "./crawl.ts";
import { type RouteFile, readRouteFiles, routesForPath } from "./routes.ts";

/** A problem a user's browser showed on one page. */
export interface PageProblem {
  role: string;
  url: string;
  kind: "console" | "csp" | "page-error" | "width" | "accessibility";
  detail: string;
}

/** Cookies of a Cookie header value, for a browser context on `url`'s host. */
function cookiesFor(cookie: string, url: string) {
  const { hostname } = new URL(url);
  return cookie
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => ({
      name: pair.slice(0, pair.indexOf("=")),
      value: pair.slice(pair.indexOf("=") + 1),
      domain: hostname,
      path: "/",
    }));
}

/**
 * One URL per route pattern, role and app among the HTML pages a crawl reached: the pages to open in
 * a real browser (opening every row of a list page would add time and no coverage).
 */
export function pagesToOpen(
  result: CrawlResult,
  routesDirs: Record<string, string>,
): { role: string; app: string; url: string }[] {
  const routes = new Map<string, RouteFile[]>(
    Object.entries(routesDirs).map(([app, dir]) => [app, readRouteFiles(dir)]),
  );
  const seen = new Set<string>();
  const pages: { role: string; app: string; url: string }[] = [];
  for (const visit of result.visits) {
    if (!visit.html || visit.status !== 200) continue;
    const path = new URL(visit.url).pathname;
    const leaf = routesForPath(routes.get(visit.app) ?? [], path)[0];
    const key = `${visit.role} ${visit.app} ${leaf?.id ?? path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pages.push({ role: visit.role, app: visit.app, url: visit.url });
  }
  return pages;
}

// Collects CSP violations in the page itself (the event fires for blocked styles and scripts alike).
const RECORD_CSP = `
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
      (e.sample ? " (" + e.sample.slice(0, 80) + ")" : ""));
  });
`;

/**
 * Opens each page as its role in Chromium, waits for it to hydrate, and reports every console error,
 * uncaught error and Content-Security-Policy violation. `check` may look at each open page too (layout
 * width, accessibility) and return problems of its own.
 */
export async function checkPagesInBrowser(
  browser: Browser,
  roles: CrawlRole[],
  pages: { role: string; url: string }[],
  check?: (page: Page) => Promise<Pick<PageProblem, "kind" | "detail">[]>,
): Promise<PageProblem[]> {
  const problems: PageProblem[] = [];
  const contexts = new Map<string, BrowserContext>();
  try {
    for (const { role, url } of pages) {
      let context = contexts.get(role);
      if (!context) {
        context = await browser.newContext();
        await context.addInitScript(RECORD_CSP);
        const cookie = roles.find((r) => r.name === role)?.cookie ?? "";
        if (cookie) await context.addCookies(cookiesFor(cookie, url));
        contexts.set(role, context);
      }
      const page = await context.newPage();
      const report = (kind: PageProblem["kind"], detail: string) =>
        problems.push({ role, url, kind, detail });
      page.on("console", (message) => {
        if (message.type() === "error") report("console", message.text());
      });
      page.on("pageerror", (error) => report("page-error", error.message));
      try {
        await page.goto(url, { waitUntil: "load" });
        await page
          .locator("html[data-hydrated]")
          .waitFor({ state: "attached", timeout: 15_000 })
          .catch(() => report("page-error", "the page did not hydrate within 15 s"));
        // A string, so this Node package needs no DOM types.
        const violations: string[] = await page.evaluate("window.__cspViolations ?? []");
        for (const violation of violations) report("csp", violation);
        for (const problem of (await check?.(page)) ?? []) report(problem.kind, problem.detail);
      } finally {
        await page.close();
      }
    }
  } finally {
    await Promise.all([...contexts.values()].map((context) => context.close()));
  }
  return problems;
}
