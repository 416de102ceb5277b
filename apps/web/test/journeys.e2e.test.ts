import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { browserUnavailableReason, corpusModelPath, gotoHydrated, requireOrSkip } from "@ktizo/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserWorld } from "./browser-steps.ts";

// Defects a new customer or shop met in their first hour (issue 20), each seen on screen before the fix.
const runnable = requireOrSkip(
  "first-hour journeys browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 768 };

describe.runIf(runnable)("first-hour journeys", () => {
  const world = browserWorld();

  const documentWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it("a signed-in customer finds Orders and Cart in the header, and on a phone in the menu", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.customer, { viewport: LAPTOP });
    const main = page.getByRole("navigation", { name: "Main", exact: true });
    await main.getByRole("link", { name: "Cart" }).click();
    await page.waitForURL(`${world.host.webUrl}/cart`);
    await main.getByRole("link", { name: "Orders" }).click();
    await page.waitForURL(`${world.host.webUrl}/orders`);
    await context.close();

    const { context: phoneContext, page: phone } = await world.signedIn(DEMO_USERS.customer, {
      viewport: PHONE,
    });
    expect(await phone.getByRole("navigation", { name: "Main", exact: true }).isVisible()).toBe(false);
    await phone.getByText("Menu", { exact: true }).click();
    await phone.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Orders" }).click();
    await phone.waitForURL(`${world.host.webUrl}/orders`);
    expect(await documentWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await phoneContext.close();
  });

  it("the workspace overview counts what the board and printers page show", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.northsideOwner, { viewport: LAPTOP });
    await gotoHydrated(page, `${world.host.webUrl}/org/board`);
    const columnCount = async (status: string) =>
      Number(((await page.locator(`#col-${status}`).textContent()) ?? "").replace(/\D+/g, ""));
    const quotes = await columnCount("quote");
    await gotoHydrated(page, `${world.host.webUrl}/org`);
    const stat = async (label: string) =>
      Number(
        await page
          .locator("dl > div")
          .filter({ has: page.getByText(label, { exact: true }) })
          .locator("dd")
          .first()
          .textContent(),
      );
    expect(await stat("Open quotes")).toBe(quotes);
    expect(await stat("Open quotes")).toBeGreaterThan(0);
    expect(await stat("Jobs in progress")).toBeGreaterThan(0);
    const printers = await stat("Printers");
    await gotoHydrated(page, `${world.host.webUrl}/org/printers`);
    expect(printers).toBeGreaterThan(0);
    await context.close();
  });

  it("the workspace navigation fits a laptop and a phone, and the board scrolls inside its own frame", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.northsideOwner, { viewport: LAPTOP });
    for (const path of ["/org", "/org/board", "/org/schedule", "/org/jobs"]) {
      await gotoHydrated(page, `${world.host.webUrl}${path}`);
      expect(await documentWidth(page), path).toBeLessThanOrEqual(LAPTOP.width);
    }
    // Every workspace place is reachable without scrolling the page sideways.
    const nav = page.getByRole("navigation", { name: "Workspace", exact: true });
    for (const label of ["Settings", "Payments", "Marketplace orders", "Members"]) {
      const box = await nav.getByRole("link", { name: label }).boundingBox();
      expect(box, label).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), label).toBeLessThanOrEqual(LAPTOP.width);
    }
    await context.close();

    const { context: phoneContext, page: phone } = await world.signedIn(DEMO_USERS.northsideOwner, {
      viewport: PHONE,
    });
    await gotoHydrated(phone, `${world.host.webUrl}/org/board`);
    expect(await documentWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await phone.getByText("Workspace menu").click();
    await phone
      .getByRole("navigation", { name: "Workspace menu" })
      .getByRole("link", { name: "Schedule" })
      .click();
    await phone.waitForURL(`${world.host.webUrl}/org/schedule`);
    expect(await documentWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await phoneContext.close();
  });

  it("a member does not get Payments or Pricing: not in the navigation, refused on the page", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.northsideMember, { viewport: LAPTOP });
    await gotoHydrated(page, `${world.host.webUrl}/org`);
    const nav = page.getByRole("navigation", { name: "Workspace", exact: true });
    await nav.getByRole("link", { name: "Board" }).waitFor();
    expect(await nav.getByRole("link", { name: "Payments" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Pricing" }).count()).toBe(0);
    for (const path of ["/org/payments", "/org/pricing"]) {
      const response = await page.goto(`${world.host.webUrl}${path}`);
      expect(response?.status(), path).toBe(403);
      await page.getByRole("heading", { name: "Not allowed" }).waitFor();
    }
    await context.close();
  });

  it("a first-time visitor drops three models at once: every quote opens, and the list survives a visit elsewhere", async () => {
    const context = await world.browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await gotoHydrated(page, `${world.host.webUrl}/`);
    const reject = page.getByRole("button", { name: "Reject analytics" });
    if (await reject.count()) await reject.click();
    await page
      .getByLabel("Model files")
      .setInputFiles([
        corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"),
        corpusModelPath("stl/3DBenchy_part_Chimney_body.stl"),
        corpusModelPath("stl/3DBenchy_part_Wheel.stl"),
      ]);
    const links = page.getByRole("link", { name: "Compare quotes" });
    await expect.poll(() => links.count(), { timeout: 60_000 }).toBe(3);
    const hrefs = await links.evaluateAll((all) => all.map((a) => a.getAttribute("href") ?? ""));
    for (const href of hrefs) {
      const response = await context.request.get(`${world.host.webUrl}${href}`);
      expect(response.status(), href).toBe(200);
    }
    await page.getByRole("link", { name: "Shops", exact: true }).first().click();
    await page.waitForURL(`${world.host.webUrl}/shops`);
    await page.goBack();
    await page.waitForURL(`${world.host.webUrl}/`);
    await expect.poll(() => links.count(), { timeout: 15_000 }).toBe(3);
    await context.close();
  });

  it("the quote page sorts offers by price or by delivery, with a delivery estimate on each offer", async () => {
    const context = await world.browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await gotoHydrated(page, `${world.host.webUrl}/`);
    const reject = page.getByRole("button", { name: "Reject analytics" });
    if (await reject.count()) await reject.click();
    await page.getByLabel("Model files").setInputFiles([corpusModelPath("stl/trimesh_20mm-xyz-cube.stl")]);
    const link = page.getByRole("link", { name: "Compare quotes" });
    await link.waitFor({ timeout: 60_000 });
    const quotePath = (await link.getAttribute("href")) ?? "";
    const shopNames = () =>
      page
        .getByRole("list", { name: "Shops that can make it" })
        .getByRole("heading", { level: 2 })
        .allTextContents();
    await gotoHydrated(page, `${world.host.webUrl}${quotePath}`);
    const byPrice = await shopNames();
    expect(byPrice.length).toBeGreaterThan(1);

    // The cheapest shop is the slowest; every other shop ships in 2 days.
    const slow = await world.host.runtime.db
      .selectFrom("organization")
      .select("id")
      .where("name", "=", byPrice[0] ?? "")
      .executeTakeFirstOrThrow();
    await world.host.runtime.db.updateTable("shopSettings").set({ standardLeadDays: 2 }).execute();
    await world.host.runtime.db
      .updateTable("shopSettings")
      .set({ standardLeadDays: 12 })
      .where("organizationId", "=", slow.id)
      .execute();

    await page.getByLabel("Sort by").selectOption("delivery");
    await page.waitForURL((u) => u.searchParams.get("sort") === "delivery");
    await page.getByTestId("pricing-state").filter({ hasNotText: "Updating" }).waitFor();
    await expect.poll(shopNames).not.toEqual(byPrice);
    const byDelivery = await shopNames();
    expect(byDelivery.at(-1)).toBe(byPrice[0]);
    expect([...byDelivery].sort()).toEqual([...byPrice].sort());
    const estimates = await page.getByTestId("option-delivery").allTextContents();
    expect(estimates[0]).toMatch(/^Ships in 2 days, by \S/);
    expect(estimates.at(-1)).toMatch(/^Ships in 12 days, by \S/);

    await page.getByLabel("Sort by").selectOption("price");
    await page.waitForURL((u) => u.searchParams.get("sort") === "price");
    await expect.poll(shopNames).toEqual(byPrice);
    await context.close();
  });

  it("the 3D preview keeps a model drawn far from the origin in view for half a turn and more", async () => {
    const context = await world.browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    await gotoHydrated(page, `${world.host.webUrl}/`);
    const reject = page.getByRole("button", { name: "Reject analytics" });
    if (await reject.count()) await reject.click();
    // The cargo box of the Benchy sits 12.5 mm off the origin, as large as the part itself.
    await page.getByLabel("Model files").setInputFiles([corpusModelPath("stl/3DBenchy_part_Cargo_box.stl")]);
    const link = page.getByRole("link", { name: "Compare quotes" });
    await link.waitFor({ timeout: 60_000 });
    await gotoHydrated(page, `${world.host.webUrl}${await link.getAttribute("href")}`);
    const preview = page.locator("canvas[aria-label='3D preview of the model']");
    // about 330 frames turn it by 0.01 rad each: past half a turn
    await expect
      .poll(async () => Number((await preview.getAttribute("data-frames")) ?? 0), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(330);
    expect(await preview.getAttribute("data-framed")).toBe("in-view");
    await context.close();
  });
});
