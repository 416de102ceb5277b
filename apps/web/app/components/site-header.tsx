import { cx } from "@ktizo/ui";
import { Form, Link, NavLink } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";

// Interactive only (it polls /api/trpc): loaded after hydration, never rendered on the server.
const NotificationsMenu = lazy(() => import("~/components/notifications-menu"));

type Theme = "light" | "dark" | "system";

const THEME_LABELS: Record<Theme, string> = { light: "Light", dark: "Dark", system: "System" };

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
          <nav aria-label="Main" className="hidden gap-1 sm:flex">
            <NavLink to="/shops" className={navClass}>
              Shops
            </NavLink>
            {user ? (
              <>
                <NavLink to="/org" className={navClass}>
                  Workspace
                </NavLink>
                <NavLink to="/account" className={navClass}>
                  Account
                </NavLink>
              </>
            ) : null}
          </nav>
        </div>
        <div className="flex items-center gap-3">
          <Form
            method="post"
            action="/preferences/theme"
            className="flex items-center gap-1"
            aria-label="Theme"
          >
            <label htmlFor="theme-select" className="sr-only">
              Theme
            </label>
            <select
              id="theme-select"
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
          {user && hydrated ? (
            <Suspense fallback={null}>
              <NotificationsMenu />
            </Suspense>
          ) : null}
          {user ? (
            <Form method="post" action="/sign-out">
              <span className="mr-3 hidden text-sm text-slate-600 md:inline dark:text-slate-400">
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
        </div>
      </div>
    </header>
  );
}
