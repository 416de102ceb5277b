import { LOCKOUT_MAX_FAILURES, SIGN_IN_FAILED_MESSAGE } from "@ktizo/auth";
import { DEMO_USERS } from "@ktizo/runtime";
import { appsNotBuiltReason, startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { browserUnavailableReason, launchBrowser, requireOrSkip } from "@ktizo/testing";
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
    await page.goto(`${host.webUrl}/sign-in`);
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
});
