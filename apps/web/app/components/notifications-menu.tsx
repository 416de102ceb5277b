import { Link } from "@remix-run/react";
import { useState } from "react";
import { TrpcProvider, trpc } from "~/lib/trpc";

/**
 * The menu with its own tRPC client. The header loads this module lazily in the browser, so the pages
 * (and the shop widget's page, which has no header) do not carry react-query, tRPC and superjson in
 * their first scripts.
 */
export default function NotificationsMenuWithClient() {
  return (
    <TrpcProvider>
      <NotificationsMenu />
    </TrpcProvider>
  );
}

/** The signed-in user's order notifications in the header: unread count, the latest, mark all read. */
export function NotificationsMenu() {
  const [open, setOpen] = useState(false);
  const utils = trpc.useUtils();
  const notifications = trpc.marketplace.notifications.list.useQuery(undefined, { refetchInterval: 60_000 });
  const markRead = trpc.marketplace.notifications.markRead.useMutation({
    onSuccess: () => utils.marketplace.notifications.list.invalidate(),
  });
  const unread = notifications.data?.unread ?? 0;
  const items = notifications.data?.items.slice(0, 5) ?? [];
  return (
    <div className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="notifications-panel"
        onClick={() => setOpen((v) => !v)}
        className="relative rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        Notifications
        {unread > 0 ? (
          <span className="ml-1 rounded-full bg-brand-600 px-1.5 text-xs text-white">
            {unread}
            <span className="sr-only"> unread</span>
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          id="notifications-panel"
          className="absolute right-0 z-20 mt-2 w-80 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800"
        >
          {items.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">Nothing new.</p>
          ) : (
            <ul className="space-y-2">
              {items.map((n) => (
                <li key={n.id} className="text-sm">
                  {n.orderId ? (
                    <Link to={`/orders/${n.orderId}`} className="font-medium hover:underline">
                      {n.title}
                    </Link>
                  ) : (
                    <span className="font-medium">{n.title}</span>
                  )}
                  {n.readAt ? null : <span className="sr-only"> (unread)</span>}
                </li>
              ))}
            </ul>
          )}
          {unread > 0 ? (
            <button
              type="button"
              onClick={() => markRead.mutate()}
              disabled={markRead.isPending}
              className="mt-3 text-sm font-semibold text-brand-600 hover:underline dark:text-brand-400"
            >
              Mark all read
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
