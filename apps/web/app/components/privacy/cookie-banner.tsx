import { Form, useLocation } from "@remix-run/react";

const BUTTON =
  "inline-flex min-w-32 items-center justify-center rounded-md px-3.5 py-2 text-sm font-semibold shadow-sm ring-1 ring-inset ring-slate-300 bg-white text-slate-900 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800";

/**
 * The cookie notice (P14, P18): shown until the visitor chooses. Accept and reject are the same size,
 * colour and weight; the choice is a plain form post, so it works before any script has loaded.
 */
export function CookieBanner() {
  const location = useLocation();
  return (
    <section
      aria-labelledby="cookie-banner-title"
      className="sticky inset-x-0 bottom-0 z-40 border-t border-slate-200 bg-white/95 px-4 py-4 shadow-lg backdrop-blur dark:border-slate-800 dark:bg-slate-950/95"
    >
      <div className="mx-auto flex max-w-6xl flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div className="text-sm text-slate-700 dark:text-slate-300">
          <h2 id="cookie-banner-title" className="font-semibold text-slate-900 dark:text-slate-100">
            Cookies and analytics
          </h2>
          <p>
            We use only the cookies Ktizo needs to work (your session, your theme and this choice). With your
            consent we also count how the product is used, without names, emails or IP addresses.{" "}
            <a href="/policies/privacy" className="font-medium text-brand-600 hover:underline">
              Privacy policy
            </a>
          </p>
        </div>
        <Form method="post" action="/cookies" className="flex shrink-0 gap-2">
          <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
          <button type="submit" name="choice" value="rejected" className={BUTTON}>
            Reject analytics
          </button>
          <button type="submit" name="choice" value="accepted" className={BUTTON}>
            Accept analytics
          </button>
        </Form>
      </div>
    </section>
  );
}
