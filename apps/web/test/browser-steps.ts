import { startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { gotoHydrated, launchBrowser } from "@ktizo/testing";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/** A test host (built apps, fresh database) and a browser, with a way to open a signed-in context. */
export interface BrowserWorld {
  host: TestHost;
  browser: Browser;
  /** A fresh browser context signed in as one of the demo users. */
  signedIn(
    user: { email: string; password: string },
    options?: BrowserContextOptions,
  ): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * The set-up most browser test files share: called in a `describe`, it starts a test host (with `env`)
 * and a browser before the block's tests and closes both after them. Read `host` and `browser` inside
 * hooks and tests (they are set once the block starts).
 */
export function browserWorld(env: Record<string, string> = {}): BrowserWorld {
  const world = {
    signedIn: (user, options = {}) => signedInContext(world.browser, world.host.webUrl, user, options),
  } as BrowserWorld;
  beforeAll(async () => {
    [world.host, world.browser] = await Promise.all([startTestHost(env), launchBrowser()]);
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.host?.close();
  });
  return world;
}

/** Signs `page` in as `user` through the sign-in form at `webUrl`; resolves once it has left the form. */
export async function signIn(page: Page, webUrl: string, user: { email: string; password: string }) {
  await gotoHydrated(page, `${webUrl}/sign-in`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

/** A fresh browser context signed in as `user` (a demo user) through the sign-in form. */
export async function signedInContext(
  browser: Browser,
  webUrl: string,
  user: { email: string; password: string },
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await signIn(page, webUrl, user);
  return { context, page };
}

/**
 * From the cart: checks out the shop's items to a new US address and pays on the test-mode payment page.
 * Ends on the order's page; returns the order's id.
 */
export async function checkoutAndPayInTestMode(page: Page, shopName: string): Promise<string> {
  const checkoutForm = page.getByRole("form", { name: `Checkout at ${shopName}` });
  const shipTo = checkoutForm.getByLabel("Ship to");
  if (await shipTo.count()) await shipTo.selectOption("new");
  await checkoutForm.getByLabel("Full name").fill("Cal Customer");
  await checkoutForm.getByLabel("Street address").fill("7 Filament Way");
  await checkoutForm.getByLabel("City").fill("Portland");
  await checkoutForm.getByLabel("Postal code").fill("97201");
  await checkoutForm.getByLabel("Country", { exact: true }).selectOption("US");
  await checkoutForm.getByRole("button", { name: "Checkout and pay" }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/checkout/test/"));
  await page.getByRole("button", { name: /Pay .* \(test mode\)/ }).click();
  await page.waitForURL((u) => u.pathname.startsWith("/orders/"));
  return new URL(page.url()).pathname.split("/")[2] ?? "";
}
