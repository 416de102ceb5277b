import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { shop } from "@ktizo/api";
import { printedJob } from "@ktizo/api/testing";
import { newId } from "@ktizo/db";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import { browserUnavailableReason, corpusModelPath, requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";
import { browserWorld, checkoutAndPayInTestMode } from "./browser-steps.ts";

// Issue 14, requirement 5: the quote page moves from "Estimated" to "Sliced: …" when the slicer worker's
// result lands, with no reload, and the price follows the sliced figures; checkout and the paid order
// charge exactly the sliced price (a quote is never re-priced after checkout).
const runnable = requireOrSkip(
  "sliced quote browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("a quote moves from estimated to sliced while the page is open", () => {
  const world = browserWorld();
  const { signedIn } = world;

  /** What the slicer worker stores when it finishes: a slice per Northside printer with its current profile. */
  async function storeSlices(uploadId: string) {
    const db = world.host.runtime.db;
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
  }

  it("shows the estimate first, then the slice and its price without a reload, and charges that price", async () => {
    // A signed-in customer, so the sliced quote can go to the cart and be paid.
    const { context, page } = await signedIn(DEMO_USERS.customer);
    await page.goto(`${world.host.webUrl}/`);
    const reject = page.getByRole("button", { name: "Reject analytics" });
    if (await reject.count()) await reject.click();
    await page.getByLabel("Model files").setInputFiles(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"));
    await page.getByRole("link", { name: "Compare quotes" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/quote/"));
    const uploadId = new URL(page.url()).pathname.split("/").pop()!;
    // 25 pieces: above any minimum order price, so the price follows the figures.
    await page.goto(`${world.host.webUrl}/quote/${uploadId}?quantity=25`);
    await page.locator("html[data-hydrated]").waitFor();
    const northside = page
      .getByRole("list", { name: "Shops that can make it" })
      .locator("> li")
      .filter({ hasText: "Northside Print Lab" });
    const basis = northside.getByTestId("option-basis").first();
    const price = northside.getByTestId("quote-price").first();
    expect(await basis.textContent()).toBe("Estimated");
    const estimated = await price.textContent();

    await storeSlices(uploadId);
    await expect
      .poll(() => basis.textContent(), { timeout: 20_000 })
      .toMatch(/^Sliced: 1 h 16 min, [\d.]+ g$/);
    const db = world.host.runtime.db;
    const sliced = (await price.textContent()) ?? "";
    expect(sliced).not.toBe(estimated);

    // Checkout: the cart says where the price came from and charges the stored, sliced price.
    await northside.getByRole("button", { name: "Add to cart" }).first().click();
    await page.waitForURL((u) => u.pathname === "/cart");
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const item = page.getByRole("listitem").filter({ hasText: "trimesh_20mm-xyz-cube.stl" }).last();
    expect(await item.getByTestId("price-basis").textContent()).toBe(
      "Price from the slicer's figures for this printer",
    );
    expect(await item.locator("strong").first().textContent()).toBe(sliced);
    const orderId = await checkoutAndPayInTestMode(page, "Northside Print Lab");
    expect(await page.getByTestId("order-status").textContent()).toBe("Paid, in the shop's queue");
    // The paid order's line is the sliced quote's price, and the stored quote says it was sliced.
    await page.getByText(`× 25: ${sliced}`).first().waitFor();
    const stored = await db
      .selectFrom("marketplaceQuote")
      .select(["inputs", "totalMinor"])
      .where("uploadId", "=", uploadId)
      .orderBy("createdAt", "desc")
      .executeTakeFirstOrThrow();
    expect(stored.inputs).toMatchObject({ basis: "sliced" });
    const order = await db
      .selectFrom("marketplaceOrder")
      .select(["status", "subtotalMinor", "taxMinor", "shippingMinor", "totalMinor"])
      .where("id", "=", orderId)
      .executeTakeFirstOrThrow();
    expect(order.status).toBe("paid");
    expect(order.totalMinor - order.shippingMinor).toBe(stored.totalMinor);
    await context.close();
  });

  it("the shop's widget moves from estimated to sliced and says where its price came from", async () => {
    const db = world.host.runtime.db;
    const site = "https://northside-shop.example";
    const org = await db
      .selectFrom("organization")
      .select("id")
      .where("slug", "=", "northside-print-lab")
      .executeTakeFirstOrThrow();
    await db
      .updateTable("shopSettings")
      .set({ widget: JSON.stringify({ enabled: true, allowedOrigins: [site], showPrices: true }) })
      .where("organizationId", "=", org.id)
      .execute();
    const context = await world.browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // The widget's page as the loader frames it (opened directly: the frame is not what is tested here).
    await page.goto(`${world.host.webUrl}/embed/quote/northside-print-lab?host=${encodeURIComponent(site)}`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page
      .getByLabel("Choose a model file")
      .setInputFiles(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"));
    const basis = page.getByTestId("option-basis").first();
    await basis.waitFor();
    expect(await basis.textContent()).toBe("Estimated");
    const price = page.getByTestId("option-price").first();
    // 25 pieces: above the minimum order price, so the price follows the figures.
    const single = await price.textContent();
    await page.getByRole("spinbutton", { name: "Quantity" }).fill("25");
    await page.getByRole("spinbutton", { name: "Quantity" }).blur();
    await expect.poll(() => price.textContent()).not.toBe(single);
    const estimated = await price.textContent();
    const upload = await db
      .selectFrom("modelUpload")
      .select("id")
      .where("uploadSessionId", "is not", null)
      .orderBy("createdAt", "desc")
      .executeTakeFirstOrThrow();
    await storeSlices(upload.id);
    await expect
      .poll(() => basis.textContent(), { timeout: 20_000 })
      .toMatch(/^Sliced: 1 h 16 min, [\d.]+ g$/);
    expect(await price.textContent()).not.toBe(estimated);
    await page.getByRole("button", { name: "Get my price" }).click();
    expect(await page.getByTestId("price-basis").textContent()).toBe(
      "Price from the slicer's figures for this printer",
    );
    await context.close();
  });

  it("the shop's pricing preview shows the estimate and the slice side by side", async () => {
    const db = world.host.runtime.db;
    const { context, page } = await signedIn(DEMO_USERS.northsideOwner);
    await page.goto(`${world.host.webUrl}/org/pricing`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.getByLabel("Model file").setInputFiles(corpusModelPath("stl/trimesh_20mm-xyz-cube.stl"));
    const compare = page.getByTestId("preview-compare");
    await compare.getByRole("columnheader", { name: "Waiting for the slicer…" }).waitFor();
    const slicedTotal = page.getByTestId("sliced-total");
    expect(await slicedTotal.textContent()).toBe("–");
    const upload = await db
      .selectFrom("modelUpload as u")
      .innerJoin("user", "user.id", "u.userId")
      .select("u.id")
      .where("user.email", "=", DEMO_USERS.northsideOwner.email)
      .orderBy("u.createdAt", "desc")
      .executeTakeFirstOrThrow();
    await storeSlices(upload.id);
    await compare.getByRole("columnheader", { name: "Sliced" }).waitFor({ timeout: 20_000 });
    expect(await slicedTotal.textContent()).toMatch(/^\$[\d,]+\.\d{2}$/);
    expect(await page.getByTestId("sliced-time").textContent()).toMatch(/min|h/);
    // The breakdown is the price customers pay: the sliced one.
    expect(await page.getByTestId("preview-total").textContent()).toBe(await slicedTotal.textContent());
    await context.close();
  });

  it("the pricing page plots estimate against actual print time and switches the correction on", async () => {
    const db = world.host.runtime.db;
    const org = await db
      .selectFrom("organization")
      .select("id")
      .where("slug", "=", "northside-print-lab")
      .executeTakeFirstOrThrow();
    const printer = await db
      .selectFrom("printer")
      .select(["id", "name"])
      .where("organizationId", "=", org.id)
      .where("technology", "=", "fdm")
      .orderBy("name")
      .executeTakeFirstOrThrow();
    const material = await db
      .selectFrom("material")
      .select(["id", "name"])
      .where("organizationId", "=", org.id)
      .where("technology", "=", "fdm")
      .orderBy("name")
      .executeTakeFirstOrThrow();
    const customer = await db
      .selectFrom("customer")
      .select("id")
      .where("organizationId", "=", org.id)
      .executeTakeFirstOrThrow();
    // A fixed history: six prints on one printer, each about 30 % longer than priced.
    const history: [number, number][] = [
      [60, 80],
      [120, 150],
      [30, 40],
      [90, 115],
      [45, 60],
      [200, 262],
    ];
    for (const [i, [estimateMinutes, actualMinutes]] of history.entries()) {
      await printedJob(db, {
        organizationId: org.id,
        customerId: customer.id,
        number: 9000 + i,
        printerId: printer.id,
        materialId: material.id,
        estimateMinutes,
        printingAt: new Date(Date.UTC(2026, 0, 1 + i, 9)),
        actualMinutes,
      });
    }
    // The owner, in dark mode at phone width.
    const { context, page } = await signedIn(DEMO_USERS.northsideOwner, {
      colorScheme: "dark",
      viewport: { width: 390, height: 844 },
    });
    await page.goto(`${world.host.webUrl}/org/pricing`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const group = page.getByTestId("calibration-group").filter({
      has: page.getByRole("heading", { name: `${printer.name} · ${material.name} · estimated times` }),
    });
    const scatter = group.getByTestId("calibration-scatter");
    expect(await scatter.locator("circle").count()).toBe(history.length);
    const pct = async (id: string) => Number.parseFloat((await group.getByTestId(id).textContent()) ?? "");
    expect(await pct("mape-before")).toBeGreaterThan(20);
    expect(await pct("mape-after")).toBeLessThan(5);
    // No inline styles (the production CSP refuses them); dots readable on the dark page.
    expect(await scatter.locator("[style]").count()).toBe(0);
    const fill = await scatter
      .locator("circle")
      .first()
      .evaluate((el) => getComputedStyle(el).fill);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(fill).not.toBe(background);
    expect(fill).not.toBe("rgb(0, 0, 0)");
    // The whole page fits the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await group.getByTestId("calibration-applied").textContent()).toBe(
      "Not used: calibration is switched off.",
    );
    await page.getByLabel("Correct new quotes with the fitted print times").check();
    await page.getByRole("button", { name: "Save calibration" }).click();
    await page.getByText("Calibration on: new quotes use the fitted print times").waitFor();
    await expect
      .poll(() => group.getByTestId("calibration-applied").textContent())
      .toBe("New quotes use this correction.");
    await context.close();
  });

  it("a connected printer that does not answer says so on the printers page, and nothing else breaks", async () => {
    const db = world.host.runtime.db;
    const printer = await db
      .selectFrom("printer as p")
      .innerJoin("organization as o", "o.id", "p.organizationId")
      .select(["p.id", "p.name"])
      .where("o.slug", "=", "northside-print-lab")
      .orderBy("p.name")
      .executeTakeFirstOrThrow();
    // An address where nothing listens (a loopback port just closed).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const { context, page } = await signedIn(DEMO_USERS.northsideOwner);
    await page.goto(`${world.host.webUrl}/org/printers?edit=${printer.id}`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.getByLabel("Printer software").selectOption("moonraker");
    await page.getByLabel("Address").fill(`http://127.0.0.1:${port}`);
    await page.getByLabel("API key").fill("klipper-key-e2e");
    await page.getByRole("button", { name: "Connect printer" }).click();
    await page.getByText("Printer connected.").waitFor();
    const row = page.getByRole("row").filter({ hasText: printer.name }).first();
    expect(await row.getByTestId("printer-connection").textContent()).toBe(
      "Moonraker (Klipper): connected, not polled yet",
    );
    // What the poll-printers job does every minute.
    const result = await shop.pollPrinters(
      db,
      world.host.runtime.services.printers,
      world.host.runtime.clock,
    );
    expect(result.unreachable).toBeGreaterThanOrEqual(1);
    await page.goto(`${world.host.webUrl}/org/printers`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    expect(await row.getByTestId("printer-connection").textContent()).toMatch(
      /^Moonraker \(Klipper\) unreachable: The printer could not be reached \(tried /,
    );
    expect(await page.content()).not.toContain("klipper-key-e2e");
    // The rest of the workspace is unaffected.
    expect(await page.getByRole("row").count()).toBeGreaterThan(2);
    await page.goto(`${world.host.webUrl}/org/pricing`);
    await page.getByRole("heading", { name: "Calibration from actual print times" }).waitFor();
    await context.close();
  });
});
