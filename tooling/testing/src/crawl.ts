import { type RouteFile, readRouteFiles, routesForPath } from "./routes.ts";

/** One app to crawl: where it is served and where its route files are. */
export interface CrawlApp {
  name: string;
  baseUrl: string;
  routesDir: string;
  /** Paths every role starts from (the crawl follows links from there). */
  start: string[];
}

/** Who crawls: a name and the cookies their requests carry (none when signed out). */
export interface CrawlRole {
  name: string;
  cookie: string;
}

export interface Visit {
  role: string;
  app: string;
  url: string;
  status: number;
  /** The answer was an HTML page. */
  html: boolean;
  /** First bytes of the body of a 5xx answer, to say what broke. */
  body?: string;
  /** The page that linked here or redirected here. */
  from?: string;
  /** How the crawl came here: a start path, a link on a page, a redirect, or an implied URL. */
  via: "start" | "link" | "redirect" | "expand";
}

export interface CrawlOptions {
  apps: CrawlApp[];
  roles: CrawlRole[];
  /** Links not to follow (e.g. ones that sign out). */
  skip?: (url: URL) => boolean;
  /** More URLs a reached URL implies (an iframe page a shop page names, a script the page loads). */
  expand?: (url: URL, role: string, app: string) => string[];
  /** At most this many distinct URLs per route pattern, role and app (list pages with many rows). */
  perPattern?: number;
  /** Hard cap on requests per role, so a loop of generated links cannot run away. */
  maxRequestsPerRole?: number;
}

export interface CrawlResult {
  visits: Visit[];
  /** Answers of 500 or more. */
  failures: Visit[];
  /** Links found on pages that answer 404: a dead link the user can click. */
  brokenLinks: Visit[];
  /** `app/file` → the roles that reached it. */
  reached: Map<string, Set<string>>;
  /** Every route file of every app, as `app/file`. */
  routeFiles: string[];
}

const hrefPattern = /<a\b[^>]*?\shref="([^"]*)"/gi;

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, "&")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"');
}

/** Links on a page, resolved against its URL. */
export function linksOf(html: string, pageUrl: string): URL[] {
  const links: URL[] = [];
  for (const match of html.matchAll(hrefPattern)) {
    const href = decodeEntities(match[1] ?? "");
    if (!href || href.startsWith("#") || /^(mailto|tel|javascript|data):/i.test(href)) continue;
    try {
      links.push(new URL(href, pageUrl));
    } catch {
      // not a URL: nothing to follow
    }
  }
  return links;
}

/**
 * Requests every page reachable by following links from each app's start paths, as each role, with
 * plain HTTP (redirects followed by hand, so each hop is checked). Records every answer and which route
 * file served each URL, so a test can require that no page fails and every route file was reached.
 */
export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const perPattern = options.perPattern ?? 3;
  const maxRequests = options.maxRequestsPerRole ?? 1500;
  const routesByApp = new Map<string, RouteFile[]>(
    options.apps.map((app) => [app.name, readRouteFiles(app.routesDir)]),
  );
  const appOf = (url: URL) => options.apps.find((app) => new URL(app.baseUrl).origin === url.origin);
  const visits: Visit[] = [];
  const reached = new Map<string, Set<string>>();

  for (const role of options.roles) {
    const seen = new Set<string>();
    const patternCounts = new Map<string, number>();
    type Next = { url: URL; from?: string; via: Visit["via"] };
    const queue: Next[] = options.apps.flatMap((app) =>
      app.start.map((path) => ({ url: new URL(path, app.baseUrl), via: "start" as const })),
    );
    let requests = 0;
    while (queue.length > 0 && requests < maxRequests) {
      const { url, from, via } = queue.shift() as Next;
      url.hash = "";
      const app = appOf(url);
      if (!app || seen.has(url.href) || options.skip?.(url)) continue;
      const routes = routesForPath(routesByApp.get(app.name) ?? [], url.pathname);
      const leaf = routes[0];
      const patternKey = `${app.name}:${leaf?.pattern ?? url.pathname}`;
      const count = patternCounts.get(patternKey) ?? 0;
      if (count >= perPattern) continue;
      seen.add(url.href);
      patternCounts.set(patternKey, count + 1);
      requests++;

      const response = await fetch(url, {
        redirect: "manual",
        headers: { cookie: role.cookie, accept: "text/html,*/*" },
      });
      const type = response.headers.get("content-type") ?? "";
      const visit: Visit = {
        role: role.name,
        app: app.name,
        url: url.href,
        status: response.status,
        html: type.includes("text/html"),
        from,
        via,
      };
      const body = type.includes("text/html") || response.status >= 500 ? await response.text() : "";
      if (!body) await response.body?.cancel();
      if (response.status >= 500) visit.body = body.slice(0, 600);
      visits.push(visit);
      if (response.status < 400) {
        for (const route of routes) {
          const key = `${app.name}/${route.file}`;
          if (!reached.has(key)) reached.set(key, new Set());
          reached.get(key)?.add(role.name);
        }
      }
      const location = response.headers.get("location");
      if (location) queue.push({ url: new URL(location, url), from: url.href, via: "redirect" });
      if (body) {
        for (const link of linksOf(body, url.href)) queue.push({ url: link, from: url.href, via: "link" });
      }
      for (const extra of options.expand?.(url, role.name, app.name) ?? []) {
        queue.push({ url: new URL(extra, url), from: url.href, via: "expand" });
      }
    }
  }
  const routeFiles = options.apps.flatMap((app) =>
    (routesByApp.get(app.name) ?? []).map((route) => `${app.name}/${route.file}`),
  );
  return {
    visits,
    failures: visits.filter((v) => v.status >= 500),
    brokenLinks: visits.filter((v) => v.via === "link" && v.status === 404),
    reached,
    routeFiles,
  };
}
