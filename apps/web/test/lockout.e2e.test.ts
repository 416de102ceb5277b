import { LOCKOUT_MAX_FAILURES, SIGN_IN_FAILED_MESSAGE } from "@ktizo/auth";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, gotoHydrated, launchBrowser, requireOrSkip } from "@ktizo/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const runnable = requireOrSkip(
  "web lockout browser tests",
  browserUnavailableReason() ?? appsNotBuiltReason(),
);

describe.runIf(runnable)("sign-in lockout (P5)", () => {
  let host: TestHost;
  let browser: Browser;
  beforeAll(async () => {
    [host, browser] = await Promise.all([startTestHost(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function attempt(page: Page, email: string, password: string) {
    await gotoHydrated(page, `${host.webUrl}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForLoadState("networkidle");
  }

  it(`refuses the right password after ${LOCKOUT_MAX_FAILURES} wrong ones, with the same message`, async () => {
    const page = await browser.newPage();
    const { email, password } = DEMO_USERS.customer;
    const messages: string[] = [];
    for (let i = 0; i < LOCKOUT_MAX_FAILURES; i++) {
      await attempt(page, email, `wrong password ${i}`);
      messages.push((await page.getByRole("alert").first().textContent()) ?? "");
    }
    await attempt(page, email, password);
    const locked = (await page.getByRole("alert").first().textContent()) ?? "";

    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(messages[0]).toContain(SIGN_IN_FAILED_MESSAGE);
    // The locked account's answer cannot be told apart from a wrong password.
    expect(new Set([...messages, locked]).size).toBe(1);
    const sessions = await host.runtime.db
      .selectFrom("session")
      .innerJoin("user", "user.id", "session.userId")
      .select("session.id")
      .where("user.email", "=", email)
      .execute();
    expect(sessions).toHaveLength(0);
    await page.close();
  });

  it("lets the locked-out owner back in through a password reset (the lock is never for good)", async () => {
    const page = await browser.newPage();
    const { email } = DEMO_USERS.customer;
    // Known and unknown addresses get the same answer.
    const answers: string[] = [];
    for (const address of ["nobody@example.com", email]) {
      await gotoHydrated(page, `${host.webUrl}/forgot-password`);
      await page.getByLabel("Email").fill(address);
      await page.getByRole("button", { name: "Send reset link" }).click();
      const status = page.getByRole("status");
      await status.waitFor();
      answers.push(((await status.textContent()) ?? "").replace(address, "<email>"));
    }
    expect(answers[0]).toBe(answers[1]);
    const unknown = await host.runtime.db
      .selectFrom("outboxMessage")
      .select("id")
      .where("recipient", "=", "nobody@example.com")
      .execute();
    expect(unknown).toHaveLength(0);

    const mail = await host.runtime.db
      .selectFrom("outboxMessage")
      .select("bodyText")
      .where("recipient", "=", email)
      .where("template", "=", "password-reset")
      .executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/api\/auth\/reset-password\/\S+/.exec(mail.bodyText)?.[0];
    expect(link?.startsWith(`${host.webUrl}/`)).toBe(true);
    await gotoHydrated(page, link ?? "");
    await page.waitForURL((url) => url.pathname === "/reset-password" && url.searchParams.has("token"));

    // The policy is checked beside the field; then a good password goes through.
    await page.getByLabel("New password", { exact: true }).fill("password1234");
    await page.getByLabel("Repeat the new password").fill("password1234");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.getByRole("alert").filter({ hasText: "common" }).waitFor();
    const fresh = "a brand new passphrase";
    await page.getByLabel("New password", { exact: true }).fill(fresh);
    await page.getByLabel("Repeat the new password").fill(fresh);
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL(`${host.webUrl}/sign-in?reset=1`);

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(fresh);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${host.webUrl}/`);
    await page.getByRole("banner").getByText(email).waitFor();
    await page.close();
  });
});
