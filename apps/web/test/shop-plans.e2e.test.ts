import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason } from "@ktizo/runtime/testing";
import {
  axeProblems,
  browserUnavailableReason,
  documentWidthProblems,
  gotoHydrated,
  requireOrSkip,
} from "@ktizo/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { browserWorld } from "./browser-steps.ts";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const runnable = requireOrSkip(
  "shop plans browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/**
 * Shop plans in local test mode (issue 16, req. 9): a shop on Free is refused the widget with a clear
 * message, picks Pro, pays the test checkout (the stand-in's signed events through the webhook route's
 * code), is on Pro's trial, and the widget can be switched on; the admin dashboard counts the subscriber.
 */
describe.runIf(runnable)("shop plans", () => {
  const world = browserWorld();
  let shopId = "";

  beforeAll(async () => {
    shopId = (
      await world.host.runtime.db
        .selectFrom("organization")
        .select("id")
        .where("slug", "=", "resin-works-berlin")
        .executeTakeFirstOrThrow()
    ).id;
    // Resin Works is on Free for this test (the demo leaves it a founding shop).
    await world.host.runtime.db
      .insertInto("shopSubscription")
      .values({ organizationId: shopId, plan: "free", status: "active" })
      .execute();
  });

  it("a Free shop subscribes to Pro in test mode and the widget limit is raised", async () => {
    const { context, page } = await world.signedIn(DEMO_USERS.resinOwner);

    // On Free the widget cannot be switched on: the page says why.
    await gotoHydrated(page, `${world.host.webUrl}/org/widget`);
    await page.getByLabel("Show the quote form on my website").check();
    await page.getByRole("button", { name: "Save widget settings" }).click();
    await page.getByText("The quote widget is not part of the Free plan").waitFor();

    // The plan page: pick Pro, pay the test checkout.
    await gotoHydrated(page, `${world.host.webUrl}/org/plan`);
    await page.getByRole("heading", { name: "Current plan: Free" }).waitFor();
    await page.getByRole("button", { name: "Start a free trial of Pro" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/org/plan/checkout/"));
    const checkoutPath = new URL(page.url()).pathname;
    await page.getByText("after a 14-day free trial").waitFor();
    await page.getByRole("button", { name: "Subscribe (test mode)" }).click();
    await page.waitForURL((url) => url.pathname === "/org/plan" && url.searchParams.has("subscribed"));
    await page.getByRole("heading", { name: /Current plan: Pro/ }).waitFor();
    await page.getByText("Trial", { exact: true }).waitFor();
    const row = await world.host.runtime.db
      .selectFrom("shopSubscription")
      .select(["plan", "status"])
      .where("organizationId", "=", shopId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ plan: "pro", status: "trialing" });

    // The limit is raised: the widget switches on.
    await gotoHydrated(page, `${world.host.webUrl}/org/widget`);
    await page.getByLabel("Show the quote form on my website").check();
    await page.getByRole("button", { name: "Save widget settings" }).click();
    await page.getByText("Widget settings saved").waitFor();

    // The customer portal (the test-mode stand-in) opens from the plan page.
    await gotoHydrated(page, `${world.host.webUrl}/org/plan`);
    await page.getByRole("button", { name: "Manage billing in the customer portal" }).click();
    await page.waitForURL((url) => url.pathname === "/org/plan/portal");
    await page.getByRole("button", { name: "Switch to Studio" }).waitFor();

    // Each page passes axe in light and dark and fits a 390 px phone.
    const found: Record<string, unknown[]> = {};
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of ["/org/plan", checkoutPath, "/org/plan/portal"]) {
        await gotoHydrated(page, `${world.host.webUrl}${path}`);
        found[`${colorScheme} ${path}`] = [
          ...(await documentWidthProblems(page)),
          ...(await axeProblems(page, AXE)),
        ];
      }
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    await context.close();

    // The admin dashboard counts the subscribers (the demo's Pro shop and this trial).
    const { context: adminContext, page: admin } = await world.signedIn(
      DEMO_USERS.admin,
      {},
      world.host.adminUrl,
    );
    await gotoHydrated(admin, `${world.host.adminUrl}/`);
    const plans = admin.getByRole("region", { name: "Shop plans" });
    await plans.getByText("Subscribers").waitFor();
    await expect.poll(async () => (await plans.locator("dd").first().textContent())?.trim()).toBe("2");
    await plans.getByText("$29.00").waitFor();
    await adminContext.close();
  });
});
