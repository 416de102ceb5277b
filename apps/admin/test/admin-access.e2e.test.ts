import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, fillSignIn, hostedBrowserWorld, requireOrSkip } from "@ktizo/testing";
import { describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "admin console browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("admin console access", () => {
  const world = hostedBrowserWorld(() => startTestHost());

  it("sends a visitor who is not signed in to the sign-in page, then back to the page asked for", async () => {
    const context = await world.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${world.host.adminUrl}/users`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/users");
    await fillSignIn(page, DEMO_USERS.admin);
    await page.waitForURL((url) => url.pathname === "/users");
    // The new page's content, not only its URL (the sign-in form navigates on the client).
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    await context.close();
  });

  it("offers a way to sign in from the not-found page", async () => {
    const page = await world.browser.newPage();
    const response = await page.goto(`${world.host.adminUrl}/no-such-page`);
    expect(response?.status()).toBe(404);
    await page.getByRole("link", { name: "Sign in to the admin console" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.close();
  });

  it("fits a phone screen: no page wider than the viewport, the navigation reachable", async () => {
    const { context, page } = await world.signedIn(
      DEMO_USERS.admin,
      { viewport: { width: 390, height: 844 } },
      world.host.adminUrl,
    );
    for (const path of ["/", "/users", "/organizations", "/outbox", "/sms", "/privacy", "/policies"]) {
      await page.goto(`${world.host.adminUrl}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(390);
      await expect.poll(() => page.getByRole("navigation", { name: "Admin" }).isVisible()).toBe(true);
    }
    await context.close();
  });

  it("refuses a signed-in shop owner with 404", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.northsideOwner, {}, world.host.adminUrl);
    const response = await page.goto(`${world.host.adminUrl}/`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await context.close();
  });

  it("lets a platform admin in", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.admin, {}, world.host.adminUrl);
    const response = await page.goto(`${world.host.adminUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");
    expect(await page.getByText("database: PGlite").count()).toBe(1);
    await context.close();
  });

  it("disables a user from /users and that user's session ends", async () => {
    const { email, password, name } = DEMO_USERS.customer;
    // The customer is signed in on the web app.
    const { context: customer, page: customerPage } = await world.signedIn({ email, password });
    expect((await customerPage.goto(`${world.host.webUrl}/account`))?.url()).toBe(
      `${world.host.webUrl}/account`,
    );

    // The admin finds them and disables the account, giving a reason.
    const { context: admin, page } = await world.signedIn(DEMO_USERS.admin, {}, world.host.adminUrl);
    await page.goto(`${world.host.adminUrl}/users`);
    await page.getByLabel("Search by name or email").fill(email);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === email);
    const row = page.getByRole("row").filter({ hasText: email });
    expect(await page.getByRole("table", { name: "Users" }).getByRole("row").count()).toBe(2);
    await row.getByText(`Disable… ${name}`).click();
    // No reason: refused beside the field, nothing changes.
    await row.getByRole("button", { name: "Confirm: disable account" }).click();
    await page
      .getByRole("row")
      .filter({ hasText: email })
      .getByRole("alert")
      .filter({ hasText: "Give a reason" })
      .waitFor();
    await page.getByLabel(`Reason for disabling ${name}`).fill("Chargeback fraud, ticket 4711");
    await page.getByRole("button", { name: "Confirm: disable account" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "The account is disabled and 1 session was ended." })
      .waitFor();
    await page.getByRole("row").filter({ hasText: email }).getByText("Disabled").waitFor();

    const user = await world.host.runtime.db
      .selectFrom("user")
      .select(["id", "banned", "banReason"])
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ banned: true, banReason: "Chargeback fraud, ticket 4711" });
    const sessions = await world.host.runtime.db
      .selectFrom("session")
      .select("id")
      .where("userId", "=", user.id)
      .execute();
    expect(sessions).toHaveLength(0);

    // The customer's next request finds no session, and signing in again is refused.
    await customerPage.goto(`${world.host.webUrl}/account`);
    expect(new URL(customerPage.url()).pathname).toBe("/sign-in");
    await fillSignIn(customerPage, { email, password });
    await customerPage.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor();
    await Promise.all([customer.close(), admin.close()]);
  });

  it("lists organizations and opens an outbox message", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.admin, {}, world.host.adminUrl);
    await page.goto(`${world.host.adminUrl}/organizations?q=northside`);
    expect(await page.getByRole("table", { name: "Organizations" }).getByRole("row").count()).toBe(2);

    await world.host.runtime.services.mail.send({
      to: "outbox-reader@example.com",
      subject: "Hello from the outbox",
      text: "Body line one\nBody line two",
      template: "test-message",
      category: "service",
      userId: null,
    });
    await page.goto(`${world.host.adminUrl}/outbox`);
    await page.getByLabel("Search by recipient").fill("outbox-reader");
    await page.getByLabel("Channel").selectOption("email");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((url) => url.searchParams.get("channel") === "email");
    await page.getByRole("link", { name: "Hello from the outbox" }).click();
    await page.getByRole("heading", { level: 1, name: "Hello from the outbox" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/outbox\/.+/);
    expect(await page.getByTestId("outbox-body").textContent()).toBe("Body line one\nBody line two");
    await context.close();
  });
});
