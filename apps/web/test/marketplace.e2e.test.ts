import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { isTestModePayments, relativeLinks } from "@ktizo/services";
import { browserUnavailableReason, corpusModelPath, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "marketplace browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

const CUBE = corpusModelPath("stl/trimesh_20mm-xyz-cube.stl");

describe.runIf(runnable)(
  "marketplace: upload, compare, sign up, pay, ship, talk, review in a real browser",
  () => {
    let host: TestHost;
    let browser: Browser;
    let customer: BrowserContext;
    let page: Page;
    let shop: BrowserContext;
    let shopPage: Page;
    let orderId = "";
    const owner = DEMO_USERS.northsideOwner;
    const email = "mara.buyer@example.com";
    const password = "layers all the way down";
    const url = (path: string) => `${host.webUrl}${path}`;
    const db = () => host.runtime.db;
    /** From the cart: the delivery address, then to the payment page. */
    const checkOutCart = async () => {
      const checkoutForm = page.getByRole("form", { name: /Checkout at/ });
      await checkoutForm.getByLabel("Full name").fill("Mara Buyer");
      await checkoutForm.getByLabel("Street address").fill("7 Filament Way");
      await checkoutForm.getByLabel("City").fill("Portland");
      await checkoutForm.getByLabel("Postal code").fill("97201");
      await checkoutForm.getByLabel("Country", { exact: true }).selectOption("US");
      await checkoutForm.getByRole("button", { name: "Checkout and pay" }).click();
    };

    beforeAll(async () => {
      // A 10 % platform fee, so the shop's order view has a fee to show.
      [host, browser] = await Promise.all([
        startTestHost({ STRIPE_PLATFORM_FEE_BPS: "1000" }),
        launchBrowser(),
      ]);
      customer = await browser.newContext();
      page = await customer.newPage();
      page.setDefaultTimeout(20_000);
      shop = await browser.newContext();
      shopPage = await shop.newPage();
      shopPage.setDefaultTimeout(20_000);
    });
    afterAll(async () => {
      await shop?.close();
      await customer?.close();
      await browser?.close();
      await host?.close();
    });

    it("the shop owner signs in, opens the workspace, connects Stripe (test mode) and adds a shipping zone", async () => {
      await shopPage.goto(url("/sign-in"));
      await shopPage.locator("html[data-hydrated]").waitFor();
      await shopPage.getByLabel("Email").fill(owner.email);
      await shopPage.getByLabel("Password").fill(owner.password);
      await shopPage.getByRole("button", { name: "Sign in" }).click();
      await shopPage.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
      // The owner's only organization opens from the workspace link (no session edits).
      await shopPage.goto(url("/org"));
      await shopPage.getByRole("link", { name: "Payments" }).click();
      await shopPage.waitForURL(url("/org/payments"));
      await shopPage.getByText(/Test mode:.*payments and\s+connecting are simulated/).waitFor();
      expect(await shopPage.getByTestId("platform-fee-rate").textContent()).toContain("10 %");
      await shopPage.getByRole("button", { name: "Connect Stripe (test mode)" }).click();
      await shopPage.getByText("Connected, receiving payments").waitFor();
      expect(new URL(shopPage.url()).searchParams.get("stripe")).toBe("connected");
      // Shipping zones live on the profile's shipping options: UPS 2nd Day now also delivers to Mexico.
      await shopPage.getByRole("link", { name: "Shop profile" }).click();
      const zone = shopPage.getByLabel("Option 3 delivers to");
      await zone.waitFor();
      expect(await zone.inputValue()).toBe("CA, US");
      await zone.fill("US, CA, MX");
      await shopPage.getByRole("button", { name: "Save profile" }).click();
      await shopPage.getByText("The shop profile is saved.").waitFor();
    });

    it("an anonymous visitor uploads a corpus model and compares quotes from two shops", async () => {
      // Search by the country a shop ships to (seeded shipping zones): only the Berlin shop ships to France.
      await page.goto(url("/shops?country=FR"));
      const found = page.getByRole("list", { name: "Shops" }).getByRole("heading");
      expect(await found.allTextContents()).toEqual(["Resin Works Berlin"]);
      expect(await page.getByText(/^Ships to .*FR/).count()).toBe(1);
      await page.goto(url("/shops?country=MX"));
      expect(await found.allTextContents()).toEqual(["Northside Print Lab"]);
      await page.goto(url("/shops?country=France"));
      await page.getByText("Use a two-letter country code such as US").waitFor();
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
      // Prices follow the options without pressing "Update prices": the server prices again (25 pieces
      // are above any minimum order price).
      const northside = shops.filter({ hasText: "Northside Print Lab" });
      // Each option says whether the model prints as is, on which printer.
      expect(await northside.getByTestId("option-printability").first().textContent()).toMatch(
        /^Printable on /,
      );
      // The resin shop charges tax: its breakdown lists it once, as the total counts it.
      const resin = shops.filter({ hasText: "Resin Works Berlin" });
      await resin.getByText("Price breakdown").first().click();
      const lines = await resin.locator("details").first().locator("li").allTextContents();
      expect(lines.filter((l) => l.startsWith("Tax")).length).toBe(1);
      expect(lines.at(-1)).toMatch(/^Total: /);
      const price = northside.getByTestId("quote-price").first();
      const single = await price.textContent();
      await page.locator("html[data-hydrated]").waitFor();
      await page.getByLabel("Quantity").fill("25");
      await page.waitForURL((u) => u.searchParams.get("quantity") === "25");
      await page.getByTestId("pricing-state").filter({ hasNotText: "Updating" }).waitFor();
      await expect.poll(() => price.textContent()).not.toBe(single);
      await page.getByLabel("Quality").selectOption("fine");
      await page.waitForURL((u) => u.searchParams.get("quality") === "fine");
      await page.getByTestId("pricing-state").filter({ hasNotText: "Updating" }).waitFor();
      await northside.getByRole("button", { name: "Order (sign in)" }).first().click();
      await page.waitForURL((u) => u.pathname === "/sign-in");
    });

    it("signs up, comes back to the cart with the chosen quote and pays in test mode", async () => {
      // From "Order (sign in)": the sign-in page's "Create an account" keeps where the visitor was going.
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.waitForURL(
        (u) => u.pathname === "/sign-up" && (u.searchParams.get("redirectTo") ?? "").startsWith("/cart"),
      );
      await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
      await page.getByLabel("Full name").fill("Mara Buyer");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByLabel("Country").selectOption("US");
      await page.getByLabel(/I am (13|16) or older/).check();
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL((u) => u.pathname === "/verify-email" && u.searchParams.get("sent") === "1");
      const mail = await db()
        .selectFrom("outboxMessage")
        .select("bodyText")
        .where("recipient", "=", email)
        .where("template", "=", "verify-email")
        .executeTakeFirstOrThrow();
      // The emailed link signs this browser in and offers to continue to the chosen quote in the cart.
      await page.goto(/https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(mail.bodyText ?? "")?.[0] ?? "");
      await page.getByRole("link", { name: "Continue where you left off" }).click();
      await page.waitForURL(url("/cart"));
      const checkoutForm = page.getByRole("form", { name: /Checkout at/ });
      await checkoutForm.getByLabel("Full name").fill("Mara Buyer");
      await checkoutForm.getByLabel("Street address").fill("7 Filament Way");
      await checkoutForm.getByLabel("City").fill("Portland");
      await checkoutForm.getByLabel("Postal code").fill("97201");
      // An option that does not deliver to the address is refused, and the page says so beside it.
      await checkoutForm.getByLabel("Shipping").selectOption("USPS Ground");
      await checkoutForm.getByLabel("Country", { exact: true }).selectOption("CA");
      await checkoutForm.getByRole("button", { name: "Checkout and pay" }).click();
      await expect.poll(() => checkoutForm.getByLabel("Shipping").getAttribute("aria-invalid")).toBe("true");
      expect(await checkoutForm.getByText("Not delivered to this country").count()).toBe(1);
      expect(new URL(page.url()).pathname).toBe("/cart");
      await checkoutForm.getByLabel("Ship to").selectOption("new");
      await checkoutForm.getByLabel("Country", { exact: true }).selectOption("US");
      await checkoutForm.getByRole("button", { name: "Checkout and pay" }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/checkout/test/"));
      expect(await page.getByText("Test mode: payments are simulated").count()).toBe(1);
      await page.getByRole("button", { name: /Pay .* \(test mode\)/ }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/orders/"));
      orderId = new URL(page.url()).pathname.split("/")[2] ?? "";
      expect(await page.getByTestId("order-status").textContent()).toBe("Paid, in the shop's queue");
    });

    it("the shop works the job on its board to shipped; the customer is told at once; they exchange messages", async () => {
      const row = await db()
        .selectFrom("marketplaceOrder as o")
        .innerJoin("organization as g", "g.id", "o.organizationId")
        .innerJoin("job as j", "j.id", "o.jobId")
        .select(["g.slug", "j.number", "j.status", "o.platformFeeMinor", "o.platformFeeBps"])
        .where("o.id", "=", orderId)
        .executeTakeFirstOrThrow();
      expect(row.slug).toBe("northside-print-lab");
      expect(row.status).toBe("approved");
      expect(row.platformFeeBps).toBe(1000);
      expect(row.platformFeeMinor).toBeGreaterThan(0);
      const n = row.number;
      const card = () => shopPage.locator(`[data-job="${n}"]`);
      const customerMail = async () =>
        (
          await db().selectFrom("outboxMessage").select("subject").where("recipient", "=", email).execute()
        ).map((m) => m.subject);

      // The paid order is a job on the shop's board; scheduling it goes through the schedule.
      await shopPage.goto(url("/org/board"));
      await card()
        .getByText(/Marketplace order #/)
        .first()
        .waitFor();
      await shopPage.getByRole("link", { name: `Schedule job #${n} on a printer` }).click();
      await shopPage.waitForURL((u) => u.pathname === "/org/schedule");
      // Client-side navigation: wait for the schedule form itself, not only for the URL.
      await shopPage.getByRole("button", { name: "Schedule job", exact: true }).waitFor();
      await shopPage.getByLabel("Printer", { exact: true }).selectOption({ label: "Prusa MK4 #1" });
      await shopPage.getByLabel(/^Start \(/).fill("2029-12-20T09:00");
      await shopPage.getByLabel("Duration (minutes)").fill("90");
      await shopPage.getByRole("button", { name: "Schedule job", exact: true }).click();
      await shopPage.getByText(/^Scheduled for/).waitFor();

      const move = async (label: string) => {
        await shopPage.getByRole("button", { name: `Move job #${n} to ${label}` }).click();
        await shopPage.getByText(`Job #${n} moved to ${label}.`).waitFor();
      };
      await shopPage.goto(url("/org/board"));
      await move("Printing");
      // Told at once (email + in the app), before the customer opens anything.
      expect(await customerMail()).toContainEqual(expect.stringMatching(/In production/));
      await move("Post-processing");
      await move("Ready");
      await move("Shipped");
      expect(await customerMail()).toContainEqual(expect.stringMatching(/: Shipped$/));

      // The marketplace order: the tracking number follows, and the shop sees its share after the fee.
      await shopPage.getByRole("link", { name: "Marketplace orders", exact: true }).click();
      await shopPage.getByRole("link", { name: /^#\d+/ }).first().click();
      await shopPage.getByRole("link", { name: "Open the job" }).waitFor();
      expect(await shopPage.getByTestId("shop-order-status").textContent()).toBe("Shipped");
      // The order page stays inside the workspace, and the job links back to it.
      expect(await shopPage.getByRole("navigation", { name: "Workspace", exact: true }).count()).toBe(1);
      const orderUrl = shopPage.url();
      await shopPage.getByRole("link", { name: "Open the job" }).click();
      await shopPage.getByRole("link", { name: /open the order/ }).click();
      await shopPage.waitForURL(orderUrl);
      const money = await shopPage.getByTestId("shop-order-money").textContent();
      expect(money).toContain("Platform fee (10 %)");
      expect(money).toContain("Your share");
      await shopPage.getByLabel("Tracking number").fill("1Z-E2E-42");
      await shopPage.getByRole("button", { name: "Add tracking number" }).click();
      await shopPage.getByText("Tracking number: 1Z-E2E-42").waitFor();

      await page.reload();
      expect(await page.getByTestId("order-status").textContent()).toBe("Shipped");
      expect(await page.getByText("1Z-E2E-42").count()).toBeGreaterThan(0);
      await page.getByLabel(/Message to/).fill("Can't wait, thank you!");
      await page.getByRole("button", { name: "Send message" }).click();
      await page.getByText("Can't wait, thank you!").waitFor();

      await shopPage.reload();
      await shopPage.getByText("Can't wait, thank you!").waitFor();
      // Issue 15: a suggested reply (the local template without an AI key) fills the box; the shop edits it,
      // sends it, and the suggestion is recorded as accepted and edited.
      await shopPage.getByRole("button", { name: "Suggest a reply" }).click();
      await shopPage.getByRole("button", { name: "Dismiss the suggestion" }).waitFor();
      expect(await shopPage.getByLabel(/Message to/).inputValue()).toContain("thank you for your message");
      await shopPage.getByLabel(/Message to/).fill("Enjoy your cube!");
      await shopPage.getByRole("button", { name: "Send message" }).click();
      await shopPage.getByText("Enjoy your cube!").first().waitFor();
      const outcomes = await db()
        .selectFrom("aiSuggestionOutcome")
        .select(["feature", "outcome", "edited"])
        .execute();
      expect(outcomes).toEqual([{ feature: "reply_draft", outcome: "accepted", edited: true }]);

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

    it("sent every email with absolute links only", async () => {
      const sent = await db()
        .selectFrom("outboxMessage")
        .select(["template", "bodyText", "bodyHtml"])
        .execute();
      expect(sent.length).toBeGreaterThan(0);
      for (const m of sent) {
        expect(relativeLinks({ text: m.bodyText ?? "", html: m.bodyHtml ?? undefined }), m.template).toEqual(
          [],
        );
      }
    });

    it("a checkout left open in another tab cannot be paid once the order is cancelled (issue 18)", async () => {
      // Order again: the cart's checkout opens the test payment page, kept open in this tab.
      await page.goto(url(`/orders/${orderId}`));
      await page.getByRole("button", { name: "Order again" }).click();
      await page.waitForURL(url("/cart"));
      await checkOutCart();
      await page.waitForURL((u) => u.pathname.startsWith("/checkout/test/"));
      const sessionId = new URL(page.url()).pathname.split("/")[3] ?? "";
      const row = await db()
        .selectFrom("marketplaceOrder")
        .select(["id", "number"])
        .where("checkoutSessionId", "=", sessionId)
        .executeTakeFirstOrThrow();
      // In a second tab the customer cancels the order.
      const other = await customer.newPage();
      await other.goto(url(`/orders/${row.id}`));
      await other.getByRole("button", { name: "Cancel order" }).click();
      await other.getByTestId("order-status").filter({ hasText: "Cancelled" }).waitFor();
      await other.close();
      // Back in the first tab, the stale payment button is pressed: no money is taken, nothing to make.
      await page.getByRole("button", { name: /Pay .* \(test mode\)/ }).click();
      await page.waitForURL((u) => u.pathname === `/orders/${row.id}`);
      expect(await page.getByTestId("order-status").textContent()).toBe("Cancelled");
      const payments = host.runtime.services.payments;
      const session = isTestModePayments(payments) ? await payments.getTestSession(sessionId) : null;
      expect(session?.status).toBe("expired");
      const after = await db()
        .selectFrom("marketplaceOrder")
        .select(["status", "jobId", "paidAt"])
        .where("id", "=", row.id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ status: "cancelled", jobId: null, paidAt: null });
      await page.goto(url(`/checkout/test/${sessionId}`));
      await page.getByTestId("checkout-closed").filter({ hasText: "order was cancelled" }).waitFor();
      expect(await page.getByRole("button", { name: /Pay .* \(test mode\)/ }).count()).toBe(0);
    });

    it("the shop cancels the job of a paid order: the order is refunded and the shop's order page shows the refund", async () => {
      await page.goto(url(`/orders/${orderId}`));
      await page.getByRole("button", { name: "Order again" }).click();
      await page.waitForURL(url("/cart"));
      await checkOutCart();
      await page.waitForURL((u) => u.pathname.startsWith("/checkout/test/"));
      await page.getByRole("button", { name: /Pay .* \(test mode\)/ }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/orders/"));
      const paidId = new URL(page.url()).pathname.split("/")[2] ?? "";
      const paid = await db()
        .selectFrom("marketplaceOrder")
        .select(["jobId", "totalMinor", "currency"])
        .where("id", "=", paidId)
        .executeTakeFirstOrThrow();
      expect(paid.jobId).not.toBeNull();

      await shopPage.goto(url(`/org/jobs/${paid.jobId}`));
      await shopPage.locator("html[data-hydrated]").waitFor({ state: "attached" });
      await shopPage.getByLabel("Move to").selectOption("cancelled");
      await shopPage.getByRole("button", { name: "Change status" }).click();
      await shopPage.getByText("Now: Cancelled").waitFor();

      await shopPage.goto(url(`/orders/shop/${paidId}`));
      expect(await shopPage.getByTestId("shop-order-status").textContent()).toBe("Cancelled");
      const total = await shopPage
        .getByTestId("shop-order-money")
        .getByRole("definition")
        .first()
        .textContent();
      expect(await shopPage.getByTestId("shop-order-refund").textContent()).toBe(`−${total}`);
      expect(
        await shopPage.getByRole("term").filter({ hasText: "Refund to the customer (issued)" }).count(),
      ).toBe(1);
      const refunded = await db()
        .selectFrom("marketplaceOrder")
        .select(["refundId", "capturedMinor"])
        .where("id", "=", paidId)
        .executeTakeFirstOrThrow();
      expect(refunded.refundId).not.toBeNull();
      expect(refunded.capturedMinor).toBe(paid.totalMinor);
    });

    it("files and photos the shop shares on the job reach the customer's order page, and only those", async () => {
      const { jobId } = await db()
        .selectFrom("marketplaceOrder")
        .select("jobId")
        .where("id", "=", orderId)
        .executeTakeFirstOrThrow();
      // a 1×1 PNG
      const png = Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        "base64",
      );
      const upload = async (name: string, share: boolean) => {
        await shopPage.goto(url(`/org/jobs/${jobId}`));
        await shopPage.locator("html[data-hydrated]").waitFor({ state: "attached" });
        await shopPage.getByLabel("Kind of file").selectOption("photo");
        await shopPage
          .getByLabel("File", { exact: true })
          .setInputFiles({ name, mimeType: "image/png", buffer: png });
        if (share) await shopPage.getByLabel("Share with the customer (shown on their order page)").check();
        await shopPage.getByRole("button", { name: "Upload file" }).click();
        await shopPage.waitForURL((u) => u.searchParams.get("uploaded") === "1");
      };
      await upload("finished-part.png", true);
      await upload("internal-bench-photo.png", false);
      const files = await db()
        .selectFrom("jobFile")
        .select(["id", "fileName", "sharedWithCustomer"])
        .where("jobId", "=", jobId ?? "")
        .where("kind", "=", "photo")
        .orderBy("fileName")
        .execute();
      expect(files.map((f) => [f.fileName, f.sharedWithCustomer])).toEqual([
        ["finished-part.png", true],
        ["internal-bench-photo.png", false],
      ]);
      const [shared, internal] = files;

      await page.goto(url(`/orders/${orderId}`));
      const list = page.getByRole("list", { name: "Files from the shop" });
      expect(await list.getByRole("link").allTextContents()).toEqual(["finished-part.png"]);
      const download = await customer.request.get(url(`/orders/${orderId}/files/${shared?.id}`));
      expect(download.status()).toBe(200);
      expect(Buffer.from(await download.body()).equals(png)).toBe(true);
      expect(download.headers()["content-disposition"]).toContain("attachment");
      expect((await customer.request.get(url(`/orders/${orderId}/files/${internal?.id}`))).status()).toBe(
        404,
      );

      // The shop stops sharing it: gone from the customer's page and its link.
      await shopPage.goto(url(`/org/jobs/${jobId}`));
      await shopPage.getByRole("button", { name: "Stop sharing finished-part.png" }).click();
      await shopPage.getByText("The file is no longer shared.").waitFor();
      await page.reload();
      expect(await page.getByRole("list", { name: "Files from the shop" }).count()).toBe(0);
      expect((await customer.request.get(url(`/orders/${orderId}/files/${shared?.id}`))).status()).toBe(404);
    });
  },
);
