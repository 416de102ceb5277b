import { newId } from "@ktizo/db";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, corpusModelPath, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Issue 14, requirement 5: the quote page moves from "Estimated" to "Sliced: …" when the slicer worker's
// result lands, with no reload, and the price follows the sliced figures.
const runnable = requireOrSkip(
  "sliced quote browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("a quote moves from estimated to sliced while the page is open", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it("shows the estimate first, then the slice and its price without a reload", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${host.webUrl}/`);
    const reject = page.getByRole("button", { name: "Reject analytics" });
    if (await reject.count()) await reject.click();
    await page.getByLabel("Model files").setInputFiles(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"));
    await page.getByRole("link", { name: "Compare quotes" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/quote/"));
    const uploadId = new URL(page.url()).pathname.split("/").pop()!;
    // 25 pieces: above any minimum order price, so the price follows the figures.
    await page.goto(`${host.webUrl}/quote/${uploadId}?quantity=25`);
    await page.locator("html[data-hydrated]").waitFor();
    const northside = page
      .getByRole("list", { name: "Shops that can make it" })
      .locator("> li")
      .filter({ hasText: "Northside Print Lab" });
    const basis = northside.getByTestId("option-basis").first();
    const price = northside.getByTestId("quote-price").first();
    expect(await basis.textContent()).toBe("Estimated");
    const estimated = await price.textContent();

    // What the slicer worker stores when it finishes: a slice per printer with its current profile.
    const db = host.runtime.db;
    const printers = await db
      .selectFrom("printer as p")
      .innerJoin("organization as o", "o.id", "p.organizationId")
      .select(["p.id", "p.organizationId", "p.slicerProfileVersion"])
      .where("o.name", "=", "Northside Print Lab")
      .execute();
    for (const p of printers) {
      await db
        .insertInto("modelSlice")
        .values({
          id: newId("slc"),
          uploadId,
          printerId: p.id,
          organizationId: p.organizationId,
          status: "sliced",
          meshHash: "e2e",
          profileHash: newId("p"),
          profileVersion: p.slicerProfileVersion,
          slicerName: "PrusaSlicer",
          slicerVersion: "2.5.0",
          printSeconds: 4568,
          filamentCm3: 60,
          layers: 100,
          finishedAt: new Date(),
        })
        .execute();
    }
    await expect
      .poll(() => basis.textContent(), { timeout: 20_000 })
      .toMatch(/^Sliced: 1 h 16 min, [\d.]+ g$/);
    expect(await price.textContent()).not.toBe(estimated);
    await context.close();
  });
});
