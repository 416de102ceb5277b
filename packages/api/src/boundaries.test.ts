import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The rooms of packages/api and the doors between them (docs/architecture.md, "Inside packages/api"):
 * - kernel/ imports no domain, no workflow and no router;
 * - a domain imports the kernel, browser-safe/ and only the domains it documents in DEPENDS_ON
 *   (one-way: the graph has no cycle);
 * - workflows/ sit above the domains (a cross-domain change lives there); only a domain's router.ts,
 *   the root router and the entry points may import them;
 * - test helpers live in testing/, never among domain files.
 */
const src = dirname(fileURLToPath(import.meta.url));

const DOMAINS = [
  "account",
  "admin",
  "ai",
  "billing",
  "inbox",
  "job",
  "marketplace",
  "privacy",
  "shop",
] as const;
type Domain = (typeof DOMAINS)[number];

/** The documented one-way dependencies between domains: a key may import the domains it lists. */
const DEPENDS_ON: Record<Domain, readonly Domain[]> = {
  shop: [],
  job: ["shop"],
  billing: ["shop", "job"],
  // Deletion, export and cancellation read the shop's and billing's rows.
  privacy: ["shop", "billing"],
  // Product analytics (`tracked`) goes through privacy's consent rules.
  marketplace: ["shop", "privacy"],
  // Shop plans (shop/plans.ts): a new shop starts on Free, seats and AI features fit the plan.
  account: ["privacy", "shop"],
  ai: ["privacy", "shop"],
  // The workspace inbox (issue 13): Gmail threads into the job conversation, purchase orders through the AI intake.
  inbox: ["ai", "job"],
  // The platform's console reads across the platform: orders and refunds (marketplace's one refund
  // path), shops and their notifications, the formula-safe CSV writer.
  // It cancels a shop for the platform with privacy's shop cancellation.
  admin: ["shop", "job", "marketplace", "privacy"],
};

/** Folders of src that are not domains, and who may import them. */
const LOWER = new Set(["kernel", "browser-safe"]);

interface Violation {
  file: string;
  imports: string;
  why: string;
}

function roomOf(path: string): string {
  const rel = relative(src, path);
  return rel.includes("/") ? (rel.split("/")[0] as string) : rel;
}

/** The relative imports of a module's text (import/export … from "./x", import("./x")). */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g))
    found.push(m[1] as string);
  return found;
}

/** What a file of src may not import, by the rules above. */
function violations(file: string, text: string): Violation[] {
  const out: Violation[] = [];
  const room = roomOf(file);
  const isTest = /\.test\.tsx?$/.test(file);
  const isRouter = file.endsWith("/router.ts");
  for (const spec of relativeImports(text)) {
    const target = resolve(dirname(file), spec);
    const to = roomOf(target);
    const rel = relative(src, file);
    const add = (why: string) => out.push({ file: rel, imports: spec, why });
    if (to === room || isTest) continue;
    if (room === "kernel" && !LOWER.has(to)) {
      add("the kernel imports no domain, workflow or router");
      continue;
    }
    if (room === "browser-safe") {
      add("browser-safe imports nothing else of the API");
      continue;
    }
    if (room === "testing" || room === "demo" || !(DOMAINS as readonly string[]).includes(room)) continue;
    if (LOWER.has(to)) continue;
    if (to === "workflows") {
      if (!isRouter) add("only a router may call a workflow; domain functions sit below them");
      continue;
    }
    if (to === "trpc.ts" || to === "outputs.ts") {
      if (!isRouter && !file.endsWith("/outputs.ts"))
        add("domain functions do not import the transport layer");
      continue;
    }
    if ((DOMAINS as readonly string[]).includes(to)) {
      if (!DEPENDS_ON[room as Domain].includes(to as Domain)) {
        add(`${room} may import only ${["kernel", ...DEPENDS_ON[room as Domain]].join(", ")}`);
      }
      continue;
    }
    add(`a domain imports the kernel, browser-safe and its documented domains, not ${to}`);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(d.name) ? [path] : [];
  });
}

const TEST_HELPER = /(^|\/)(test-[a-z-]+|access-world|[a-z-]+-fixtures?)\.ts$/;

describe("packages/api: a kernel, domains with one-way doors, workflows above them", () => {
  const files = sourceFiles(src);

  it("finds the rooms it checks", () => {
    const rooms = new Set(files.map(roomOf));
    for (const room of [...DOMAINS, "kernel", "workflows", "testing"]) expect(rooms).toContain(room);
  });

  it("no file imports past its room's door", () => {
    const found = files.flatMap((file) => violations(file, readFileSync(file, "utf8")));
    expect(found).toEqual([]);
  });

  it("the documented domain dependencies have no cycle", () => {
    const visiting = new Set<Domain>();
    const done = new Set<Domain>();
    const cycles: string[] = [];
    const visit = (d: Domain, path: Domain[]) => {
      if (done.has(d)) return;
      if (visiting.has(d)) {
        cycles.push([...path, d].join(" -> "));
        return;
      }
      visiting.add(d);
      for (const next of DEPENDS_ON[d]) visit(next, [...path, d]);
      visiting.delete(d);
      done.add(d);
    };
    for (const d of DOMAINS) visit(d, []);
    expect(cycles).toEqual([]);
  });

  it("test helpers live in testing/, not among domain files", () => {
    const misplaced = files
      .map((f) => relative(src, f))
      .filter((f) => (DOMAINS as readonly string[]).includes(roomOf(join(src, f))) && TEST_HELPER.test(f));
    expect(misplaced).toEqual([]);
  });

  it("the check itself catches each kind of wrong door", () => {
    const at = (path: string) => join(src, path);
    expect(violations(at("kernel/x.ts"), 'import { a } from "../shop/printers.ts";')).toHaveLength(1);
    expect(violations(at("kernel/x.ts"), 'import { a } from "./errors.ts";')).toEqual([]);
    expect(violations(at("shop/x.ts"), 'import { a } from "../job/create-job.ts";')).toHaveLength(1);
    expect(
      violations(at("job/x.ts"), 'import type { a } from "../marketplace/customer-orders.ts";'),
    ).toHaveLength(1);
    expect(violations(at("job/x.ts"), 'import { a } from "../shop/stock.ts";')).toEqual([]);
    expect(violations(at("job/x.ts"), 'import { a } from "../workflows/order-fulfilment.ts";')).toHaveLength(
      1,
    );
    expect(violations(at("job/router.ts"), 'import { a } from "../workflows/order-fulfilment.ts";')).toEqual(
      [],
    );
    expect(violations(at("job/x.test.ts"), 'import { a } from "../marketplace/customer-orders.ts";')).toEqual(
      [],
    );
    expect(violations(at("browser-safe/x.ts"), 'export { a } from "../kernel/index.ts";')).toHaveLength(1);
  });
});
