import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** The system Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** Why browser tests cannot run here, or null when they can. */
export function browserUnavailableReason(): string | null {
  const path = chromiumPath();
  return existsSync(path)
    ? null
    : `no Chromium at ${path} (install Debian's "chromium" or set CHROMIUM_PATH)`;
}

// Flags that keep a headless Chromium quiet on a machine with no outside network, and runnable as root.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--no-first-run",
  "--no-default-browser-check",
];

/** Launches the system Chromium headless; playwright gives it a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: FLAGS });
}

/**
 * Opens a page of a Ktizo app and waits until React has hydrated it (the root marks
 * `html[data-hydrated]`), so typed values are not reset and client-side handlers are attached.
 */
export async function gotoHydrated(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}
