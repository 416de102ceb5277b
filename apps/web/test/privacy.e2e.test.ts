import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "web privacy browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

/** The only cookies Ktizo may ever set (P18). */
const ALLOWED = new Set(["ktizo.session_token", "ktizo.device", "ktizo-theme", "ktizo_consent"]);

describe.runIf(runnable)("cookie consent and the privacy center in a real browser", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  const names = async (context: BrowserContext) => (await context.cookies()).map((c) => c.name).sort();

  it("lists every cookie before consent, after accept and after reject", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.webUrl}/`);
    const banner = page.getByRole("region", { name: "Cookies and analytics" });
    await banner.waitFor();
    const accept = banner.getByRole("button", { name: "Accept analytics" });
    const reject = banner.getByRole("button", { name: "Reject analytics" });
    // Equal weight: same classes, so the same size, colour and emphasis.
    expect(await accept.getAttribute("class")).toBe(await reject.getAttribute("class"));
    expect(await names(context)).toEqual([]);

    await accept.click();
    // The notice goes once the choice is stored.
    await expect.poll(() => page.getByRole("region", { name: "Cookies and analytics" }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await names(context)).toEqual(["ktizo_consent"]);
    expect((await context.cookies()).find((c) => c.name === "ktizo_consent")).toMatchObject({
      value: "accepted",
      httpOnly: true,
    });
    await page.reload();
    expect(await page.getByRole("region", { name: "Cookies and analytics" }).count()).toBe(0);

    // Changing the choice on /cookies.
    await page.goto(`${host.webUrl}/cookies`);
    await page.getByRole("main").getByRole("button", { name: "Reject analytics" }).click();
    await expect
      .poll(async () => (await context.cookies()).map((c) => `${c.name}=${c.value}`))
      .toEqual(["ktizo_consent=rejected"]);
    await context.close();

    // A fresh visitor who rejects, then signs in: session + consent only.
    const second = await browser.newContext();
    const p2 = await second.newPage();
    await p2.goto(`${host.webUrl}/sign-in`);
    await p2
      .getByRole("region", { name: "Cookies and analytics" })
      .getByRole("button", { name: "Reject analytics" })
      .click();
    await expect.poll(() => names(second)).toEqual(["ktizo_consent"]);
    await p2.getByLabel("Email").fill(DEMO_USERS.customer.email);
    await p2.getByLabel("Password").fill(DEMO_USERS.customer.password);
    await p2.getByRole("button", { name: "Sign in" }).click();
    await p2.waitForURL((url) => url.pathname !== "/sign-in");
    const all = await names(second);
    expect(all).toContain("ktizo.session_token");
    for (const name of all) expect(ALLOWED.has(name), name).toBe(true);
    await second.close();
  });

  it("the privacy center: choices, export request, deletion scheduled and undone", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.webUrl}/cookies`);
    await page.getByRole("main").getByRole("button", { name: "Reject analytics" }).click();
    await expect.poll(() => names(context)).toEqual(["ktizo_consent"]);
    await page.goto(`${host.webUrl}/sign-in`);
    await page.getByLabel("Email").fill(DEMO_USERS.northsideMember.email);
    await page.getByLabel("Password").fill(DEMO_USERS.northsideMember.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/sign-in");
    await page.goto(`${host.webUrl}/account/privacy`);

    await page.getByLabel("AI features").uncheck();
    await page.getByRole("button", { name: "Save privacy choices" }).click();
    await page.getByText("Your privacy settings are saved.").waitFor();
    const user = await host.runtime.db
      .selectFrom("user")
      .select("id")
      .where("email", "=", DEMO_USERS.northsideMember.email)
      .executeTakeFirstOrThrow();
    const settings = await host.runtime.db
      .selectFrom("privacySettings")
      .selectAll()
      .where("userId", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(settings.aiOff).toBe(true);

    await page.getByRole("button", { name: "Request my data" }).click();
    await page.getByText("We are preparing your data.").waitFor();
    await page.getByRole("button", { name: "Request my data" }).click();
    await page.getByRole("alert").filter({ hasText: "one export every 24 hours" }).waitFor();

    await page.getByLabel('Type "delete my account" to confirm').fill("delete my account");
    await page.getByRole("button", { name: "Delete my account" }).click();
    // This session ended with the others: the page goes to sign-in by itself. Wait for that before
    // navigating, so the two navigations do not race.
    await page.getByRole("heading", { name: "Sign in to Ktizo" }).waitFor();
    // Every session ended: the next page asks to sign in too.
    await page.goto(`${host.webUrl}/account/privacy`);
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.getByLabel("Email").fill(DEMO_USERS.northsideMember.email);
    await page.getByLabel("Password").fill(DEMO_USERS.northsideMember.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/sign-in");
    await page.goto(`${host.webUrl}/account/privacy`);
    await page.getByText("Your account is scheduled for deletion on").waitFor();
    await page.getByRole("button", { name: "Undo deletion" }).click();
    await page.getByText("Deletion cancelled: your account stays.").waitFor();
    await context.close();
  });
});
