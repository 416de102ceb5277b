import { newId } from "@ktizo/db";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "notifications browser test",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

// The header's notifications menu is an interactive component on @trpc/react-query over /api/trpc.
describe.runIf(runnable)("notifications menu", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it("shows unread order notifications and marks them read through /api/trpc", async () => {
    const customer = DEMO_USERS.customer;
    const userId = host.demo.users.customer;
    await host.runtime.db
      .insertInto("customerNotification")
      .values({
        id: newId("cno"),
        userId,
        orderId: null,
        title: "Your order has shipped",
        body: "Tracking 1Z999",
      })
      .execute();

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.webUrl}/sign-in`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    await page.getByLabel("Email").fill(customer.email);
    await page.getByLabel("Password").fill(customer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));

    const trpcCalls: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/trpc/")) trpcCalls.push(new URL(r.url()).pathname);
    });
    const menu = page.getByRole("button", { name: /^Notifications/ });
    await expect.poll(() => menu.textContent()).toContain("1 unread");
    await menu.click();
    await page.getByText("Your order has shipped").waitFor();
    await page.getByRole("button", { name: "Mark all read" }).click();
    await expect.poll(() => menu.textContent()).toBe("Notifications");
    expect(trpcCalls.some((p) => p.includes("marketplace.notifications.markRead"))).toBe(true);

    const rows = await host.runtime.db
      .selectFrom("customerNotification")
      .select("readAt")
      .where("userId", "=", userId)
      .execute();
    expect(rows.every((r) => r.readAt !== null)).toBe(true);
    await context.close();
  });
});
