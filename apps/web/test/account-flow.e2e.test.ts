import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "web account browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("sign-up to shop: the account flow in a real browser", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  /** The newest outbox email of a template to an address (the local mail stand-in records them all). */
  async function lastEmail(to: string, template: string) {
    return host.runtime.db
      .selectFrom("outboxMessage")
      .select(["subject", "bodyText", "channel"])
      .where("recipient", "=", to)
      .where("template", "=", template)
      .orderBy("createdAt", "desc")
      .executeTakeFirst();
  }

  const userCount = async (email: string) =>
    Number(
      (
        await host.runtime.db
          .selectFrom("user")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("email", "=", email)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("refuses an under-age sign-up and keeps nothing of it", async () => {
    const page = await browser.newPage();
    const email = "too-young@example.com";
    await gotoHydrated(page, `${host.webUrl}/sign-up`);
    await page.getByLabel("Full name").fill("Young Person");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
    await page.getByLabel("Country").selectOption("FR");
    // The label follows the country once the page is interactive: France is in the EU.
    await expect.poll(() => page.getByLabel("I am 16 or older").count()).toBe(1);
    await page.getByRole("button", { name: "Create account" }).click();
    const error = page.getByRole("alert").filter({ hasText: "You must be 16 or older" });
    await error.waitFor();
    expect(await page.getByLabel("I am 16 or older").getAttribute("aria-describedby")).toContain(
      await error.getAttribute("id"),
    );
    expect(await userCount(email)).toBe(0);
    expect(await lastEmail(email, "verify-email")).toBeUndefined();
    await page.close();
  });

  it("shows the password policy beside the field", async () => {
    const page = await browser.newPage();
    await gotoHydrated(page, `${host.webUrl}/sign-up`);
    await page.getByLabel("Full name").fill("Short Password");
    await page.getByLabel("Email").fill("short@example.com");
    await page.getByLabel("Password", { exact: true }).fill("password123");
    await page.getByLabel("Country").selectOption("US");
    await page.getByLabel("I am 13 or older").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("alert").filter({ hasText: "most common" }).waitFor();
    expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await userCount("short@example.com")).toBe(0);
    await page.close();
  });

  it("signs up, confirms the email, signs in, creates a shop, invites a member, switches theme, signs out", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const email = "new.owner@example.com";
    const password = "layer lines and coffee";

    // Sign up: the answer is "check your email".
    await gotoHydrated(page, `${host.webUrl}/sign-up`);
    await page.getByLabel("Full name").fill("Nia Owner");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Country").selectOption("DE");
    await page.getByLabel("I am 16 or older").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${host.webUrl}/verify-email?sent=1`);
    // hydrated pages navigate on the client: the URL can change a moment before the new page renders
    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();

    // The verification email points at this host; opening it confirms and signs in.
    const verification = await lastEmail(email, "verify-email");
    expect(verification?.channel).toBe("email");
    const link = /https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(verification?.bodyText ?? "")?.[0];
    expect(link?.startsWith(`${host.webUrl}/`)).toBe(true);
    await gotoHydrated(page, link ?? "");
    await page.waitForURL((url) => url.pathname === "/verify-email" && url.searchParams.has("verified"));
    await page.getByRole("heading", { level: 1, name: "Your email is confirmed" }).waitFor();
    const user = await host.runtime.db
      .selectFrom("user")
      .select(["emailVerified", "country"])
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ emailVerified: true, country: "DE" });

    // Sign out and back in with the password.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${host.webUrl}/`);
    await gotoHydrated(page, `${host.webUrl}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${host.webUrl}/`);
    await page.getByText(email).waitFor();

    // Without an organization the workspace sends the user to create one.
    await gotoHydrated(page, `${host.webUrl}/org`);
    await page.waitForURL(`${host.webUrl}/org/new`);
    await page.getByLabel("Shop name").fill("Layer Lab Berlin");
    await page.getByLabel("Web address (optional)").fill("layer-lab-berlin");
    await page.getByText(`${host.webUrl}/shops/layer-lab-berlin`).waitFor();
    await page.getByLabel("Company name").fill("Layer Lab GmbH");
    await page.getByLabel("Phone").fill("+49 30 1234567");
    await page.getByLabel("Address line 1").fill("Torstraße 1");
    await page.getByLabel("City").fill("Berlin");
    await page.getByLabel("Postal code").fill("10119");
    await page.getByLabel("Country").selectOption("DE");
    await page.getByLabel("Currency").selectOption("EUR");
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.waitForURL(`${host.webUrl}/org?created=1`);
    await page.getByRole("status").filter({ hasText: "Layer Lab Berlin is ready" }).waitFor();
    const org = await host.runtime.db
      .selectFrom("organization")
      .innerJoin("organizationProfile", "organizationProfile.organizationId", "organization.id")
      .select(["organization.slug", "organizationProfile.companyName", "organizationProfile.currency"])
      .where("organization.name", "=", "Layer Lab Berlin")
      .executeTakeFirstOrThrow();
    expect(org).toEqual({ slug: "layer-lab-berlin", companyName: "Layer Lab GmbH", currency: "EUR" });

    // Invite a member; the invitation email links to the invitation page on this host.
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Members" }).click();
    await page.waitForURL(`${host.webUrl}/org/members`);
    await page.getByLabel("Email address").fill("new.maker@example.com");
    await page.getByLabel("Role", { exact: true }).selectOption("admin");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("status").filter({ hasText: "Invitation sent to new.maker@example.com" }).waitFor();
    await page
      .getByRole("table", { name: "Pending invitations" })
      .getByRole("cell", { name: "new.maker@example.com", exact: true })
      .waitFor();
    const invitation = await lastEmail("new.maker@example.com", "organization-invitation");
    expect(invitation?.bodyText).toContain("Layer Lab Berlin");
    const pending = await host.runtime.db
      .selectFrom("invitation")
      .select(["id", "role", "status"])
      .where("email", "=", "new.maker@example.com")
      .executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ role: "admin", status: "pending" });
    // The link's origin comes from process.env in packages/api (reported), so only its path is checked.
    expect(invitation?.bodyText).toContain(`/invitations/${pending.id}`);

    // Dark theme: saved in the preference cookie and rendered by the server (no flash after reload).
    await page.getByRole("combobox", { name: "Theme" }).selectOption("dark");
    await page.waitForFunction(() => document.documentElement.classList.contains("dark"));
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.className)).toBe("dark");
    const html = await (await context.request.get(`${host.webUrl}/org/members`)).text();
    expect(html).toMatch(/<html lang="en" class="dark"/);

    // Sign out ends the session: the account page asks to sign in again.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${host.webUrl}/`);
    await page.getByRole("banner").getByRole("link", { name: "Sign in" }).waitFor();
    await gotoHydrated(page, `${host.webUrl}/account`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    await context.close();
  });
});
