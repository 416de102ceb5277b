import { apiFor, readTheme } from "@ktizo/runtime/remix";
import { SENTRY_DSN_META } from "@ktizo/services/monitoring";
import { cx } from "@ktizo/ui";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useEffect } from "react";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { session } = await apiFor(request, context);
  return json({
    theme: await readTheme(request),
    nonce: context.cspNonce,
    // The only setting that reaches the browser: error reports (scrubbed) when SENTRY_DSN is set.
    sentryDsn: context.runtime.browser.sentryDsn,
    admin: session?.platformRole === "admin" ? { email: session.email } : null,
  });
}

/** Browsers hide nonce attributes from the DOM, so the client renders "" to match what it sees. */
const hydratedNonce = (nonce: string | undefined) => (typeof document === "undefined" ? nonce : "");

const SYSTEM_THEME_SCRIPT =
  "(function(){var m=window.matchMedia('(prefers-color-scheme: dark)');document.documentElement.classList.toggle('dark',m.matches);})();";

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const theme = data?.theme ?? "system";
  return (
    <html lang="en" className={theme === "dark" ? "dark" : undefined} data-theme={theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {theme === "system" ? (
          <script
            nonce={hydratedNonce(data?.nonce)}
            dangerouslySetInnerHTML={{ __html: SYSTEM_THEME_SCRIPT }}
          />
        ) : null}
        {data?.sentryDsn ? <meta name={SENTRY_DSN_META} content={data.sentryDsn} /> : null}
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration nonce={data?.nonce} />
        <Scripts nonce={data?.nonce} />
      </body>
    </html>
  );
}

const NAV = [
  ["/", "Dashboard"],
  ["/shops", "Shops"],
  ["/orders", "Orders"],
  ["/webhooks", "Webhooks"],
  ["/jobs", "Background work"],
  ["/audit", "Audit log"],
  ["/users", "Users"],
  ["/organizations", "Organizations"],
  ["/outbox", "Outbox"],
  ["/sms", "Simulate a text"],
  ["/privacy", "Privacy requests"],
  ["/policies", "Policies"],
] as const;

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  // Marks the page interactive: browser tests wait for it before typing into forms.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      {data?.admin ? (
        <nav
          aria-label="Admin"
          className="shrink-0 border-b border-slate-200 bg-white p-4 md:w-56 md:border-r md:border-b-0 dark:border-slate-800 dark:bg-slate-900"
        >
          <p className="mb-2 text-lg font-bold md:mb-4">Ktizo admin</p>
          {/* A row that scrolls on a phone, a column beside the page from tablets up. */}
          <ul className="-mx-1 flex gap-1 overflow-x-auto md:mx-0 md:block md:space-y-1">
            {NAV.map(([to, label]) => (
              <li key={to}>
                <NavLink
                  to={to}
                  end={to === "/"}
                  className={({ isActive }) =>
                    cx(
                      "block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium",
                      isActive
                        ? "bg-brand-50 text-brand-700 dark:bg-slate-800 dark:text-white"
                        : "text-slate-600 dark:text-slate-400",
                    )
                  }
                >
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
          <form method="post" action="/sign-out" className="mt-3 flex items-center gap-3 md:mt-8 md:block">
            <p className="truncate text-xs text-slate-500 dark:text-slate-400">{data.admin.email}</p>
            <button type="submit" className="mt-1 text-sm font-semibold text-slate-700 dark:text-slate-300">
              Sign out
            </button>
          </form>
        </nav>
      ) : null}
      <main id="main" className="min-w-0 flex-1 p-4 md:p-8">
        <Outlet />
      </main>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-24 text-center">
      <p className="text-sm font-semibold text-brand-600 dark:text-brand-300">{status}</p>
      <h1 className="mt-2 text-3xl font-bold">
        {status === 404 ? "Page not found" : "Something went wrong"}
      </h1>
      <p className="mt-6">
        {data?.admin ? (
          <Link to="/" className="font-semibold text-brand-700 underline dark:text-brand-300">
            Back to the overview
          </Link>
        ) : (
          <Link to="/sign-in" className="font-semibold text-brand-700 underline dark:text-brand-300">
            Sign in to the admin console
          </Link>
        )}
      </p>
    </main>
  );
}
