export { browserUnavailableReason, chromiumPath, gotoHydrated, launchBrowser } from "./browser.ts";
export { corpusModelPath } from "./models.ts";
export { requireOrSkip } from "./skips.ts";
