import { billing } from "@ktizo/api";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { fixedClock } from "@ktizo/services";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "getting paid browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/** A 1×1 PNG: the proof image the shop uploads. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe.runIf(runnable)(
  "getting paid for shop work: estimate, deposit, proofs, invoice, balance, reminder (req. 9)",
  () => {
    let host: TestHost;
    let browser: Browser;
    let shopContext: BrowserContext;
    let customerContext: BrowserContext;
    let shop: Page;
    let customer: Page;
    let jobId = "";
    let secondJobId = "";
    const owner = DEMO_USERS.northsideOwner;
    const customerEmail = "rosa.client@example.com";
    const url = (path: string) => `${host.webUrl}${path}`;
    const db = () => host.runtime.db;

    /** The portal path of the newest email of a template to the customer (the outbox stand-in keeps them all). */
    async function emailedLink(template: string) {
      const m = await db()
        .selectFrom("outboxMessage")
        .select(["bodyText", "category", "attachments", "subject"])
        .where("recipient", "=", customerEmail)
        .where("template", "=", template)
        .orderBy("createdAt", "desc")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      expect(m.category).toBe("service");
      const path = /\/portal\/[A-Za-z0-9_-]{43}/.exec(m.bodyText)?.[0];
      if (!path) throw new Error(`no portal link in ${m.bodyText}`);
      return { path, message: m };
    }

    const openJob = () => gotoHydrated(shop, url(`/org/jobs/${jobId}`));

    /** Uploads a proof image under Files, then adds it as the next proof version and emails it. */
    async function uploadProof(fileName: string) {
      await openJob();
      await shop.getByLabel("Kind of file").selectOption("proof");
      await shop.getByLabel("File", { exact: true }).setInputFiles({
        name: fileName,
        mimeType: "image/png",
        buffer: PNG,
      });
      await shop.getByRole("button", { name: "Upload file" }).click();
      await shop.waitForURL((u) => u.searchParams.has("uploaded"));
      await shop.locator("html[data-hydrated]").waitFor();
      await shop.getByLabel("Proof file").selectOption({ label: `${fileName} (proof)` });
      await shop.getByRole("button", { name: "Add proof version" }).click();
      await shop.getByText("Proof added and emailed.").waitFor();
    }

    /** The test-mode checkout page the portal's pay button leads to: the same signed webhook as Stripe's. */
    async function payOnline(button: RegExp) {
      await customer.getByRole("button", { name: button }).click();
      await customer.waitForURL((u) => /\/pay\/cs_test_/.test(u.pathname));
      await customer.locator("html[data-hydrated]").waitFor();
      await customer.getByRole("button", { name: /\(test mode\)$/ }).click();
      await customer.waitForURL((u) => u.searchParams.has("paid"));
    }

    beforeAll(async () => {
      [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
      shopContext = await browser.newContext();
      shop = await shopContext.newPage();
      shop.setDefaultTimeout(20_000);
      // The customer opens links on a phone.
      customerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
      customer = await customerContext.newPage();
      customer.setDefaultTimeout(20_000);
    });
    afterAll(async () => {
      await shopContext?.close();
      await customerContext?.close();
      await browser?.close();
      await host?.close();
    });

    it("the shop writes an estimate with a deposit for a new customer; a bad price keeps what was typed", async () => {
      await gotoHydrated(shop, url("/sign-in"));
      await shop.getByLabel("Email").fill(owner.email);
      await shop.getByLabel("Password").fill(owner.password);
      await shop.getByRole("button", { name: "Sign in" }).click();
      await shop.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
      await gotoHydrated(shop, url("/org/jobs/new"));
      await shop.getByLabel("Title").fill("Trade show stands");
      await shop.getByLabel("Start as").selectOption("quote");
      await shop.getByLabel("New customer").check();
      await shop.getByLabel("Customer name").fill("Rosa Client");
      await shop.getByLabel("Customer email").fill(customerEmail);
      await shop.getByLabel("Item 1 description").fill("Display stand");
      await shop.getByLabel("Item 1 quantity").fill("2");
      await shop.getByLabel("Item 1 unit price").fill("40.00");
      await shop.getByLabel("Item 1 print minutes").fill("60");
      await shop.getByRole("button", { name: "Create job" }).click();
      await shop.waitForURL((u) => /^\/org\/jobs\/[^/]+$/.test(u.pathname) && u.searchParams.has("created"));
      jobId = new URL(shop.url()).pathname.split("/").pop() ?? "";
      await shop.locator("html[data-hydrated]").waitFor();

      // The job's line is already on the estimate (priced by the job); the shop adds design work by hand.
      await shop.getByLabel("Line 1 description").and(shop.locator("[value='Display stand']")).waitFor();
      await shop.getByLabel("Line 2 description").fill("Design work");
      await shop.getByLabel("Line 2 unit price (USD)").fill("twenty");
      await shop.getByLabel("Deposit as").selectOption("percent");
      await shop.getByLabel("Deposit", { exact: true }).fill("50");
      await shop.getByLabel("Valid until").fill("2030-12-31");
      await shop.getByLabel("Notes for the customer").fill("Printed in matte black PETG.");
      await shop.getByRole("button", { name: "Save estimate" }).click();
      const price = shop.getByLabel("Line 2 unit price (USD)");
      await price.and(shop.locator("[aria-invalid=true]")).waitFor();
      expect(await shop.getByLabel("Line 2 description").inputValue()).toBe("Design work");
      expect(await shop.getByLabel("Notes for the customer").inputValue()).toBe(
        "Printed in matte black PETG.",
      );
      expect(await db().selectFrom("estimate").select("id").where("jobId", "=", jobId).execute()).toEqual([]);

      await price.fill("25.00");
      await shop.getByRole("button", { name: "Save estimate" }).click();
      await shop
        .getByText("Estimate saved as a draft.")
        .waitFor()
        .catch(async (e) => {
          console.log("ALERTS", await shop.locator("[role=alert]").allTextContents());
          throw e;
        });
      expect(await shop.getByTestId("estimate-total").textContent()).toBe("$105.00");
      await shop.getByRole("button", { name: "Email estimate to the customer" }).click();
      await shop.getByText("Estimate emailed.").waitFor();
    });

    it("the customer opens the emailed link, approves by typing their name and pays the deposit", async () => {
      const { path, message } = await emailedLink("billing-estimate");
      expect(message.bodyText).toContain("$105.00");
      await gotoHydrated(customer, url(path));
      await customer.getByText("Printed in matte black PETG.").waitFor();
      await customer.getByLabel("Type your full name to approve").fill("Rosa Client");
      await customer.getByRole("button", { name: "Approve this estimate" }).click();
      await customer.waitForURL((u) => u.searchParams.has("approved"));
      await customer.locator("html[data-hydrated]").waitFor();
      await payOnline(/^Pay the deposit of \$52\.50$/);
      await customer.getByText("(paid $52.50)").waitFor();

      const estimate = await db()
        .selectFrom("estimate")
        .select(["status", "approvedName", "approvedIp", "approvedUserAgent"])
        .where("jobId", "=", jobId)
        .executeTakeFirstOrThrow();
      expect(estimate).toMatchObject({ status: "approved", approvedName: "Rosa Client" });
      expect(estimate.approvedIp).toBeTruthy();
      expect(estimate.approvedUserAgent).toContain("Chrome");
      const job = await db()
        .selectFrom("job")
        .select("status")
        .where("id", "=", jobId)
        .executeTakeFirstOrThrow();
      expect(job.status).toBe("approved");
    });

    it("the shop uploads a proof, the customer asks for a change, then approves version 2", async () => {
      await uploadProof("stand-proof-v1.png");
      const first = await emailedLink("billing-proof");
      await gotoHydrated(customer, url(first.path));
      // The proof itself is shown (the image the shop uploaded, served behind the link's token).
      const image = customer.getByRole("img", { name: "Proof: stand-proof-v1.png" });
      await image.waitFor();
      await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
      await customer.getByLabel("Your full name").fill("Rosa Client");
      await customer.getByLabel("Comment (what should change?)").fill("Make the logo bigger");
      await customer.getByRole("button", { name: "Ask for changes" }).click();
      await customer.waitForURL((u) => u.searchParams.has("asked"));

      await openJob();
      const proofs = shop.getByRole("table", { name: "Proof versions" });
      await proofs.getByText("Make the logo bigger").waitFor();
      await proofs.getByText("Changes asked").waitFor();

      await uploadProof("stand-proof-v2.png");
      const second = await emailedLink("billing-proof");
      expect(second.path).not.toBe(first.path);
      await gotoHydrated(customer, url(second.path));
      await customer.getByLabel("Your full name").fill("Rosa Client");
      await customer.getByRole("button", { name: "Approve proof" }).click();
      await customer.waitForURL((u) => u.searchParams.has("approved"));
      const decided = await db()
        .selectFrom("proof")
        .select(["version", "status"])
        .where("jobId", "=", jobId)
        .orderBy("version")
        .execute();
      expect(decided).toEqual([
        { version: 1, status: "rejected" },
        { version: 2, status: "approved" },
      ]);
    });

    it("the job is scheduled and printed", async () => {
      await openJob();
      await shop.getByLabel("Printer", { exact: true }).selectOption({ label: "Prusa MK4 #1" });
      await shop.getByLabel(/^Start \(/).fill("2030-01-10T09:00");
      await shop.getByRole("button", { name: "Schedule", exact: true }).click();
      await shop.getByText(/^Scheduled on the printer for/).waitFor();
      for (const to of ["printing", "ready"]) {
        await shop.getByLabel("Move to").selectOption(to);
        await shop.getByRole("button", { name: "Change status" }).click();
        await shop.getByText("Status changed.").waitFor();
        await shop.getByText(`Now: ${to === "ready" ? "Ready" : "Printing"}`).waitFor();
      }
    });

    it("the invoice is issued from the estimate and emailed with its PDF; the customer pays the balance", async () => {
      await openJob();
      await shop.getByRole("button", { name: "Create draft invoice" }).click();
      await shop.getByText("Draft invoice created: check it and issue it.").waitFor();
      await shop.getByRole("button", { name: "Issue invoice" }).click();
      await shop.getByText("Invoice issued and emailed with its PDF.").waitFor();
      const invoice = await db()
        .selectFrom("invoice")
        .select(["id", "number", "totalMinor"])
        .where("jobId", "=", jobId)
        .executeTakeFirstOrThrow();
      expect(invoice.number).toMatch(/^INV-\d{4}-\d{4}$/);
      expect(invoice.totalMinor).toBe(10500);
      // The deposit is applied: half is left.
      expect(await shop.getByTestId(`balance-${invoice.number}`).textContent()).toBe("$52.50");

      const { path, message } = await emailedLink("billing-invoice");
      expect(message.subject).toContain(invoice.number ?? "");
      const pdf = message.attachments?.[0];
      expect(pdf).toMatchObject({ fileName: `${invoice.number}.pdf`, contentType: "application/pdf" });
      expect(
        Buffer.from(pdf?.contentBase64 ?? "", "base64")
          .subarray(0, 5)
          .toString(),
      ).toBe("%PDF-");

      await gotoHydrated(customer, url(path));
      await payOnline(/^Pay \$52\.50 now$/);
      await customer.getByText("Paid", { exact: true }).waitFor();
      expect(await customer.getByRole("button", { name: /^Pay / }).count()).toBe(0);

      // The shop sees it paid, on the job and in the invoice list.
      await openJob();
      const article = shop.locator("article", { hasText: `Invoice ${invoice.number}` });
      await article.getByText("Paid", { exact: true }).waitFor();
      expect(await shop.getByTestId(`balance-${invoice.number}`).textContent()).toBe("$0.00");
      await gotoHydrated(shop, url("/org/invoices?status=paid"));
      await shop
        .getByRole("table", { name: "Invoices" })
        .getByText(invoice.number ?? "")
        .waitFor();
      // The PDF downloads from the workspace too.
      const response = await shopContext.request.get(url(`/org/invoices/${invoice.id}/pdf`));
      expect(response.status()).toBe(200);
      expect(response.headers()["content-disposition"]).toMatch(/^attachment;/);
    });

    it("an overdue invoice is reminded by the reminders job (fixed clock), labelled a service message", async () => {
      // A second job invoiced straight from its line items, issued without a payment.
      await gotoHydrated(shop, url("/org/jobs/new"));
      await shop.getByLabel("Title").fill("Spare brackets");
      await shop.getByLabel("Start as").selectOption("approved");
      await shop
        .getByRole("combobox", { name: "Customer", exact: true })
        .selectOption({ label: `Rosa Client (${customerEmail})` });
      await shop.getByLabel("Item 1 description").fill("Bracket");
      await shop.getByLabel("Item 1 quantity").fill("3");
      await shop.getByLabel("Item 1 unit price").fill("10.00");
      await shop.getByRole("button", { name: "Create job" }).click();
      await shop.waitForURL((u) => u.searchParams.has("created"));
      await shop.locator("html[data-hydrated]").waitFor();
      await shop.getByRole("button", { name: "Create draft invoice" }).click();
      await shop.getByText("Draft invoice created: check it and issue it.").waitFor();
      // Terms on the draft: custom with a bad day count is refused beside its field, then net 15.
      await shop.getByLabel("Payment terms").selectOption("custom");
      await shop.getByLabel("Days to pay (custom terms)").fill("999");
      await shop.getByRole("button", { name: "Change terms" }).click();
      await shop.getByLabel("Days to pay (custom terms)").and(shop.locator("[aria-invalid=true]")).waitFor();
      await shop.getByLabel("Payment terms").selectOption("net_15");
      await shop.getByRole("button", { name: "Change terms" }).click();
      await shop.getByText("Payment terms changed.").waitFor();
      await shop.getByRole("button", { name: "Issue invoice" }).click();
      await shop.getByText("Invoice issued and emailed with its PDF.").waitFor();
      secondJobId = new URL(shop.url()).pathname.split("/").pop() ?? "";
      const issued = await db()
        .selectFrom("invoice")
        .select(["terms", "issueDate", "dueDate"])
        .where("jobId", "=", secondJobId)
        .executeTakeFirstOrThrow();
      expect(issued.terms).toBe("net_15");
      expect(Date.parse(`${issued.dueDate}T00:00:00Z`) - Date.parse(`${issued.issueDate}T00:00:00Z`)).toBe(
        15 * 86_400_000,
      );
      const inv = await db()
        .selectFrom("invoice")
        .select(["id", "number", "dueDate"])
        .where("jobId", "=", secondJobId)
        .executeTakeFirstOrThrow();

      // A week and a day after the due date (the default cadence: weekly once overdue), the hourly job
      // runs twice, as the worker runs it.
      const clock = fixedClock(`${inv.dueDate}T12:00:00Z`);
      clock.advance(8 * 24 * 3_600_000);
      const deps = { db: db(), services: host.runtime.services, clock };
      const [job] = billing.BILLING_JOBS;
      await job?.run({}, deps);
      await job?.run({}, deps);
      const reminders = await db()
        .selectFrom("outboxMessage")
        .select(["subject", "bodyText", "category"])
        .where("template", "=", "billing-invoice-reminder")
        .where("recipient", "=", customerEmail)
        .execute();
      expect(reminders).toHaveLength(1);
      expect(reminders[0]?.subject).toBe(`Overdue: invoice ${inv.number} from Northside Print Lab`);
      expect(reminders[0]?.category).toBe("service");
      // The paid invoice of the first job is not chased.
      expect(reminders[0]?.bodyText).not.toContain("$52.50");
    });

    it("the shop finds invoices, reads the reports, downloads the exports and sets its taxes", async () => {
      const numbers = (
        await db().selectFrom("invoice").select("number").where("organizationId", "is not", null).execute()
      ).map((r) => r.number ?? "");
      // Search by the customer's name, then by a number.
      await gotoHydrated(shop, url("/org/invoices?q=Rosa"));
      const list = shop.getByRole("table", { name: "Invoices" });
      for (const n of numbers) await list.getByText(n).waitFor();
      await gotoHydrated(shop, url(`/org/invoices?q=${numbers[0]}`));
      expect(await shop.getByRole("table", { name: "Invoices" }).locator("tbody tr").count()).toBe(1);

      await shop.getByRole("link", { name: "Billing reports" }).click();
      await shop.getByRole("heading", { level: 1, name: "Billing reports" }).waitFor();
      // The open invoice is in the aging table; the chart is an SVG with a bar per month.
      const aging = shop.getByRole("table", { name: "Open balances by days past due" });
      await aging.getByText("$30.00").waitFor();
      const chart = shop.getByRole("img", { name: /^Invoiced and received per month in USD/ });
      expect(await chart.locator("g[data-month]").count()).toBeGreaterThanOrEqual(12);
      expect(await shop.locator("[style]").count()).toBe(0);
      for (const format of ["quickbooks", "xero"]) {
        const href = await shop.getByRole("link", { name: new RegExp(format, "i") }).getAttribute("href");
        expect(href).toContain(`format=${format}`);
        const response = await shopContext.request.get(url(href ?? ""));
        expect(response.headers()["content-disposition"]).toMatch(/^attachment;.*\.csv/);
        const csv = await response.text();
        for (const n of numbers) expect(csv).toContain(n);
      }

      // Billing setup: a bad prefix is refused beside its field and what was typed stays.
      await shop.getByRole("link", { name: "Billing setup" }).click();
      await shop.getByRole("heading", { level: 1, name: "Billing setup" }).waitFor();
      await shop.getByLabel("Tax 1 name").fill("Sales tax");
      await shop.getByLabel("Tax 1 rate %").fill("8.25");
      await shop.getByLabel("Invoice number prefix").fill("IN VOICE");
      await shop.getByRole("button", { name: "Save billing setup" }).click();
      await shop.getByLabel("Invoice number prefix").and(shop.locator("[aria-invalid=true]")).waitFor();
      expect(await shop.getByLabel("Tax 1 name").inputValue()).toBe("Sales tax");
      await shop.getByLabel("Invoice number prefix").fill("NPL");
      await shop.getByRole("button", { name: "Save billing setup" }).click();
      await shop.getByText("Billing setup saved.").waitFor();
      const settings = await db()
        .selectFrom("billingSettings")
        .select(["taxRates", "invoicePrefix"])
        .executeTakeFirstOrThrow();
      expect(settings.invoicePrefix).toBe("NPL");
      expect(settings.taxRates).toMatchObject([{ name: "Sales tax", rateBps: 825, inclusive: false }]);
    });

    it("the shop records the overdue invoice's bank transfer (too much is refused); the reminders stop", async () => {
      const inv = await db()
        .selectFrom("invoice")
        .select(["id", "number", "dueDate"])
        .where("jobId", "=", secondJobId)
        .executeTakeFirstOrThrow();
      await gotoHydrated(shop, url(`/org/jobs/${secondJobId}`));
      const article = shop.locator("article", { hasText: `Invoice ${inv.number}` });
      await article.getByText("Record a payment (cash, transfer, check)").click();
      await article.getByLabel("Amount (USD)").fill("45.00");
      await article.getByLabel("Paid by").selectOption("bank_transfer");
      await article.getByLabel("Reference").fill("TRX-4471");
      await article.getByRole("button", { name: "Record payment" }).click();
      await article.getByLabel("Amount (USD)").and(shop.locator("[aria-invalid=true]")).waitFor();
      expect(await article.getByLabel("Reference").inputValue()).toBe("TRX-4471");
      await article.getByLabel("Amount (USD)").fill("30.00");
      await article.getByRole("button", { name: "Record payment" }).click();
      await article.getByText("Payment recorded.").waitFor();
      await article.getByText("Paid", { exact: true }).waitFor();
      await article
        .getByRole("table", { name: `Payments of ${inv.number}` })
        .getByText("TRX-4471")
        .waitFor();

      const clock = fixedClock(`${inv.dueDate}T12:00:00Z`);
      clock.advance(15 * 24 * 3_600_000);
      await billing.BILLING_JOBS[0]?.run({}, { db: db(), services: host.runtime.services, clock });
      const reminders = await db()
        .selectFrom("outboxMessage")
        .select("id")
        .where("template", "=", "billing-invoice-reminder")
        .execute();
      expect(reminders).toHaveLength(1);

      // Part of the transfer goes back: the balance reopens by what was refunded.
      await gotoHydrated(shop, url(`/org/jobs/${secondJobId}`));
      const paidArticle = shop.locator("article", { hasText: `Invoice ${inv.number}` });
      await paidArticle.getByText("Refund this payment").click();
      await paidArticle.getByLabel("Amount to refund (USD)").fill("10.00");
      await paidArticle.getByLabel("Reason").fill("One bracket arrived cracked");
      await paidArticle.getByRole("button", { name: "Refund", exact: true }).click();
      await paidArticle.getByText("Refund recorded.").waitFor();
      await shop.getByTestId(`balance-${inv.number}`).getByText("$10.00").waitFor();
      await paidArticle.getByText(/\(refund\)/).waitFor();
    });

    it("every billing page fits a 390 px phone in dark mode", async () => {
      const phoneContext = await browser.newContext({
        viewport: { width: 390, height: 844 },
        colorScheme: "dark",
      });
      const phone = await phoneContext.newPage();
      phone.setDefaultTimeout(20_000);
      await gotoHydrated(phone, url("/sign-in"));
      await phone.getByLabel("Email").fill(owner.email);
      await phone.getByLabel("Password").fill(owner.password);
      await phone.getByRole("button", { name: "Sign in" }).click();
      await phone.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
      const portal = await db()
        .selectFrom("outboxMessage")
        .select("bodyText")
        .where("template", "=", "billing-invoice")
        .executeTakeFirstOrThrow();
      const pages = [
        `/org/jobs/${jobId}`,
        "/org/invoices",
        "/org/reports",
        "/org/billing",
        /\/portal\/[A-Za-z0-9_-]{43}/.exec(portal.bodyText)?.[0] ?? "",
      ];
      for (const path of pages) {
        await gotoHydrated(phone, url(path));
        const [width, dark, background] = await phone.evaluate(() => [
          document.documentElement.scrollWidth,
          document.documentElement.classList.contains("dark"),
          getComputedStyle(document.body).backgroundColor,
        ]);
        expect([path, Number(width) <= 390, dark]).toEqual([path, true, true]);
        // A dark page: the body's background is far from white.
        const [r = 255, g = 255, b = 255] = String(background).match(/\d+/g)?.map(Number) ?? [];
        expect([path, r + g + b < 200]).toEqual([path, true]);
      }
      await phoneContext.close();
    });
  },
);
