import { Link } from "@remix-run/react";

const linkClass =
  "text-slate-600 hover:text-slate-900 hover:underline dark:text-slate-400 dark:hover:text-white";

/** Every page's footer: the policies, the cookie choices and (signed in) the privacy center. */
export function SiteFooter({ signedIn }: { signedIn: boolean }) {
  return (
    <footer className="mt-auto border-t border-slate-200 dark:border-slate-800">
      <nav
        aria-label="Footer"
        className="mx-auto flex max-w-6xl flex-wrap gap-x-6 gap-y-2 px-4 py-6 text-sm sm:px-6"
      >
        <Link to="/policies/privacy" className={linkClass}>
          Privacy policy
        </Link>
        <Link to="/policies" className={linkClass}>
          All policies
        </Link>
        <Link to="/cookies" className={linkClass}>
          Cookies
        </Link>
        {signedIn ? (
          <Link to="/account/privacy" className={linkClass}>
            Privacy center
          </Link>
        ) : null}
      </nav>
    </footer>
  );
}
