import { fileURLToPath } from "node:url";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "marketplace browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

const CUBE = fileURLToPath(
  new URL("../../../../shared/corpus/stl/trimesh_20mm-xyz-cube.stl", import.meta.url),
);

describe.runIf(runnable)(
  "marketplace: upload, compare, sign up, pay, ship, talk, review in a real browser",
  () => {
    let host: TestHost;
    let browser: Browser;
    let customer: BrowserContext;
    let page: Page;
    let orderId = "";
    const email = "mara.buyer@example.com";
    const password = "layers all the way down";
    const url = (path: string) => `${host.webUrl}${path}`;
    const db = () => host.runtime.db;

    beforeAll(async () => {
      [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
      // The two demo shops take marketplace orders.
      await db().updateTable("shopSettings").set({ listed: true }).execute();
      customer = await browser.newContext();
      page = await customer.newPage();
      page.setDefaultTimeout(20_000);
    });
    afterAll(async () => {
      await customer?.close();
      await browser?.close();
      await host?.close();
    });

    it("an anonymous visitor uploads a corpus model and compares quotes from two shops", async () => {
      await page.goto(url("/"));
      const reject = page.getByRole("button", { name: "Reject analytics" });
      if (await reject.count()) await reject.click();
      await page.getByLabel("Model files").setInputFiles(CUBE);
      await page.getByRole("link", { name: "Compare quotes" }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/quote/"));
      // Client-side navigation: wait for the quotes to render, not only for the URL.
      await page.getByTestId("quote-price").nth(1).waitFor();
      const shops = page.getByRole("list", { name: "Shops that can make it" }).locator("> li");
      expect(await shops.count()).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId("quote-price").count()).toBeGreaterThanOrEqual(2);
      await page.getByRole("button", { name: "Order (sign in)" }).first().click();
      await page.waitForURL((u) => u.pathname === "/sign-in");
    });

    it("signs up, comes back to the cart with the chosen quote and pays in test mode", async () => {
      const back = new URL(page.url()).searchParams.get("redirectTo") ?? "/cart";
      await page.goto(url("/sign-up"));
      await page.getByLabel("Full name").fill("Mara Buyer");
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
      await page.goto(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(mail.bodyText ?? "")?.[0] ?? "");
      // Verifying may already sign the visitor in; otherwise sign in and come back to the chosen quote.
      await page.goto(url(`/sign-in?redirectTo=${encodeURIComponent(back)}`));
      if (new URL(page.url()).pathname === "/sign-in") {
        await page.getByLabel("Email").fill(email);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
      }
      await page.waitForURL(url("/cart"));
      const checkoutForm = page.getByRole("form", { name: /Checkout at/ });
      await checkoutForm.getByLabel("Full name").fill("Mara Buyer");
      await checkoutForm.getByLabel("Street address").fill("7 Filament Way");
      await checkoutForm.getByLabel("City").fill("Portland");
      await checkoutForm.getByLabel("Postal code").fill("97201");
      await checkoutForm.getByLabel("Country (2 letters)").fill("US");
      await checkoutForm.getByRole("button", { name: "Checkout and pay" }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/checkout/test/"));
      expect(await page.getByText("Test mode: payments are simulated").count()).toBe(1);
      await page.getByRole("button", { name: /Pay .* \(test mode\)/ }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/orders/"));
      orderId = new URL(page.url()).pathname.split("/")[2] ?? "";
      expect(await page.getByTestId("order-status").textContent()).toBe("Paid, in the shop's queue");
    });

    it("the shop sees the new job, marks it shipped; the customer sees it and they exchange messages", async () => {
      const order = await db()
        .selectFrom("marketplaceOrder")
        .select(["organizationId", "jobId"])
        .where("id", "=", orderId)
        .executeTakeFirstOrThrow();
      const job = await db()
        .selectFrom("job")
        .select(["number", "status"])
        .where("id", "=", order.jobId ?? "")
        .executeTakeFirstOrThrow();
      expect(job.status).toBe("approved");
      const shopOwner = host.demo.shops.find((s) => s.organizationId === order.organizationId);
      const ownerKey = (Object.keys(host.demo.users) as (keyof typeof DEMO_USERS)[]).find(
        (k) => host.demo.users[k] === shopOwner?.ownerUserId,
      );
      const owner = DEMO_USERS[ownerKey ?? "northsideOwner"];
      const shop = await browser.newContext();
      const shopPage = await shop.newPage();
      shopPage.setDefaultTimeout(20_000);
      await shopPage.goto(url("/sign-in"));
      await shopPage.getByLabel("Email").fill(owner.email);
      await shopPage.getByLabel("Password").fill(owner.password);
      await shopPage.getByRole("button", { name: "Sign in" }).click();
      await shopPage.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
      await db()
        .updateTable("session")
        .set({ activeOrganizationId: order.organizationId })
        .where("userId", "=", shopOwner?.ownerUserId ?? "")
        .execute();
      // The paid order is a job on the shop's board.
      await shopPage.goto(url("/org/board"));
      await shopPage
        .locator(`[data-job="${job.number}"]`)
        .getByText(/Marketplace order #/)
        .first()
        .waitFor();
      await shopPage.goto(url("/orders/shop"));
      await shopPage.getByRole("link", { name: /^#\d+/ }).first().click();
      await shopPage.getByRole("link", { name: "Open the job" }).waitFor();
      // Printing happens on the shop's board; the test moves the job to "ready" directly.
      await db()
        .updateTable("job")
        .set({ status: "ready" })
        .where("id", "=", order.jobId ?? "")
        .execute();
      await shopPage.getByLabel("Tracking number").fill("1Z-E2E-42");
      await shopPage.getByRole("button", { name: "Mark shipped" }).click();
      await shopPage.getByText("Tracking number: 1Z-E2E-42").waitFor();

      await page.reload();
      expect(await page.getByTestId("order-status").textContent()).toBe("Shipped");
      expect(await page.getByText("1Z-E2E-42").count()).toBeGreaterThan(0);
      await page.getByLabel(/Message to/).fill("Can't wait, thank you!");
      await page.getByRole("button", { name: "Send message" }).click();
      await page.getByText("Can't wait, thank you!").waitFor();

      await shopPage.reload();
      await shopPage.getByText("Can't wait, thank you!").waitFor();
      await shopPage.getByLabel(/Message to/).fill("Enjoy your cube!");
      await shopPage.getByRole("button", { name: "Send message" }).click();
      await shopPage.getByText("Enjoy your cube!").first().waitFor();
      await shop.close();

      await page.reload();
      await page.getByText("Enjoy your cube!").waitFor();
      const mails = await db()
        .selectFrom("outboxMessage")
        .select("template")
        .where("recipient", "=", email)
        .execute();
      expect(mails.map((m) => m.template)).toContain("marketplace-message");
    });

    it("the customer confirms delivery and leaves a review shown on the shop page", async () => {
      await page.getByRole("button", { name: "I received my order" }).click();
      await page.getByTestId("order-status").filter({ hasText: "Delivered" }).waitFor();
      await page.getByLabel("Stars").selectOption("5");
      await page.getByLabel("Your review").fill("Perfect cube, quick shipping");
      await page.getByRole("button", { name: "Publish review" }).click();
      await page.getByText(/Your review:/).waitFor();
      const order = await db()
        .selectFrom("marketplaceOrder as o")
        .innerJoin("organization as g", "g.id", "o.organizationId")
        .select("g.slug")
        .where("o.id", "=", orderId)
        .executeTakeFirstOrThrow();
      await page.goto(url(`/shops/${order.slug}`));
      await page.getByText("Perfect cube, quick shipping").waitFor();
    });
  },
);
