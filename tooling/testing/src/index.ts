export { browserUnavailableReason, chromiumPath, launchBrowser } from "./browser.ts";
export { requireOrSkip } from "./skips.ts";
