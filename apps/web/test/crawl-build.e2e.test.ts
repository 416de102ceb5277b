import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageGaps, crawlProduct, describeFailures } from "./crawl-spec.ts";

// The same crawl as `crawl-dev`, against the production build of both apps.
describe.runIf(requireOrSkip("production-build crawl", appsNotBuiltReason()))("the production build", () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(async () => {
    await host?.close();
  });

  it("serves every page of both apps without a server error or a dead link, for every role", async () => {
    const result = await crawlProduct(host.webUrl, host.adminUrl);
    expect(describeFailures(result)).toBe("");
    expect(coverageGaps(result)).toEqual({ unreached: [], listedButReached: [], listedButMissing: [] });
    expect(result.visits.length).toBeGreaterThan(100);
  }, 600_000);
});
