import { readdirSync } from "node:fs";
import { basename } from "node:path";

/** One route file of a Remix app, with the URL pattern it serves (Remix v2 flat-routes naming). */
export interface RouteFile {
  /** File name in `app/routes`, e.g. `org.jobs.$jobId.tsx`. */
  file: string;
  /** Route id without the extension, e.g. `org.jobs.$jobId`. */
  id: string;
  /** e.g. `/org/jobs/:jobId`; layouts have their own path too. */
  pattern: string;
  /** Ids of the layout routes this one renders inside (nearest last). */
  parents: string[];
  index: boolean;
  matcher: RegExp;
  /** Static segments count more than params when several patterns match one URL. */
  specificity: number;
}

/** Splits a flat-routes id on the dots that are not escaped with `[.]`. */
function segmentsOf(id: string): string[] {
  const segments: string[] = [];
  let current = "";
  for (let i = 0; i < id.length; i++) {
    if (id.startsWith("[.]", i)) {
      current += ".";
      i += 2;
    } else if (id[i] === ".") {
      segments.push(current);
      current = "";
    } else current += id[i];
  }
  segments.push(current);
  return segments;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every route file under `routesDir` (tests excluded), with patterns and layout parents. */
export function readRouteFiles(routesDir: string): RouteFile[] {
  const files = readdirSync(routesDir).filter(
    (f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith("."),
  );
  const ids = files.map((f) => basename(f).replace(/\.(ts|tsx)$/, ""));
  return files.map((file, i) => {
    const id = ids[i] as string;
    const segments = segmentsOf(id);
    const index = segments.at(-1) === "_index";
    const parts: string[] = [];
    const regex: string[] = [];
    let specificity = 0;
    for (const raw of index ? segments.slice(0, -1) : segments) {
      if (raw.startsWith("_")) continue; // pathless layout segment
      // A trailing underscore (`schedule_`) leaves the parent's layout; the URL segment has none.
      const segment = raw.endsWith("_") ? raw.slice(0, -1) : raw;
      if (segment === "$") {
        parts.push("*");
        regex.push("(?:/.*)?");
      } else if (segment.startsWith("$")) {
        parts.push(`:${segment.slice(1)}`);
        regex.push("/[^/]+");
        specificity += 1;
      } else {
        parts.push(segment);
        regex.push(`/${escapeRegExp(segment)}`);
        specificity += 10;
      }
    }
    const pattern = `/${parts.join("/")}`;
    // A parent is a layout route whose id is a dotted prefix of this one (`account` of `account.privacy`).
    const parents = ids
      .filter((other) => other !== id && !other.endsWith("_index") && id.startsWith(`${other}.`))
      .sort((a, b) => a.length - b.length);
    return {
      file,
      id,
      pattern,
      parents,
      index,
      matcher: new RegExp(`^${regex.join("") || ""}/?$`),
      specificity: specificity + (index ? 1 : 0),
    };
  });
}

/**
 * The route files that render a URL path: the most specific matching route and its layouts. An index
 * route beats its layout for the layout's own path; a layout with no index serves its path itself.
 */
export function routesForPath(routes: RouteFile[], path: string): RouteFile[] {
  const matches = routes.filter((r) => r.matcher.test(path));
  if (matches.length === 0) return [];
  const best = matches.reduce((a, b) => (b.specificity > a.specificity ? b : a));
  return [best, ...routes.filter((r) => best.parents.includes(r.id))];
}
