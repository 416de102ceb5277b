import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cx } from "./cx.ts";

/**
 * A bordered table that scrolls sideways on small screens; the caption names it for screen readers. The
 * scrolling frame is focusable (keyboard users can scroll it) and `relative`, so the absolutely placed
 * caption is clipped inside it instead of widening the page.
 */
export function Table({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <section
      aria-label={caption}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard
      tabIndex={0}
      className="relative overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800"
    >
      <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </section>
  );
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cx(
        "bg-slate-50 px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:bg-slate-800/50 dark:text-slate-400",
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return (
    <td
      className={cx("border-t border-slate-100 px-4 py-3 align-middle dark:border-slate-800", className)}
      {...props}
    />
  );
}

/** Shown in place of a table with no rows. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
      <p className="font-semibold">{title}</p>
      {children ? <div className="mt-1 text-sm text-slate-600 dark:text-slate-400">{children}</div> : null}
    </div>
  );
}

/**
 * Previous/next links for a paged list. `href(page)` builds each link so the current filters stay
 * in the query string; plain links work without JavaScript.
 */
export function Pagination({
  page,
  pageCount,
  total,
  href,
}: {
  page: number;
  pageCount: number;
  total: number;
  href: (page: number) => string;
}) {
  const link =
    "rounded-md px-3 py-1.5 text-sm font-semibold ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800";
  const disabled =
    "rounded-md px-3 py-1.5 text-sm text-slate-400 ring-1 ring-inset ring-slate-200 dark:ring-slate-800";
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Page {page} of {Math.max(pageCount, 1)} · {total} {total === 1 ? "result" : "results"}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <a href={href(page - 1)} className={link} rel="prev">
            Previous
          </a>
        ) : (
          <span className={disabled} aria-disabled="true">
            Previous
          </span>
        )}
        {page < pageCount ? (
          <a href={href(page + 1)} className={link} rel="next">
            Next
          </a>
        ) : (
          <span className={disabled} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}

/** A GET search over a list (plain form: the query string is the state, so links and reloads keep it). */
export function SearchForm({
  label,
  defaultValue,
  children,
}: {
  label: string;
  defaultValue: string;
  children?: ReactNode;
}) {
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3">
      <div className="min-w-64 flex-1">
        <label htmlFor="list-search" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
          {label}
        </label>
        <input
          id="list-search"
          type="search"
          name="q"
          defaultValue={defaultValue}
          className="mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600 dark:bg-slate-900 dark:ring-slate-700"
        />
      </div>
      {children}
      <button
        type="submit"
        className="rounded-md bg-white px-3.5 py-2 text-sm font-semibold shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:ring-slate-700 dark:hover:bg-slate-800"
      >
        Search
      </button>
    </form>
  );
}
