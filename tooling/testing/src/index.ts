export { browserUnavailableReason, chromiumPath, gotoHydrated, launchBrowser } from "./browser.ts";
export {
  type BrowserHost,
  type BrowserWorld,
  type Credentials,
  fillSignIn,
  hostedBrowserWorld,
  signedInContext,
  signIn,
} from "./browser-world.ts";
export {
  type CrawlApp,
  type CrawlOptions,
  type CrawlResult,
  type CrawlRole,
  crawl,
  linksOf,
  type Visit,
} from "./crawl.ts";
export { mergeCookies, signInOverHttp } from "./http-session.ts";
export { corpusModelPath } from "./models.ts";
export {
  axeProblems,
  checkPagesInBrowser,
  documentWidthProblems,
  type PageCheckOptions,
  type PageProblem,
  pagesToOpen,
} from "./page-checks.ts";
export { type RouteFile, readRouteFiles, routesForPath } from "./routes.ts";
export { requireOrSkip } from "./skips.ts";
