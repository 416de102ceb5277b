import { readSentryDsn, sentryBrowserOptions } from "@ktizo/services/monitoring";
import { RemixBrowser } from "@remix-run/react";
import * as Sentry from "@sentry/remix";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";

// Error reports from the browser, only when the server rendered a DSN into the page; scrubbed (P15).
const sentryDsn = readSentryDsn(document);
if (sentryDsn) Sentry.init(sentryBrowserOptions(sentryDsn) as Parameters<typeof Sentry.init>[0]);

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
