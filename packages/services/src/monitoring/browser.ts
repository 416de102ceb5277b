// The browser side of error reports (P15): the page carries only the DSN (in a meta tag written by the
// apps' root), and the SDK runs with the same scrubber as the server. No Sentry import here: the apps'
// entry.client passes its own @sentry/remix.
import { beforeBreadcrumb, beforeSend } from "./scrub.ts";

/** The meta tag that carries the DSN, the only Sentry setting that reaches the browser. */
export const SENTRY_DSN_META = "ktizo-sentry-dsn";

/** The DSN the server rendered into the page, or null when error reports are off. */
export function readSentryDsn(doc: {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
}): string | null {
  const content = doc.querySelector(`meta[name="${SENTRY_DSN_META}"]`)?.getAttribute("content")?.trim();
  return content ? content : null;
}

/** Options for `Sentry.init` in the browser: scrubbed events and breadcrumbs, no personal data, no tracing. */
export function sentryBrowserOptions(dsn: string) {
  return {
    dsn,
    sendDefaultPii: false,
    tracesSampleRate: 0,
    beforeSend,
    beforeBreadcrumb,
  };
}
