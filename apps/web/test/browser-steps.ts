import { startTestHost, type TestHost } from "@ktizo/runtime/testing";
import { type BrowserWorld, hostedBrowserWorld } from "@ktizo/testing";
import type { Page } from "playwright-core";

export { signedInContext, signIn } from "@ktizo/testing";

type Env = Record<string, string>;

/**
 * The set-up every web browser test file shares: called in a `describe`, it starts a test host (with
 * `env`, or with what `env()` resolves to once the block starts, e.g. after a loopback server is up) and
 * a browser before the block's tests and closes both after them (`hostedBrowserWorld` of
 * `@ktizo/testing` on the runtime's test host).
 */
export function browserWorld(env: Env | (() => Promise<Env>) = {}): BrowserWorld<TestHost> {
  return hostedBrowserWorld(async () => startTestHost(typeof env === "function" ? await env() : env));
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
