import type { Page } from "playwright-core";

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
