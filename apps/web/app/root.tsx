import { apiFor, readTheme } from "@ktizo/runtime/remix";
import { readConsent } from "@ktizo/services/consent";
import { SENTRY_DSN_META } from "@ktizo/services/monitoring";
import { cx } from "@ktizo/ui";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useEffect } from "react";
import { CookieBanner } from "~/components/privacy/cookie-banner";
import { PolicyBanner } from "~/components/privacy/policy-banner";
import { SiteFooter } from "~/components/site-footer";
import { SiteHeader } from "~/components/site-header";
import { visitorLocale } from "~/lib/locale.server";
import { useCspNonce } from "~/lib/nonce";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, session, responseHeaders } = await apiFor(request, context);
  // The shop widget's pages follow the host page's color scheme (?scheme=), not the Ktizo preference.
  const url = new URL(request.url);
  const embedScheme = url.pathname.startsWith("/embed/") ? url.searchParams.get("scheme") : null;
  const theme = embedScheme === "dark" || embedScheme === "light" ? embedScheme : await readTheme(request);
  return json(
    {
      theme,
      nonce: context.cspNonce,
      // Numbers, money and dates are worded in the visitor's language (useFormat).
      locale: visitorLocale(request),
      // The only setting that reaches the browser: error reports (scrubbed) when SENTRY_DSN is set.
      sentryDsn: context.runtime.browser.sentryDsn,
      user: session
        ? { name: session.name, email: session.email, isPlatformAdmin: session.platformRole === "admin" }
        : null,
      testMode: context.runtime.describe().some((line) => line.startsWith("payments: local")),
      // Privacy: the cookie notice until a choice is made; announced policy changes for signed-in users.
      consent: readConsent(request.headers.get("cookie")),
      policyNotices: session ? policyNotices(await api.privacy.policies.pending()) : [],
    },
    { headers: responseHeaders },
  );
}

/** Versions in force that this user has not accepted yet come first, then announced ones. */
function policyNotices(pending: {
  upcoming: { id: string; kind: "privacy" | "terms"; title: string; summary: string; effectiveAt: Date }[];
  unaccepted: { id: string; kind: "privacy" | "terms"; title: string; summary: string; effectiveAt: Date }[];
}) {
  return [
    ...pending.unaccepted.map((p) => ({ ...p, inForce: true })),
    ...pending.upcoming.map((p) => ({ ...p, inForce: false })),
  ].map(({ id, kind, title, summary, effectiveAt, inForce }) => ({
    id,
    kind,
    title,
    summary,
    effectiveAt: effectiveAt.toISOString(),
    inForce,
  }));
}

export type RootData = ReturnType<typeof useLoaderData<typeof loader>>;

// In "system" mode the class is set before first paint from the OS preference, so there is no flash.

const SYSTEM_THEME_SCRIPT =
  "(function(){var m=window.matchMedia('(prefers-color-scheme: dark)');document.documentElement.classList.toggle('dark',m.matches);})();";

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const theme = data?.theme ?? "system";
  const nonce = data?.nonce;
  const pageNonce = useCspNonce();
  return (
    <html lang="en" className={theme === "dark" ? "dark" : undefined} data-theme={theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content={theme === "system" ? "light dark" : theme} />
        {theme === "system" ? (
          <script nonce={pageNonce} dangerouslySetInnerHTML={{ __html: SYSTEM_THEME_SCRIPT }} />
        ) : null}
        {data?.sentryDsn ? <meta name={SENTRY_DSN_META} content={data.sentryDsn} /> : null}
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
        >
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  // Marks the page interactive: browser tests wait for it before typing into forms.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  // The shop widget's pages (/embed/*) live inside other sites: no Ktizo header, banners or cookies.
  const { pathname } = useLocation();
  if (pathname.startsWith("/embed/")) return <Outlet />;
  // The shop workspace (navigation column, board, timeline) gets the width of a large screen.
  const wide = pathname === "/org" || pathname.startsWith("/org/") || pathname.startsWith("/orders/shop");
  return (
    <>
      <PolicyBanner notices={data.policyNotices} />
      <SiteHeader user={data.user} theme={data.theme} />
      <main
        id="main"
        className={cx("mx-auto w-full px-4 py-8 sm:px-6", wide ? "max-w-screen-2xl" : "max-w-6xl")}
      >
        <Outlet />
      </main>
      <SiteFooter signedIn={Boolean(data.user)} />
      {data.consent === null ? <CookieBanner /> : null}
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 404 ? "Page not found" : status === 403 ? "Not allowed" : "Something went wrong";
  const detail =
    status === 404
      ? "The page you asked for does not exist, or you do not have access to it."
      : isRouteErrorResponse(error) && typeof error.data === "string"
        ? error.data
        : "Please try again. If it keeps happening, contact support.";
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-24 text-center">
      <p className="text-sm font-semibold text-brand-600">{status}</p>
      <h1 className="mt-2 text-3xl font-bold">{title}</h1>
      <p className="mt-4 text-slate-600 dark:text-slate-400">{detail}</p>
      <a href="/" className="mt-8 inline-block font-semibold text-brand-600 hover:underline">
        Back to Ktizo
      </a>
    </main>
  );
}
