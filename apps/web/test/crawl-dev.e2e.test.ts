import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DevHost, startDevHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageGaps, crawlProduct, describeFailures } from "./crawl-spec.ts";

// A route file this test writes and edits to see hot reloading (git-ignored; removed afterwards).
const PROBE = join(dirname(fileURLToPath(import.meta.url)), "../app/routes/dev-hmr-probe.tsx");
const probeSource = (text: string) =>
  `export default function Probe() {\n  return <p id="probe">${text}</p>;\n}\n`;

// `pnpm dev` itself: both apps on their Vite dev servers in one process, embedded PGlite, demo seed.
describe("pnpm dev", () => {
  let host: DevHost;
  beforeAll(async () => {
    rmSync(PROBE, { force: true });
    host = await startDevHost();
  }, 300_000);
  afterAll(async () => {
    rmSync(PROBE, { force: true });
    await host?.close();
  });

  it("serves every page of both apps without a server error or a dead link, for every role", async () => {
    const result = await crawlProduct(host.webUrl, host.adminUrl);
    expect(describeFailures(result), host.output().slice(-4000)).toBe("");
    expect(coverageGaps(result)).toEqual({ unreached: [], listedButReached: [], listedButMissing: [] });
    expect(result.visits.length).toBeGreaterThan(100);
  }, 600_000);

  const browser = requireOrSkip("dev hot-reload browser test", browserUnavailableReason());
  it.runIf(browser)(
    "hot-reloads an edited route file in the open page, without a reload",
    async () => {
      writeFileSync(PROBE, probeSource("first version"));
      // The new route is picked up by the running server.
      await expect
        .poll(async () => (await fetch(`${host.webUrl}/dev-hmr-probe`)).status, { timeout: 60_000 })
        .toBe(200);
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await gotoHydrated(page, `${host.webUrl}/dev-hmr-probe`);
        await expect.poll(() => page.locator("#probe").textContent()).toBe("first version");
        // A marker that a full page reload would wipe.
        await page.evaluate(() => {
          (window as unknown as { ktizoProbe: number }).ktizoProbe = 1;
        });
        writeFileSync(PROBE, probeSource("second version"));
        await expect
          .poll(() => page.locator("#probe").textContent(), { timeout: 60_000 })
          .toBe("second version");
        expect(await page.evaluate(() => (window as unknown as { ktizoProbe?: number }).ktizoProbe)).toBe(1);
      } finally {
        await browser.close();
      }
    },
    180_000,
  );
});
