import { Badge, cx } from "@ktizo/ui";
import { Link } from "@remix-run/react";
import type { InboxThreadSummary } from "./types";

/** The inbox's threads, each a link that opens it; the open one is marked. */
export function InboxThreadList({
  threads,
  selected,
}: {
  threads: InboxThreadSummary[];
  selected: string | null;
}) {
  return threads.length === 0 ? (
    <p className="text-sm text-slate-600 dark:text-slate-300">No messages in your inbox.</p>
  ) : (
    <ul className="divide-y divide-slate-200 dark:divide-slate-800">
      {threads.map((t) => (
        <li key={t.id}>
          <Link
            to={`?thread=${encodeURIComponent(t.id)}`}
            aria-current={selected === t.id ? "true" : undefined}
            className={cx(
              "block rounded-md px-2 py-3 hover:bg-slate-50 dark:hover:bg-slate-800/60",
              selected === t.id && "bg-slate-100 dark:bg-slate-800",
            )}
          >
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-medium text-slate-900 dark:text-white">
                {t.subject || "(no subject)"}
              </span>
              {t.hasAttachments ? <Badge tone="blue">Attachment</Badge> : null}
              {t.link ? (
                <Badge tone="green">
                  {t.link.jobNumber ? `Job #${t.link.jobNumber}` : t.link.customerName}
                </Badge>
              ) : null}
            </span>
            <span className="block truncate text-sm text-slate-600 dark:text-slate-300">{t.from}</span>
            <span className="block truncate text-xs text-slate-500 dark:text-slate-400">{t.snippet}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
