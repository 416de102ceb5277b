import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "admin console browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("admin console access", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${host.adminUrl}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  }

  it("answers 404 to a visitor who is not signed in", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${host.adminUrl}/`);
    expect(response?.status()).toBe(404);
    await page.close();
  });

  it("refuses a signed-in shop owner with 404", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, DEMO_USERS.northsideOwner.email, DEMO_USERS.northsideOwner.password);
    const response = await page.goto(`${host.adminUrl}/`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    await context.close();
  });

  it("lets a platform admin in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
    const response = await page.goto(`${host.adminUrl}/`);
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Overview");
    expect(await page.getByText("database: PGlite").count()).toBe(1);
    await context.close();
  });
});
