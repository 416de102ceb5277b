import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import {
  axeProblems,
  browserUnavailableReason,
  corpusModelPath,
  documentWidthProblems,
  gotoHydrated,
  requireOrSkip,
} from "@ktizo/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserWorld, checkoutAndPayInTestMode } from "./browser-steps.ts";

// Issue 20: a model exported in inches is quoted at the unit the customer picks (the page suggests it),
// the price and dimensions follow, and the unit and scale travel into the cart, the order and the shop's
// job; prices of a dollar shop and a euro shop are compared in the customer's currency with the rate's
// day, and "lowest price" sorts by the converted amounts.
const runnable = requireOrSkip(
  "units and currency browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);
const INCH_MODEL = fileURLToPath(new URL("./fixtures/bracket-inches.stl", import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

describe.runIf(runnable)("units, scale and currencies on the quote page", () => {
  const world = browserWorld();
  const { signedIn } = world;

  /** Uploads a model from the home page and opens its quote page; returns the upload's id. */
  async function upload(page: Page, file: string): Promise<string> {
    await gotoHydrated(page, `${world.host.webUrl}/`);
    const reject = page.getByRole("button", { name: "Reject analytics" });
    if (await reject.count()) await reject.click();
    await page.getByLabel("Model files").setInputFiles(file);
    await page.getByRole("link", { name: "Compare quotes" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/quote/"));
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    return new URL(page.url()).pathname.split("/").pop() ?? "";
  }

  const shopCard = (page: Page, name: string) =>
    page.getByRole("list", { name: "Shops that can make it" }).locator("> li").filter({ hasText: name });

  it("suggests inches for a tiny model; at inches the price and size change, and the scale reaches the order and the shop's job", async () => {
    // A phone in the dark scheme: the controls must fit and read there too.
    const { context, page } = await signedIn(DEMO_USERS.customer, {
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
      locale: "en-US",
    });
    const uploadId = await upload(page, INCH_MODEL);
    // Ten pieces: read as millimetres the specks cost the shop's minimum; at inches they cost more.
    await gotoHydrated(page, `${world.host.webUrl}/quote/${uploadId}?quantity=10`);
    const size = page.getByTestId("model-size");
    expect(await size.textContent()).toContain("2 mm × 3 mm × 0.5 mm");
    const suggestion = page.getByTestId("scale-suggestion");
    expect(await suggestion.textContent()).toContain("Looks like inches? Quote at 25.4×");
    expect(await documentWidthProblems(page)).toEqual([]);
    expect(await axeProblems(page, AXE_SOURCE)).toEqual([]);
    const northside = shopCard(page, "Northside Print Lab");
    const price = northside.getByTestId("quote-price").first();
    const before = await price.textContent();

    // A scale the model cannot be made at is refused beside the field, which keeps what was typed.
    const scale = page.getByRole("spinbutton", { name: "Scale (%)" });
    await scale.fill("1");
    await page.getByRole("button", { name: "Update prices" }).click();
    const refusal = "At this scale the model is only 0.03 mm across; it must be at least 0.5 mm";
    await page.getByText(refusal).first().waitFor();
    expect(await scale.getAttribute("aria-invalid")).toBe("true");
    expect(await scale.inputValue()).toBe("1");
    expect(await northside.count()).toBe(0);
    await scale.fill("100");

    // The customer picks inches: prices and dimensions follow, on the page and under the preview.
    await page.getByLabel("File units").selectOption("in");
    await expect.poll(() => size.textContent()).toContain("50.8 mm × 76.2 mm × 12.7 mm");
    expect(await size.textContent()).toContain("Scaled 2540% from inches");
    expect(await page.getByTestId("preview-size").textContent()).toBe(
      "50.8 mm × 76.2 mm × 12.7 mm · Scaled 2540% from inches",
    );
    await expect.poll(() => price.textContent()).not.toBe(before);
    expect(await suggestion.count()).toBe(0);
    const atInches = (await price.textContent()) ?? "";
    expect(new URL(page.url()).searchParams.get("unit")).toBe("in");
    expect(await documentWidthProblems(page)).toEqual([]);

    // A wanted size instead of a percent: the longest side of 152.4 mm is 200 % of the inch model.
    const longest = page.getByRole("spinbutton", { name: "or longest side (mm)" });
    await longest.fill("152.4");
    await longest.press("Enter");
    await expect.poll(() => size.textContent()).toContain("101.6 mm × 152.4 mm × 25.4 mm");
    expect(await scale.inputValue()).toBe("200");
    expect(await longest.inputValue()).toBe("");
    expect(await size.textContent()).toContain("Scaled 5080% from inches, then 200%");
    await scale.fill("100");
    await expect.poll(() => size.textContent()).toContain("50.8 mm × 76.2 mm × 12.7 mm");
    await expect.poll(() => price.textContent()).toBe(atInches);

    // Order it: the cart and the order say at which scale it is made, at the price shown.
    await northside.getByRole("button", { name: "Add to cart" }).first().click();
    await page.waitForURL((u) => u.pathname === "/cart");
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const item = page.getByRole("listitem").filter({ hasText: "bracket-inches.stl" }).last();
    expect(await item.getByTestId("cart-scale").textContent()).toBe(
      "Scaled 2540% from inches · 50.8 mm × 76.2 mm × 12.7 mm",
    );
    expect(await item.locator("strong").first().textContent()).toBe(atInches);
    const orderId = await checkoutAndPayInTestMode(page, "Northside Print Lab");
    expect(await page.getByTestId("order-status").textContent()).toBe("Paid, in the shop's queue");
    expect(await page.getByTestId("line-scale").first().textContent()).toBe("Scaled 2540% from inches");
    await context.close();

    // The shop's job shows the scale and the size to print.
    const order = await world.host.runtime.db
      .selectFrom("marketplaceOrder")
      .select("jobId")
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(order.jobId).toBeTruthy();
    const shop = await signedIn(DEMO_USERS.northsideOwner);
    await gotoHydrated(shop.page, `${world.host.webUrl}/org/jobs/${order.jobId}`);
    expect(await shop.page.getByTestId("item-scale").first().textContent()).toBe(
      "Scaled 2540% from inches · 50.8 mm × 76.2 mm × 12.7 mm",
    );
    await shop.context.close();
  });

  it("shows the dollar shop's price in euros with the rate's day, and sorts by the converted price", async () => {
    // A German visitor: their currency is the euro (from the locale), the resin shop charges euros.
    const context = await world.browser.newContext({
      locale: "de-DE",
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const uploadId = await upload(page, corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"));
    expect(await page.getByLabel("Compare prices in").inputValue()).toBe("EUR");
    const northside = shopCard(page, "Northside Print Lab");
    const resin = shopCard(page, "Resin Works Berlin");
    await northside.waitFor();
    await resin.waitFor();
    // The dollar shop: its own price, and about that much in euros at the stand-in table's rate.
    expect(await northside.getByTestId("quote-price").first().textContent()).toContain("$");
    const converted = northside.getByTestId("quote-converted").first();
    expect(await converted.textContent()).toMatch(/^≈ [\d.,\s]+€ \(rate of 2026-12-04\)charged in USD$/);
    // The euro shop needs no conversion.
    expect(await resin.getByTestId("quote-converted").count()).toBe(0);
    expect(await documentWidthProblems(page)).toEqual([]);

    // The order follows the converted amounts: a dollar worth almost nothing puts the dollar shop
    // first, a dollar worth a fortune puts it after the euro shop.
    const db = world.host.runtime.db;
    const names = () =>
      page
        .getByRole("list", { name: "Shops that can make it" })
        .locator("> li h2")
        .allTextContents()
        .then((all) => all.filter((n) => n === "Northside Print Lab" || n === "Resin Works Berlin"));
    await db.updateTable("exchangeRate").set({ perEur: 1_000_000 }).where("currency", "=", "USD").execute();
    await gotoHydrated(page, `${world.host.webUrl}/quote/${uploadId}?sort=price`);
    expect(await names()).toEqual(["Northside Print Lab", "Resin Works Berlin"]);
    await db.updateTable("exchangeRate").set({ perEur: 0.000_001 }).where("currency", "=", "USD").execute();
    await gotoHydrated(page, `${world.host.webUrl}/quote/${uploadId}?sort=price`);
    expect(await names()).toEqual(["Resin Works Berlin", "Northside Print Lab"]);
    // Compared in dollars instead, the euro shop's price is the converted one.
    await page.getByLabel("Compare prices in").selectOption("USD");
    await resin.getByTestId("quote-converted").first().waitFor();
    expect(await resin.getByTestId("quote-converted").first().textContent()).toMatch(
      /\(rate of 2026-12-04\)charged in EUR$/,
    );
    await context.close();
  });
});
