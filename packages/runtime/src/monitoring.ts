import {
  beforeBreadcrumb,
  beforeSend,
  type ScrubbableBreadcrumb,
  type ScrubbableEvent,
} from "@ktizo/services/monitoring";
import * as Sentry from "@sentry/remix";

/**
 * Error reports (P15). With SENTRY_DSN the server side of both Remix apps reports through @sentry/remix;
 * every event and breadcrumb passes the scrubber of @ktizo/services/monitoring first, and the SDK is
 * told to collect no personal data of its own. Without it nothing is reported (errors are still logged).
 */
export interface ErrorReporter {
  readonly provider: "sentry" | "off";
  /** Reports an unexpected server error of this request (4xx responses and aborted requests are not). */
  capture(error: unknown, request?: Request): void;
  /** Waits until queued reports are sent (tests, shutdown). */
  flush(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const off: ErrorReporter = {
  provider: "off",
  capture: () => {},
  flush: async () => true,
  close: async () => {},
};

export interface ErrorReporterOptions {
  dsn: string | undefined;
  environment: string;
}

export function createErrorReporter({ dsn, environment }: ErrorReporterOptions): ErrorReporter {
  if (!dsn) return off;
  Sentry.init({
    dsn,
    environment,
    sendDefaultPii: false,
    tracesSampleRate: 0,
    // Exits on uncaught errors stay the host's business; the request handler reports what it catches.
    integrations: (defaults) =>
      defaults.filter((i) => !["OnUncaughtException", "OnUnhandledRejection"].includes(i.name)),
    // The scrubber works on plain JSON-like objects; Sentry's types lack an index signature.
    beforeSend: (event) => beforeSend(event as unknown as ScrubbableEvent) as unknown as typeof event,
    beforeBreadcrumb: (breadcrumb) =>
      beforeBreadcrumb(breadcrumb as unknown as ScrubbableBreadcrumb) as unknown as typeof breadcrumb,
  });
  // The API layer reports an internal error where it happens; when the same error (or the tRPC error
  // wrapping it) then reaches Remix's handleError it is not reported twice.
  const reported = new WeakSet<object>();
  const isObject = (v: unknown): v is object => typeof v === "object" && v !== null;
  return {
    provider: "sentry",
    capture(error, request) {
      if (isObject(error)) {
        const cause = (error as { cause?: unknown }).cause;
        if (reported.has(error) || (isObject(cause) && reported.has(cause))) return;
        reported.add(error);
      }
      if (request) {
        void Sentry.captureRemixServerException(error, "remix.server", request);
      } else {
        Sentry.captureException(error);
      }
    },
    flush: (timeoutMs = 2000) => Sentry.flush(timeoutMs),
    close: async () => {
      await Sentry.close(2000);
    },
  };
}

/** What the browser may know: the Sentry DSN (a public key by design) and nothing else. */
export interface BrowserSettings {
  sentryDsn: string | null;
}

export function browserSettings(dsn: string | undefined): BrowserSettings {
  return { sentryDsn: dsn?.trim() || null };
}

/** The origin the browser SDK sends reports to, for the CSP's connect-src. */
export function sentryOrigin(settings: BrowserSettings): string | null {
  if (!settings.sentryDsn) return null;
  try {
    return new URL(settings.sentryDsn).origin;
  } catch {
    return null;
  }
}
