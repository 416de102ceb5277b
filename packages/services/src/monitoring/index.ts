export { readSentryDsn, SENTRY_DSN_META, sentryBrowserOptions } from "./browser.ts";
export {
  beforeBreadcrumb,
  beforeSend,
  FILTERED,
  isSensitiveName,
  type ScrubbableBreadcrumb,
  type ScrubbableEvent,
  scrubBreadcrumb,
  scrubEvent,
  scrubString,
  scrubValue,
} from "./scrub.ts";
