import { readFileSync } from "node:fs";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, corpusModelPath, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "shop workspace browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

const CUBE = corpusModelPath("stl/trimesh_20mm-xyz-cube.stl");
// A 1×1 PNG: a real image, so the proof passes the type and signature checks.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe.runIf(runnable)("shop workspace: a new shop runs a job end to end in a real browser", () => {
  let host: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = "ria.owner@example.com";
  const password = "filament and patience";

  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await host?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail" && process.env.SHOP_E2E_SCREENSHOTS) {
      await page.screenshot({
        path: `${process.env.SHOP_E2E_SCREENSHOTS}/${ctx.task.name.slice(0, 30)}.png`,
        fullPage: true,
      });
    }
  });

  const db = () => host.runtime.db;
  /** The new shop's id: the test database also holds the seeded demo shops, so every query is scoped. */
  let orgId = "";
  const url = (path: string) => `${host.webUrl}${path}`;
  /** Opens a page and waits until React has hydrated it, so typed values are not reset. */
  const open = async (to: string) => {
    await page.goto(to);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
  };

  it("signs up, verifies the email and creates the shop", async () => {
    await open(url("/sign-up"));
    // The cookie banner (when shown) covers the bottom of the page: answer it first.
    const reject = page.getByRole("button", { name: "Reject analytics" });
    if (await reject.count()) {
      await reject.click();
      await reject.waitFor({ state: "detached" });
    }
    await page.getByLabel("Full name").fill("Ria Owner");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Country").selectOption("US");
    await page.getByLabel(/I am (13|16) or older/).check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(url("/verify-email?sent=1"));
    const mail = await db()
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("recipient", "=", email)
      .where("template", "=", "verify-email")
      .executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(mail.bodyText ?? "")?.[0];
    await open(link ?? "");
    await page.waitForURL((u) => u.pathname === "/verify-email" && u.searchParams.has("verified"));

    await open(url("/org"));
    await page.waitForURL(url("/org/new"));
    await page.getByLabel("Shop name").fill("Ria Prints");
    await page.getByLabel("Company name").fill("Ria Prints LLC");
    await page.getByLabel("Phone").fill("+1 503 555 0100");
    await page.getByLabel("Address line 1").fill("1 Main St");
    await page.getByLabel("City").fill("Portland");
    await page.getByLabel("Postal code").fill("97201");
    await page.getByLabel("Country").selectOption("US");
    await page.getByLabel("Currency").selectOption("USD");
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.waitForURL(url("/org?created=1"));
    orgId = (
      await db()
        .selectFrom("organization")
        .select("id")
        .where("name", "=", "Ria Prints")
        .executeTakeFirstOrThrow()
    ).id;
  });

  it("adds a material with stock and a printer that runs it", async () => {
    await open(url("/org/materials"));
    await page.getByRole("link", { name: "Add material" }).click();
    await page.getByLabel("Name").fill("PLA Black");
    await page.getByLabel("Kind").fill("pla");
    await page.getByLabel("Cost per kg (USD)").fill("25.00");
    await page.getByLabel("Reorder threshold (g)").fill("500");
    await page.getByLabel("Stock on hand now (g)").fill("2000");
    await page.getByRole("button", { name: "Add material" }).click();
    await page.getByText("Material added.").waitFor();
    const row = page.getByRole("row").filter({ hasText: "PLA Black" });
    await row.getByText("2.00 kg").first().waitFor();
    expect(await row.getByText("Low stock").count()).toBe(0);

    // A stock adjustment needs a reason: without one nothing changes.
    await row.getByRole("link", { name: "Adjust stock of PLA Black" }).click();
    await page.getByLabel("Direction").selectOption("remove");
    await page.getByLabel("Grams", { exact: true }).fill("1600");
    await page.getByRole("button", { name: "Adjust stock" }).click();
    await page.getByLabel("Reason").and(page.locator("[aria-invalid=true]")).waitFor();
    const before = await db()
      .selectFrom("material")
      .select("onHandG")
      .where("organizationId", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(before.onHandG).toBe(2000);
    await page.getByLabel("Reason").fill("Failed print, spool waste");
    await page.getByRole("button", { name: "Adjust stock" }).click();
    await page.getByText("Stock adjusted.").waitFor();
    const lowRow = page.getByRole("row").filter({ hasText: "PLA Black" });
    await lowRow.getByText("Low stock").waitFor();
    await page
      .getByRole("table", { name: "Stock movements" })
      .getByText("Failed print, spool waste")
      .waitFor();
    await open(url("/org/materials"));
    await page
      .getByRole("row")
      .filter({ hasText: "PLA Black" })
      .getByRole("link", { name: "Adjust stock of PLA Black" })
      .click();
    await page.getByLabel("Grams", { exact: true }).fill("3000");
    await page.getByLabel("Reason").fill("Delivery of 3 spools");
    await page.getByRole("button", { name: "Adjust stock" }).click();
    await page.getByText("Stock adjusted.").waitFor();
    const material = await db()
      .selectFrom("material")
      .select(["onHandG"])
      .where("organizationId", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(material.onHandG).toBe(3400);

    await open(url("/org/printers"));
    await page.getByRole("link", { name: "Add printer" }).click();
    await page.getByLabel("Name").fill("Prusa MK4 #1");
    await page.getByLabel("Make").fill("Prusa");
    await page.getByLabel("Model").fill("MK4");
    await page.getByLabel("Hourly rate").fill("3.00");
    await page.getByLabel("Width X (mm)").fill("250");
    await page.getByLabel("Depth Y (mm)").fill("210");
    await page.getByLabel("Height Z (mm)").fill("220");
    await page.getByLabel("Layer heights (mm)").fill("0.1, 0.2, 0.3");
    await page.getByLabel("Nozzle (mm)").fill("0.4");
    await page.getByLabel(/PLA Black/).check();
    await page.getByRole("button", { name: "Add printer" }).click();
    await page.getByText("Printer added.").waitFor();
    const printerRow = page.getByRole("row").filter({ hasText: "Prusa MK4 #1" });
    await printerRow.getByText("250 × 210 × 220 mm").waitFor();
    await printerRow.getByText("PLA Black").waitFor();
    const printer = await db()
      .selectFrom("printer")
      .select(["hourlyRateMinor", "layerHeightsMm", "nozzleMm"])
      .where("organizationId", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(printer).toEqual({ hourlyRateMinor: 300, layerHeightsMm: [0.1, 0.2, 0.3], nozzleMm: 0.4 });
  });

  it("sets pricing and previews the quote a customer would see for a corpus model", async () => {
    await open(url("/org/pricing"));
    await page.getByLabel("Setup fee per order (USD)").fill("5.00");
    await page.getByLabel("Minimum order (USD)").fill("10.00");
    await page.getByLabel("Markup (%)", { exact: true }).fill("20");
    await page.getByLabel("Tier 1: from quantity").fill("10");
    await page.getByLabel("Tier 1: discount (%)").fill("15");
    await page.getByLabel("PLA Black: price per gram (USD)").fill("0.05");
    await page.getByRole("button", { name: "Save pricing" }).click();
    await page.getByText("Pricing saved.").waitFor();
    const saved = await db()
      .selectFrom("shopSettings")
      .select("pricing")
      .where("organizationId", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(saved.pricing).toMatchObject({
      setupFeePerOrderMinor: 500,
      minimumOrderMinor: 1000,
      markupPercent: 20,
      quantityTiers: [{ minQuantity: 10, discountPercent: 15 }],
    });

    await page.getByLabel("Model file").setInputFiles(CUBE);
    const total = page.getByTestId("preview-total");
    await total.waitFor();
    const preview = page.getByRole("table", { name: "Quote breakdown" });
    expect(await preview.getByText(/setup/i).count()).toBeGreaterThan(0);
    const first = await total.textContent();
    expect(first).toMatch(/^\$\d+\.\d{2}$/);
    await page.getByText("trimesh_20mm-xyz-cube.stl: 20.0 × 20.0 × 20.0 mm").waitFor();
    // The preview follows the editor before saving: a higher setup fee raises the total.
    await page.getByLabel("Setup fee per order (USD)").fill("50.00");
    await page.getByRole("button", { name: "Update preview" }).click();
    await expect.poll(async () => await total.textContent()).not.toBe(first);
    const money = (t: string | null) => Number((t ?? "").replace(/[$,]/g, ""));
    expect(money(await total.textContent())).toBeGreaterThan(money(first) + 40);
  });

  let jobId = "";
  let n = 0;

  it("creates a manual job for a new customer with line items", async () => {
    await open(url("/org/jobs"));
    await page.getByRole("link", { name: "New job" }).click();
    await page.waitForURL(url("/org/jobs/new"));
    // Submitting without a title or customer changes nothing and says what is missing beside the fields.
    await page.getByRole("button", { name: "Create job" }).click();
    await page.getByLabel("Title").and(page.locator("[aria-invalid=true]")).waitFor();
    expect(
      await db().selectFrom("job").select("id").where("organizationId", "=", orgId).execute(),
    ).toHaveLength(0);

    await page.getByLabel("Title").fill("Bracket set");
    await page.getByLabel("Start as").selectOption("approved");
    await page.getByLabel("Priority").selectOption("high");
    await page.getByLabel("Due date").fill("2030-01-15");
    await page.getByLabel("Customer name").fill("Dana Walker");
    await page.getByLabel("Customer email").fill("dana@example.com");
    await page.getByLabel("Item 1 description").fill("Wall bracket");
    await page.getByLabel("Item 1 quantity").fill("4");
    await page.getByLabel("Item 1 unit price").fill("12.50");
    await page.getByLabel("Item 1 print minutes").fill("30");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.waitForURL((u) => /^\/org\/jobs\/[^/]+$/.test(u.pathname) && u.searchParams.has("created"));
    jobId = new URL(page.url()).pathname.split("/").pop() ?? "";
    n = (await db().selectFrom("job").select("number").where("id", "=", jobId).executeTakeFirstOrThrow())
      .number;
    await page.getByRole("heading", { level: 1, name: `Job #${n}: Bracket set` }).waitFor();
    expect(await page.getByText("$50.00").count()).toBeGreaterThan(0);
    const job = await db()
      .selectFrom("job")
      .innerJoin("customer", "customer.id", "job.customerId")
      .select(["job.status", "job.priority", "job.totalMinor", "customer.name", "customer.email"])
      .where("job.id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({
      status: "approved",
      priority: "high",
      totalMinor: 5000,
      name: "Dana Walker",
      email: "dana@example.com",
    });
  });

  it("edits a line item after creation, with an audit row", async () => {
    await open(url(`/org/jobs/${jobId}`));
    await page.getByRole("link", { name: "Edit item 1: Wall bracket" }).click();
    await page.getByLabel("Item quantity").waitFor();
    await page.getByLabel("Item quantity").fill("0");
    await page.getByRole("button", { name: "Save item" }).click();
    await page.getByLabel("Item quantity").and(page.locator("[aria-invalid=true]")).waitFor();
    await page.getByLabel("Item quantity").fill("5");
    await page.getByLabel("Item color").fill("Galaxy Black");
    await page.getByRole("button", { name: "Save item" }).click();
    await page.getByText("Line item saved.").waitFor();
    await page.getByRole("table", { name: "Line items" }).getByRole("cell", { name: "$62.50" }).waitFor();
    const item = await db()
      .selectFrom("jobItem")
      .innerJoin("job", "job.id", "jobItem.jobId")
      .select(["jobItem.quantity", "jobItem.color", "job.totalMinor"])
      .where("jobItem.jobId", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ quantity: 5, color: "Galaxy Black", totalMinor: 6250 });
    const audit = await db()
      .selectFrom("auditLog")
      .select("data")
      .where("subjectId", "=", jobId)
      .where("action", "=", "job.item_updated")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({ changes: { quantity: { from: 4, to: 5 } } });
  });

  it("finds the job in the list by customer and sorts and filters it", async () => {
    await open(url("/org/jobs?q=dana"));
    expect(await page.getByRole("link", { name: `#${n} Bracket set` }).count()).toBe(1);
    await open(url("/org/jobs?status=quote"));
    await page.getByText("No jobs match these filters").waitFor();
  });

  it("schedules the job on the printer from the board and shows it on the timeline", async () => {
    await open(url("/org/board"));
    const approved = page.getByRole("region", { name: /^Approved/ });
    await approved.getByRole("link", { name: `#${n} Bracket set` }).waitFor();
    // An approved job cannot be marked scheduled without a printer and time: the board sends it to the schedule.
    const options = await page.getByLabel(`Move job #${n} to`).locator("option").allTextContents();
    expect(options).toEqual(["Quote", "On hold", "Cancelled"]);
    await page.getByRole("link", { name: `Schedule job #${n} on a printer` }).click();
    await page.waitForURL((u) => u.pathname === "/org/schedule");
    await page.getByLabel("Printer").selectOption({ label: "Prusa MK4 #1" });
    await page.getByLabel("Start (UTC)").fill("2029-12-20T09:00");
    await page.getByLabel("Duration (minutes)").fill("120");
    await page.getByRole("button", { name: "Check conflicts" }).click();
    await page.getByText("No conflicts: the slot is free.").waitFor();
    expect(
      (await db().selectFrom("job").select("status").where("id", "=", jobId).executeTakeFirstOrThrow())
        .status,
    ).toBe("approved");
    await page.getByRole("button", { name: "Schedule job" }).click();
    await page.getByText(/^Scheduled for 2 h/).waitFor();
    await open(url("/org/schedule?from=2029-12-19"));
    const lane = page.getByRole("region", { name: /Prusa MK4 #1/ });
    await lane.getByRole("link", { name: `#${n} Bracket set` }).waitFor();
    await lane.getByText("(2 h)").waitFor();
    const job = await db()
      .selectFrom("job")
      .select(["status", "scheduledStartAt", "scheduledEndAt"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe("scheduled");
    expect(job.scheduledStartAt?.toISOString()).toBe("2029-12-20T09:00:00.000Z");
    expect(job.scheduledEndAt?.toISOString()).toBe("2029-12-20T11:00:00.000Z");
  });

  it("moves the job across the board with the allowed moves only", async () => {
    await open(url("/org/board"));
    await page
      .getByRole("region", { name: /^Scheduled/ })
      .getByRole("link", { name: `#${n} Bracket set` })
      .waitFor();
    // A scheduled job cannot jump to "shipped": the select offers only the workflow's next statuses.
    const options = await page.getByLabel(`Move job #${n} to`).locator("option").allTextContents();
    expect(options).toEqual(["Approved", "On hold", "Cancelled"]);
    // Drag and drop: while the card is dragged, only the columns the server allows take the drop.
    const card = page.locator(`[data-job="${n}"]`);
    const column = (status: string) => page.locator(`[data-column="${status}"]`);
    await card.getByText("Dana Walker").hover();
    await page.mouse.down();
    await column("quote").hover({ position: { x: 40, y: 40 } });
    await column("quote").hover({ position: { x: 50, y: 50 } });
    expect(await column("quote").getAttribute("data-drop")).toBe("refused");
    expect(await column("printing").getAttribute("data-drop")).toBe("allowed");
    expect(await column("shipped").getAttribute("data-drop")).toBe("refused");
    await page.mouse.up();
    // Dropped on a column the workflow refuses: nothing moves, and the page says why.
    await page.getByText(`Job #${n} cannot go from Scheduled to Quote.`).waitFor();
    await column("scheduled")
      .getByRole("link", { name: `#${n} Bracket set` })
      .waitFor();
    expect(
      (await db().selectFrom("job").select("status").where("id", "=", jobId).executeTakeFirstOrThrow())
        .status,
    ).toBe("scheduled");
    await card.getByText("Dana Walker").dragTo(column("printing"), { targetPosition: { x: 60, y: 60 } });
    await page.getByText(`Job #${n} moved to Printing.`).waitFor();
    await column("printing")
      .getByRole("link", { name: `#${n} Bracket set` })
      .waitFor();
    await page.getByRole("button", { name: `Move job #${n} to Post-processing` }).click();
    await page.getByText(`Job #${n} moved to Post-processing.`).waitFor();
    await page
      .getByRole("region", { name: /^Post-processing/ })
      .getByRole("link", { name: `#${n} Bracket set` })
      .waitFor();
    // The card's one form also holds the select and its Move button: on hold, then back.
    await page.getByLabel(`Move job #${n} to`, { exact: true }).selectOption({ label: "On hold" });
    await page.getByRole("button", { name: `Move job #${n}`, exact: true }).click();
    await page.getByText(`Job #${n} moved to On hold.`).waitFor();
    // Without JavaScript a pressed forward button posts beside the select's value: the button's status wins.
    const posted = await page.request.post(url("/org/board"), {
      headers: { Origin: host.webUrl },
      form: { jobId, number: String(n), to: "cancelled", forward: "post_processing" },
    });
    expect(posted.ok()).toBe(true);
    await open(url("/org/board"));
    await page
      .getByRole("region", { name: /^Post-processing/ })
      .getByRole("link", { name: `#${n} Bracket set` })
      .waitFor();
    const history = await db()
      .selectFrom("jobStatusChange")
      .select(["fromStatus", "toStatus"])
      .where("jobId", "=", jobId)
      .orderBy("createdAt")
      .execute();
    expect(history.map((h) => `${h.fromStatus}→${h.toStatus}`)).toEqual([
      "null→approved",
      "approved→scheduled",
      "scheduled→printing",
      "printing→post_processing",
      "post_processing→on_hold",
      "on_hold→post_processing",
    ]);
    // A card's link opens the job inside the app (the router), not as a new document.
    await page.evaluate(() => {
      (window as unknown as { boardMark: number }).boardMark = 1;
    });
    await page
      .getByRole("region", { name: /^Post-processing/ })
      .getByRole("link", { name: `#${n} Bracket set` })
      .click();
    await page.waitForURL(`**/org/jobs/${jobId}`);
    await page.getByLabel("New note").waitFor();
    expect(await page.evaluate(() => (window as unknown as { boardMark?: number }).boardMark)).toBe(1);
  });

  it("adds a production note and a proof, and downloads the proof as an attachment", async () => {
    await open(url(`/org/jobs/${jobId}`));
    await page.getByLabel("New note").fill("Use the 0.2 mm profile, brim on.");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByText("Note added.").waitFor();
    await page.getByText("Use the 0.2 mm profile, brim on.").waitFor();

    await page.getByLabel("Kind of file").selectOption("proof");
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: "proof.png",
      mimeType: "image/png",
      buffer: PNG,
    });
    await page.getByRole("button", { name: "Upload file" }).click();
    await page.getByText("The file is attached.").waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "proof.png" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("proof.png");
    const saved = readFileSync((await download.path()) ?? "");
    expect(Buffer.compare(saved, PNG)).toBe(0);
    // A file that is not what it says is refused, and nothing is stored.
    await page.getByLabel("Kind of file").selectOption("photo");
    await page.getByLabel("File", { exact: true }).setInputFiles({
      name: "fake.png",
      mimeType: "image/png",
      buffer: Buffer.from("not an image"),
    });
    await page.getByRole("button", { name: "Upload file" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /do not match its type|damaged or mislabelled/ })
      .waitFor();
    const files = await db().selectFrom("jobFile").select("kind").where("jobId", "=", jobId).execute();
    expect(files).toEqual([{ kind: "proof" }]);
    // The status history shows who moved the job (four steps forward, on hold and back).
    const history = page.getByRole("table", { name: "Status history" });
    expect(await history.getByText("Ria Owner").count()).toBe(6);
  });

  it("exports the jobs as CSV", async () => {
    await open(url("/org/jobs"));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path()) ?? "", "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain("Number");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Bracket set");
    expect(lines[1]).toContain("Dana Walker");
    expect(lines[1]).toContain("Post-processing");
    const response = await context.request.get(url("/org/export/jobs"));
    expect(response.headers()["content-disposition"]).toMatch(/^attachment;/);
  });

  it("shows the customer with their job history, the shop's notifications, and exports customers", async () => {
    await open(url("/org/customers"));
    await page.getByRole("link", { name: "Dana Walker" }).click();
    await page.getByRole("heading", { level: 1, name: "Dana Walker" }).waitFor();
    await page
      .getByRole("table", { name: "Job history" })
      .getByRole("link", { name: `#${n} Bracket set` })
      .waitFor();

    const response = await context.request.get(url("/org/export/customers"));
    expect(response.headers()["content-disposition"]).toMatch(/^attachment;/);
    const csv = await response.text();
    expect(csv).toContain("Dana Walker");
    expect(csv).toContain("dana@example.com");

    // A customer on their own: created without a job, then deleted; Dana (with a job) is kept.
    await open(url("/org/customers/new"));
    await page.getByLabel("Name", { exact: true }).fill("Phone Phil");
    await page.getByLabel("Phone").fill("+1 555 0199");
    await page.getByRole("button", { name: "Create customer" }).click();
    await page.getByText("Phone Phil is added to your customers.").waitFor();
    // A plain phone number is exported as typed, without the anti-formula quote.
    const withPhone = await (await context.request.get(url("/org/export/customers"))).text();
    const phil = withPhone
      .split(/\r?\n/)
      .find((line) => line.startsWith("Phone Phil") || line.includes(",Phone Phil,"));
    expect(phil).toContain(",+1 555 0199");
    expect(phil).not.toContain("'+1");
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Delete Phone Phil" }).click();
    await page.getByText("Phone Phil is deleted.").waitFor();
    expect(
      await db()
        .selectFrom("customer")
        .select("id")
        .where("organizationId", "=", orgId)
        .where("name", "=", "Phone Phil")
        .execute(),
    ).toHaveLength(0);
    await open(url("/org/customers"));
    await page.getByRole("link", { name: "Dana Walker" }).click();
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Delete Dana Walker" }).click();
    await page.getByText("Dana Walker has 1 job(s) and is kept for the record").waitFor();

    await open(url("/org/notifications"));
    await page.getByRole("link", { name: `New job #${n}: Bracket set` }).click();
    await page.waitForURL(url(`/org/jobs/${jobId}`));
    await open(url("/org/notifications"));
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await page.getByText("All marked as read.").waitFor();
    const unread = await db()
      .selectFrom("notification")
      .select("id")
      .where("organizationId", "=", orgId)
      .where("readAt", "is", null)
      .execute();
    expect(unread).toHaveLength(0);
  });

  it("edits the shop profile and refuses a rush lead time longer than the standard one", async () => {
    await open(url("/org/profile"));
    await page.getByLabel("Standard lead time (days)").fill("5");
    await page.getByLabel("Rush lead time (days, optional)").fill("9");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page
      .getByLabel("Rush lead time (days, optional)")
      .and(page.locator("[aria-invalid=true]"))
      .waitFor();
    await page.getByLabel("Rush lead time (days, optional)").fill("2");
    await page.getByLabel("Option 1 name").fill("Local pickup");
    await page.getByLabel("Option 1 price").fill("0");
    await page.getByRole("button", { name: "Add shipping option" }).click();
    await page.getByLabel("Option 2 name").fill("Courier");
    await page.getByLabel("Option 2 price").fill("9.90");
    await page.getByLabel("Option 2 delivery days").fill("2");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("The shop profile is saved.").waitFor();
    const settings = await db()
      .selectFrom("shopSettings")
      .select(["standardLeadDays", "rushLeadDays", "shippingOptions"])
      .where("organizationId", "=", orgId)
      .executeTakeFirstOrThrow();
    expect(settings).toEqual({
      standardLeadDays: 5,
      rushLeadDays: 2,
      shippingOptions: [
        { name: "Local pickup", priceMinor: 0, days: null, countries: [] },
        { name: "Courier", priceMinor: 990, days: 2, countries: [] },
      ],
    });
  });

  it("uploads a logo, checked by content, and serves it", async () => {
    await open(url("/org/profile"));
    // A text file named .png is refused by its content.
    await page.getByLabel("Logo image").setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: Buffer.from("not really a png"),
    });
    await page.getByRole("button", { name: "Upload logo" }).click();
    await page.getByText("This file is not a PNG, JPEG, GIF or WebP image").waitFor();
    expect(
      (await db().selectFrom("organization").select("logo").where("id", "=", orgId).executeTakeFirstOrThrow())
        .logo,
    ).toBeNull();
    await page
      .getByLabel("Logo image")
      .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
    await page.getByRole("button", { name: "Upload logo" }).click();
    await page.getByText("The logo is updated.").waitFor();
    const src = await page.getByRole("img", { name: "logo" }).first().getAttribute("src");
    expect(src).toMatch(/^\/logos\/logo_/);
    const served = await context.request.get(url(src ?? ""));
    expect(served.status()).toBe(200);
    expect(served.headers()["content-type"]).toBe("image/png");
    expect(Buffer.from(await served.body()).equals(PNG)).toBe(true);
  });

  it("sets a price for one material on one printer, and removes it by emptying the row", async () => {
    await open(url("/org/pricing"));
    await page.getByLabel("Pair 1 material").selectOption({ label: "PLA Black" });
    await page.getByLabel("Pair 1 printer").selectOption({ label: "Prusa MK4 #1" });
    await page.getByLabel("Pair 1 machine rate per hour (USD)").fill("7.50");
    await page.getByRole("button", { name: "Save pricing" }).click();
    await page.getByText("Pricing saved.").waitFor();
    const pricing = async () =>
      (
        await db()
          .selectFrom("shopSettings")
          .select("pricing")
          .where("organizationId", "=", orgId)
          .executeTakeFirstOrThrow()
      ).pricing as { pairs?: { machineHourlyMinor: number | null; priceMinor: number | null }[] };
    expect((await pricing()).pairs).toMatchObject([{ machineHourlyMinor: 750, priceMinor: null }]);
    await open(url("/org/pricing"));
    expect(await page.getByLabel("Pair 1 machine rate per hour (USD)").inputValue()).toBe("7.5");
    await page.getByLabel("Pair 1 machine rate per hour (USD)").fill("");
    await page.getByRole("button", { name: "Save pricing" }).click();
    await page.getByText("Pricing saved.").waitFor();
    expect((await pricing()).pairs).toEqual([]);
  });

  it("removes a material with stock history by archiving it: the ledger keeps it, the list does not", async () => {
    await open(url("/org/materials"));
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Remove PLA Black" }).click();
    await page.getByText("PLA Black is archived").waitFor();
    await page.getByRole("button", { name: "Remove PLA Black" }).waitFor({ state: "detached" });
    const material = await db()
      .selectFrom("material")
      .select(["id", "archivedAt"])
      .where("organizationId", "=", orgId)
      .where("name", "=", "PLA Black")
      .executeTakeFirstOrThrow();
    expect(material.archivedAt).not.toBeNull();
    const ledger = await db()
      .selectFrom("stockMovement")
      .select("reason")
      .where("materialId", "=", material.id)
      .execute();
    expect(ledger.map((l) => l.reason)).toContain("Failed print, spool waste");
    expect(
      await db()
        .selectFrom("printerMaterial")
        .select("printerId")
        .where("materialId", "=", material.id)
        .execute(),
    ).toEqual([]);
  });
});
