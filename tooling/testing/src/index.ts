export { browserUnavailableReason, chromiumPath, gotoHydrated, launchBrowser } from "./browser.ts";
export { requireOrSkip } from "./skips.ts";
