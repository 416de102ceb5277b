import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { gotoHydrated, launchBrowser } from "./browser.ts";

/** A demo user's (or a test's own user's) sign-in. */
export interface Credentials {
  email: string;
  password: string;
}

/** What a browser world needs of its host: the web app's origin and a way to stop it. */
export interface BrowserHost {
  webUrl: string;
  close(): Promise<void>;
}

/** A host (the built apps) and a browser, with a way to open a signed-in context. */
export interface BrowserWorld<H extends BrowserHost> {
  host: H;
  browser: Browser;
  /**
   * A fresh browser context signed in as `user` through the sign-in form at `origin` (the web app's
   * unless given, e.g. the admin console's).
   */
  signedIn(
    user: Credentials,
    options?: BrowserContextOptions,
    origin?: string,
  ): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * The set-up every browser test file shares: called in a `describe`, it starts the host (`start`, e.g.
 * `() => startTestHost(env)` from `@ktizo/runtime/testing`) and a browser before the block's tests and
 * closes both after them. Read `host` and `browser` inside hooks and tests (they are set once the block
 * starts).
 */
export function hostedBrowserWorld<H extends BrowserHost>(start: () => Promise<H>): BrowserWorld<H> {
  const world = {
    signedIn: (user, options = {}, origin) =>
      signedInContext(world.browser, origin ?? world.host.webUrl, user, options),
  } as BrowserWorld<H>;
  beforeAll(async () => {
    [world.host, world.browser] = await Promise.all([start(), launchBrowser()]);
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.host?.close();
  });
  return world;
}

/**
 * Signs `page` in as `user` through the sign-in form at `origin` (the web app or the admin console);
 * resolves once it has left the form.
 */
export async function signIn(page: Page, origin: string, user: Credentials) {
  await gotoHydrated(page, `${origin}/sign-in`);
  await fillSignIn(page, user);
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

/** Fills and submits a sign-in form the page already shows (e.g. after a redirect to it). */
export async function fillSignIn(page: Page, user: Credentials) {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A fresh browser context signed in as `user` through the sign-in form at `origin`. */
export async function signedInContext(
  browser: Browser,
  origin: string,
  user: Credentials,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await signIn(page, origin, user);
  return { context, page };
}
