import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AccessWorld,
  RESOURCE_ROUTES,
  resourceRouteFiles,
  uncoveredResourceRoutes,
} from "./resource-routes.ts";

const REPO = join(import.meta.dirname, "../../..");

describe("resource routes are enumerated like procedures", () => {
  it("finds the web app's resource routes (files with a loader or action and no page)", () => {
    const files = resourceRouteFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        "org.jobs.$jobId.files.$fileId.ts",
        "quote.upload.ts",
        "api.webhooks.stripe.ts",
      ]),
    );
    // Pages (a default component) are not resource routes, even with a loader.
    expect(files).not.toContain("org.jobs.$jobId.tsx");
  });

  it("every resource route has an access case, and every case a route", () => {
    expect(uncoveredResourceRoutes()).toEqual({ missing: [], stale: [] });
  });

  it("a route that refuses nobody says why (public, or enumerated elsewhere)", () => {
    for (const [file, entry] of Object.entries(RESOURCE_ROUTES)) {
      if (entry.refused === null) expect(entry.access, file).toMatch(/^public:|procedure/);
    }
  });

  it("every refusal of an object the route takes by id uses a real one of the world, not a made-up id", () => {
    // Each world value is a marker: the path of a refusal must be built from one.
    const world = new Proxy({} as AccessWorld, { get: (_, key) => `WORLD-${String(key)}` });
    for (const [file, entry] of Object.entries(RESOURCE_ROUTES)) {
      const takesId = /\$\w/.test(file) && !entry.access.startsWith("public:");
      if (!entry.refused || !takesId) continue;
      expect(entry.refused.path(world), file).toContain("WORLD-");
    }
  });

  it("every route has an allowed case: a request that gets it, or an existing test that does", () => {
    for (const [file, entry] of Object.entries(RESOURCE_ROUTES)) {
      if ("elsewhere" in entry.allowed)
        expect(existsSync(join(REPO, entry.allowed.elsewhere)), file).toBe(true);
      else expect(entry.allowed.status, file).toBeLessThan(400);
    }
  });

  it("a new resource route file without a case is reported", () => {
    const dir = mkdtempSync(join(tmpdir(), "ktizo-routes-"));
    writeFileSync(join(dir, "org.secret.$id.ts"), "export async function loader() { return null; }\n");
    writeFileSync(
      join(dir, "org.page.tsx"),
      "export async function loader() {}\nexport default function P() {}\n",
    );
    const files = resourceRouteFiles(dir);
    expect(files).toEqual(["org.secret.$id.ts"]);
    expect(uncoveredResourceRoutes(files).missing).toEqual(["org.secret.$id.ts"]);
  });
});
