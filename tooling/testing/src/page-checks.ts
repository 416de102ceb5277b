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

/** How the browser presents each page: its window size and preferred colour scheme. */
export interface PageCheckOptions {
  /** Layout viewport in CSS pixels (Chromium's default, 1280×720, when absent). */
  viewport?: { width: number; height: number };
  /** What `prefers-color-scheme` answers ("light" when absent). */
  colorScheme?: "light" | "dark";
  /** Looks at each open, hydrated page (layout width, accessibility) and returns its problems. */
  check?: (page: Page) => Promise<Pick<PageProblem, "kind" | "detail">[]>;
}

/**
 * Opens each page as its role in Chromium, waits for it to hydrate, and reports every console error,
 * uncaught error and Content-Security-Policy violation, plus what `options.check` finds.
 */
export async function checkPagesInBrowser(
  browser: Browser,
  roles: CrawlRole[],
  pages: { role: string; url: string }[],
  options: PageCheckOptions = {},
): Promise<PageProblem[]> {
  const { check, viewport, colorScheme = "light" } = options;
  const problems: PageProblem[] = [];
  const contexts = new Map<string, BrowserContext>();
  try {
    for (const { role, url } of pages) {
      let context = contexts.get(role);
      if (!context) {
        context = await browser.newContext({ colorScheme, ...(viewport ? { viewport } : {}) });
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

// Elements that stick out past the right edge of the viewport, outermost first (a string, as above).
const OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 1 || box.width === 0) continue;
    if (found.some((outer) => outer.contains(el))) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow !== "visible") { clipped = true; break; }
    }
    if (!clipped) found.push(el);
  }
  return [
    "document is " + document.documentElement.scrollWidth + " px wide in a " + width + " px viewport",
    ...found.slice(0, 5).map((el) => el.tagName.toLowerCase() +
      (el.id ? "#" + el.id : "") +
      (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).slice(0, 4).join(".") : "") +
      " reaches " + Math.round(el.getBoundingClientRect().right) + " px"),
  ];
})()`;

/** A "width" problem when the document is wider than the viewport, naming the elements that stick out. */
export async function documentWidthProblems(page: Page): Promise<Pick<PageProblem, "kind" | "detail">[]> {
  const lines: string[] = await page.evaluate(OVERFLOW);
  return lines.length ? [{ kind: "width", detail: lines.join("; ") }] : [];
}

/**
 * Serious and critical WCAG 2.1 A/AA findings of axe-core on the open page (colour contrast included).
 * `axeSource` is axe-core's `axe.min.js`, which the calling app depends on; it is evaluated through the
 * DevTools protocol, so the page's Content-Security-Policy does not block it.
 */
export async function axeProblems(
  page: Page,
  axeSource: string,
): Promise<Pick<PageProblem, "kind" | "detail">[]> {
  await page.evaluate(axeSource);
  const findings: string[] = await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => v.id + ": " + v.nodes.slice(0, 5).map((n) => n.target.join(" ") +
        (n.any[0] && n.any[0].data && n.any[0].data.contrastRatio
          ? " (" + n.any[0].data.fgColor + " on " + n.any[0].data.bgColor + ", " + n.any[0].data.contrastRatio + ")"
          : "")).join(", "));
  })()`);
  return findings.map((detail) => ({ kind: "accessibility", detail }));
}
