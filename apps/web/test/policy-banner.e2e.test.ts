import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "policy banner and admin privacy browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

const DAY = 24 * 60 * 60 * 1000;

describe.runIf(runnable)("policy changes and the admin privacy pages in a real browser (P29, P31)", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function signIn(page: Page, baseUrl: string, email: string, password: string) {
    await page.goto(`${baseUrl}/sign-in`);
    await page.locator("html[data-hydrated]").waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  }

  it("an admin publishes a new privacy policy; the user sees the banner, and accepts it once it takes effect", async () => {
    const { customer, admin } = DEMO_USERS;
    const user = await browser.newContext();
    const userPage = await user.newPage();
    await signIn(userPage, host.webUrl, customer.email, customer.password);
    // The seeded version 1 was accepted when the session started: no banner.
    expect(await userPage.getByRole("region", { name: "Policy changes" }).count()).toBe(0);
    await userPage.goto(`${host.webUrl}/policies/privacy`);
    await expect.poll(() => userPage.getByText("PART A — MARKETPLACE").count()).toBe(1);

    const console = await browser.newContext();
    const adminPage = await console.newPage();
    await signIn(adminPage, host.adminUrl, admin.email, admin.password);
    await adminPage.getByRole("link", { name: "Policies" }).click();
    await adminPage.waitForURL(`${host.adminUrl}/policies`);
    const versions = adminPage.getByRole("table", { name: "Policy versions" });
    await expect.poll(() => versions.getByRole("row").count()).toBe(2);
    const publish = async (daysAhead: number) => {
      const day = new Date(Date.now() + daysAhead * DAY).toISOString().slice(0, 10);
      await adminPage.getByLabel("Policy", { exact: true }).selectOption("privacy");
      await adminPage.getByLabel("Title").fill("Privacy policy");
      await adminPage.getByLabel("Effective date").fill(day);
      await adminPage
        .getByLabel("What changes (shown in the email and banner)")
        .fill("Error reports now go to Sentry.");
      await adminPage.getByLabel("Text").fill("Version two of the privacy policy.");
      await adminPage.getByRole("button", { name: "Publish" }).click();
      return day;
    };
    // Less than 30 days' notice is refused.
    await publish(10);
    await adminPage.getByRole("alert").filter({ hasText: "at least 30 days from now" }).waitFor();
    await expect.poll(() => versions.getByRole("row").count()).toBe(2);
    const effective = await publish(31);
    await adminPage.getByText(`Version 2 published; it takes effect on ${effective}.`).waitFor();
    await expect.poll(() => versions.getByRole("row").count()).toBe(3);

    // The user, still in the same session, is told of the coming change.
    await userPage.goto(`${host.webUrl}/`);
    const banner = userPage.getByRole("region", { name: "Policy changes" });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`changes on ${effective}. Error reports now go to Sentry.`);

    // Time passes (the test moves the dates): version 2 is in force and this session never accepted it.
    await host.runtime.db
      .updateTable("policyVersion")
      .set({
        effectiveAt: new Date(Date.now() - DAY),
        publishedAt: new Date(Date.now() - 32 * DAY),
      })
      .where("kind", "=", "privacy")
      .where("version", "=", 2)
      .execute();
    await userPage.reload();
    await userPage.locator("html[data-hydrated]").waitFor();
    await banner.waitFor();
    expect(await banner.textContent()).toContain("changed on");
    await banner.getByRole("button", { name: "Accept" }).click();
    await expect.poll(() => userPage.getByRole("region", { name: "Policy changes" }).count()).toBe(0);
    const accepted = await host.runtime.db
      .selectFrom("policyAcceptance")
      .innerJoin("policyVersion", "policyVersion.id", "policyAcceptance.policyVersionId")
      .innerJoin("user", "user.id", "policyAcceptance.userId")
      .select(["policyVersion.version", "policyAcceptance.context"])
      .where("user.email", "=", customer.email)
      .where("policyVersion.kind", "=", "privacy")
      .orderBy("policyVersion.version")
      .execute();
    expect(accepted).toEqual([
      { version: 1, context: "sign-up" },
      { version: 2, context: "banner" },
    ]);
    // The public page now shows version 2.
    await userPage.goto(`${host.webUrl}/policies/privacy`);
    await userPage.getByText("Version two of the privacy policy.").waitFor();

    await user.close();
    await console.close();
  });

  it("the admin console lists open privacy requests with their age", async () => {
    const db = host.runtime.db;
    const customer = await db
      .selectFrom("user")
      .select("id")
      .where("email", "=", DEMO_USERS.customer.email)
      .executeTakeFirstOrThrow();
    // An export stuck for 26 days (warn) and one 31 days old (overdue), as if the job had stopped.
    for (const [id, days] of [
      ["prq_e2e_warn", 26],
      ["prq_e2e_overdue", 31],
    ] as const) {
      await db
        .insertInto("privacyRequest")
        .values({
          id,
          kind: "export",
          status: "pending",
          userId: customer.id,
          requestedAt: new Date(Date.now() - days * DAY - 60_000),
        })
        .execute();
    }
    const console = await browser.newContext();
    const page = await console.newPage();
    await signIn(page, host.adminUrl, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
    await page.getByRole("link", { name: "Privacy requests" }).click();
    await page.waitForURL(`${host.adminUrl}/privacy`);
    const table = page.getByRole("table", { name: "Open privacy requests" });
    await table.waitFor();
    const rows = table.getByRole("row").filter({ hasText: "Data export" });
    await expect.poll(() => rows.count()).toBe(2);
    // Oldest first, with their age and urgency.
    expect(await rows.nth(0).textContent()).toContain("31 days · overdue");
    expect(await rows.nth(1).textContent()).toContain("26 days");
    expect(await rows.nth(1).textContent()).not.toContain("overdue");
    expect(await rows.nth(0).textContent()).toContain(DEMO_USERS.customer.email);
    await console.close();
  });
});
