import { readFileSync } from "node:fs";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "./browser-steps.ts";

const runnable = requireOrSkip(
  "purchase-order intake browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

const PURCHASE_ORDER = [
  "Purchase Order #PO-2026-501",
  "From: buyer@acme.example",
  "Please deliver by 15/12/2026.",
  "- 25 x Cable clip, PETG, $1.20 each",
  "3 pcs of Gear (PLA)",
].join("\n");

// The new-job page reads a pasted purchase order through the gated AI service (here the local reader)
// into the form; nothing is saved until the job is created. With AI off, the shop is told so.
describe.runIf(runnable)("purchase-order intake on the new-job page", () => {
  let host: TestHost;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
    page = await browser.newPage();
    await signIn(page, host.webUrl, DEMO_USERS.northsideOwner);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  const field = (label: string) => page.getByLabel(label, { exact: true });

  it("prefills the form from the pasted text, then creates the job as edited", async () => {
    const jobsBefore = await host.runtime.db.selectFrom("job").select("id").execute();
    await gotoHydrated(page, `${host.webUrl}/org/jobs/new`);
    await field("Purchase order text").fill(PURCHASE_ORDER);
    await page.getByRole("button", { name: "Draft from purchase order" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Form prefilled from the purchase order (2 items)" })
      .waitFor();
    expect(await page.getByRole("status").first().textContent()).toContain("local reader");
    // nothing is saved by drafting
    expect(await host.runtime.db.selectFrom("job").select("id").execute()).toEqual(jobsBefore);

    expect(await field("Title").inputValue()).toBe("PO PO-2026-501: Cable clip, PETG");
    expect(await field("Due date").inputValue()).toBe("2026-12-15");
    expect(await field("Customer email").inputValue()).toBe("buyer@acme.example");
    expect(await field("Item 1 description").inputValue()).toBe("Cable clip, PETG");
    expect(await field("Item 1 quantity").inputValue()).toBe("25");
    expect(await field("Item 1 unit price").inputValue()).toBe("1.20");
    expect(await field("Item 2 description").inputValue()).toBe("Gear (PLA)");
    expect(await field("Item 2 quantity").inputValue()).toBe("3");

    await field("Customer name").fill("Acme Buyer");
    await field("Item 2 quantity").fill("4");
    await field("Item 2 unit price").fill("2.50");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL((url) => url.pathname !== "/org/jobs/new" && url.searchParams.has("created"));
    const jobId = new URL(page.url()).pathname.split("/").pop() ?? "";
    const job = await host.runtime.db
      .selectFrom("job")
      .select(["title", "source"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ title: "PO PO-2026-501: Cable clip, PETG", source: "email" });
    const items = await host.runtime.db
      .selectFrom("jobItem")
      .select(["description", "quantity", "unitPriceMinor"])
      .where("jobId", "=", jobId)
      .orderBy("quantity", "desc")
      .execute();
    expect(items).toEqual([
      { description: "Cable clip, PETG", quantity: 25, unitPriceMinor: 120 },
      { description: "Gear (PLA)", quantity: 4, unitPriceMinor: 250 },
    ]);
  });

  it("keeps the drafted and typed form when the server refuses it, with the error beside its field", async () => {
    const jobsBefore = await host.runtime.db.selectFrom("job").select("id").execute();
    await gotoHydrated(page, `${host.webUrl}/org/jobs/new`);
    await field("Purchase order text").fill(PURCHASE_ORDER);
    await page.getByRole("button", { name: "Draft from purchase order" }).click();
    await page.getByRole("status").filter({ hasText: "Form prefilled" }).waitFor();
    // The first test made Acme a customer, so the draft picks them.
    const customerSelect = page.getByRole("combobox", { name: "Customer", exact: true });
    const customer = await customerSelect.inputValue();
    expect(customer).not.toBe("");
    await field("Item 2 unit price").fill("2.50");
    await field("Title").fill(""); // refused: a job needs a title
    await page.getByRole("button", { name: "Create job" }).click();
    await expect.poll(() => field("Title").getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/org/jobs/new");
    expect(await field("Due date").inputValue()).toBe("2026-12-15");
    expect(await customerSelect.inputValue()).toBe(customer);
    expect(await field("Item 1 description").inputValue()).toBe("Cable clip, PETG");
    expect(await field("Item 1 quantity").inputValue()).toBe("25");
    expect(await field("Item 2 unit price").inputValue()).toBe("2.50");
    expect(await host.runtime.db.selectFrom("job").select("id").execute()).toEqual(jobsBefore);
    // Corrected, it goes through.
    await field("Title").fill("Clips and gears");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL((url) => url.searchParams.has("created"));
  });

  it("reads an emailed purchase order with a table layout: items, date, contact, company, phone and rush", async () => {
    const emailed = readFileSync(
      new URL("../../../packages/services/src/ai/purchase-orders/01-email-table-usd.txt", import.meta.url),
      "utf8",
    );
    await gotoHydrated(page, `${host.webUrl}/org/jobs/new`);
    await field("Purchase order text").fill(emailed);
    await page.getByRole("button", { name: "Draft from purchase order" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Form prefilled from the purchase order (3 items)" })
      .waitFor();
    expect(await field("Title").inputValue()).toBe("PO PO-88213: Gripper finger, left (PETG)");
    expect(await field("Due date").inputValue()).toBe("2026-06-12");
    expect(await field("Rush order").isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: "New customer" }).isChecked()).toBe(true);
    expect(await field("Customer name").inputValue()).toBe("Dana Whitfield");
    expect(await field("Company").inputValue()).toBe("Brightline Robotics Inc.");
    expect(await field("Customer email").inputValue()).toBe("dana.whitfield@brightline-robotics.example");
    expect(await field("Customer phone").inputValue()).toBe("+1 (503) 555-0188");
    expect(await field("Item 3 description").inputValue()).toBe("Sensor bracket (ABS)");
    expect(await field("Item 3 quantity").inputValue()).toBe("6");
    expect(await field("Item 3 unit price").inputValue()).toBe("12.00");
  });

  it("with the shop's AI switched off, says so and drafts nothing", async () => {
    const shop = host.demo.shops[0]!;
    await host.runtime.db
      .insertInto("organizationPrivacy")
      .values({ organizationId: shop.organizationId, aiOff: true })
      .onConflict((oc) => oc.column("organizationId").doUpdateSet({ aiOff: true }))
      .execute();
    await gotoHydrated(page, `${host.webUrl}/org/jobs/new`);
    await field("Purchase order text").fill(PURCHASE_ORDER);
    await page.getByRole("button", { name: "Draft from purchase order" }).click();
    await page
      .getByText(/AI features are switched off/)
      .first()
      .waitFor();
    expect(await field("Item 1 description").inputValue()).toBe("");
  });
});
