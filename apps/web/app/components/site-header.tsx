import { cx } from "@ktizo/ui";
import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";

// Interactive only (it polls /api/trpc): loaded after hydration, never rendered on the server.
const NotificationsMenu = lazy(() => import("~/components/notifications-menu"));

type Theme = "light" | "dark" | "system";

/** The site's main places; the same list feeds the desktop bar and the phone menu. */
function mainLinks(signedIn: boolean): [string, string][] {
  return signedIn
    ? [
        ["/shops", "Shops"],
        ["/orders", "Orders"],
        ["/cart", "Cart"],
        ["/org", "Workspace"],
        ["/account", "Account"],
      ]
    : [["/shops", "Shops"]];
}

/**
 * Below the desktop breakpoint the main links fold into a disclosure: <details> opens without JavaScript
 * and needs no inline style, so it works before hydration and under the production CSP.
 */
function MobileMenu({
  links,
  theme,
  signedIn,
}: {
  links: [string, string][];
  theme: Theme;
  signedIn: boolean;
}) {
  const location = useLocation();
  const [open, setOpen] = useState(false);
  // Close the menu after a client-side navigation.
  useEffect(() => setOpen(false), [location.key]);
  return (
    <details className="relative lg:hidden" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-semibold text-slate-700 ring-1 ring-slate-300 dark:text-slate-200 dark:ring-slate-700">
        Menu
      </summary>
      <nav
        aria-label="Main menu"
        className="absolute right-0 z-20 mt-2 w-48 rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        <ul>
          {links.map(([to, label]) => (
            <li key={to}>
              <NavLink
                to={to}
                className="block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
              >
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
        <div className="mt-2 space-y-2 border-t border-slate-200 px-3 pt-3 dark:border-slate-700">
          <ThemeForm theme={theme} id="theme-select-menu" className="flex" />
          {signedIn ? (
            <Form method="post" action="/sign-out">
              <button type="submit" className="text-sm font-semibold text-slate-700 dark:text-slate-200">
                Sign out
              </button>
            </Form>
          ) : null}
        </div>
      </nav>
    </details>
  );
}

const THEME_LABELS: Record<Theme, string> = { light: "Light", dark: "Dark", system: "System" };

function ThemeForm({ theme, id, className }: { theme: Theme; id: string; className: string }) {
  return (
    <Form
      method="post"
      action="/preferences/theme"
      className={cx("items-center gap-1", className)}
      aria-label="Theme"
    >
      <label htmlFor={id} className="sr-only">
        Theme
      </label>
      <select
        id={id}
        name="theme"
        defaultValue={theme}
        className="rounded-md border-0 bg-transparent py-1 text-sm ring-1 ring-slate-300 dark:ring-slate-700"
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
      >
        {(Object.keys(THEME_LABELS) as Theme[]).map((t) => (
          <option key={t} value={t}>
            {THEME_LABELS[t]}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className="text-sm underline">
          Apply
        </button>
      </noscript>
    </Form>
  );
}

export function SiteHeader({
  user,
  theme,
}: {
  user: { name: string; email: string; isPlatformAdmin: boolean } | null;
  theme: Theme;
}) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const navClass = ({ isActive }: { isActive: boolean }) =>
    cx(
      "rounded-md px-3 py-2 text-sm font-medium",
      isActive
        ? "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white"
        : "text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white",
    );
  const links = mainLinks(user !== null);
  return (
    <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
        <div className="flex items-center gap-6">
          <Link to="/" className="flex items-center gap-2 text-lg font-bold tracking-tight">
            <span
              aria-hidden="true"
              className="grid h-7 w-7 place-items-center rounded-md bg-brand-600 text-white"
            >
              K
            </span>
            Ktizo
          </Link>
          <nav aria-label="Main" className="hidden gap-1 lg:flex">
            {links.map(([to, label]) => (
              <NavLink key={to} to={to} className={navClass}>
                {label}
              </NavLink>
            ))}
          </nav>
        </div>
        <div className="flex items-center gap-3">
          <ThemeForm theme={theme} id="theme-select" className="hidden lg:flex" />
          {user && hydrated ? (
            <Suspense fallback={null}>
              <NotificationsMenu />
            </Suspense>
          ) : null}
          {user ? (
            <Form method="post" action="/sign-out" className="hidden lg:block">
              <span className="mr-3 hidden text-sm text-slate-600 xl:inline dark:text-slate-400">
                {user.email}
              </span>
              <button
                type="submit"
                className="text-sm font-semibold text-slate-700 hover:text-slate-900 dark:text-slate-300"
              >
                Sign out
              </button>
            </Form>
          ) : (
            <>
              <Link to="/sign-in" className="text-sm font-semibold text-slate-700 dark:text-slate-300">
                Sign in
              </Link>
              <Link
                to="/sign-up"
                className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700"
              >
                Sign up
              </Link>
            </>
          )}
          <MobileMenu links={links} theme={theme} signedIn={user !== null} />
        </div>
      </div>
    </header>
  );
}
