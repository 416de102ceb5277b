import { readFile } from "node:fs/promises";
import * as monitoring from "@ktizo/services/monitoring";
import { describe, expect, it } from "vitest";

describe("@ktizo/services/monitoring", () => {
  it("is importable from the package subpath", () => {
    expect(typeof monitoring.beforeSend).toBe("function");
    expect(typeof monitoring.beforeBreadcrumb).toBe("function");
    expect(typeof monitoring.scrubEvent).toBe("function");
  });

  it("imports nothing, so it runs in any runtime and never pulls in @sentry/*", async () => {
    const source = await readFile(new URL("./scrub.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/require\(/);
  });
});
