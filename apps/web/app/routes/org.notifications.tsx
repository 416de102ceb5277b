import { Alert, Badge, Button, EmptyState, Pagination, pageHref } from "@ktizo/ui";
import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { linkClass } from "~/components/shop/controls";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { attempt, formText } from "~/lib/forms";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const unreadOnly = params.get("unread") === "1";
  const notifications = await org.api.shop.notifications.list({ page, pageSize: 25, unreadOnly });
  return json({ ...shellData(org), notifications, unreadOnly });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const form = await request.formData();
  const id = formText(form, "id");
  return attempt(
    "read",
    () => api.shop.notifications.markRead(id ? { ids: [id] } : { all: true }),
    id ? "Marked as read." : "All marked as read.",
  );
}

export default function Notifications() {
  const { dateTime: formatWhen } = useFormat();
  const { notifications, unreadOnly, ...shell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <ShopPage
      shell={shell}
      title="Notifications"
      description={`${notifications.unread} unread`}
      actions={
        notifications.unread > 0 ? (
          <Form method="post">
            <Button type="submit" variant="secondary">
              Mark all as read
            </Button>
          </Form>
        ) : null
      }
    >
      {result?.ok ? <Alert tone="success">{result.message}</Alert> : null}
      {result && !result.ok ? <Alert tone="error">{result.formError}</Alert> : null}
      <p className="text-sm">
        {unreadOnly ? (
          <Link to="/org/notifications" className={linkClass}>
            Show all
          </Link>
        ) : (
          <Link to="?unread=1" className={linkClass}>
            Show unread only
          </Link>
        )}
      </p>
      {notifications.items.length === 0 ? (
        <EmptyState title={unreadOnly ? "Nothing unread" : "No notifications yet"} />
      ) : (
        <>
          <ul className="divide-y divide-slate-200 rounded-xl bg-white shadow-sm ring-1 ring-slate-200 dark:divide-slate-800 dark:bg-slate-900 dark:ring-slate-800">
            {notifications.items.map((n) => (
              <li key={n.id} className="flex flex-wrap items-start justify-between gap-3 p-4">
                <div>
                  <p className="font-medium">
                    {n.readAt ? null : (
                      <>
                        <Badge tone="blue">New</Badge>{" "}
                      </>
                    )}
                    {n.link ? (
                      <Link to={n.link} className={linkClass}>
                        {n.title}
                      </Link>
                    ) : (
                      n.title
                    )}
                  </p>
                  {n.body ? (
                    <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{n.body}</p>
                  ) : null}
                  <p className="mt-1 text-xs text-slate-500">{formatWhen(n.createdAt)}</p>
                </div>
                {n.readAt ? null : (
                  <Form method="post">
                    <input type="hidden" name="id" value={n.id} />
                    <Button type="submit" variant="secondary" aria-label={`Mark read: ${n.title}`}>
                      Mark read
                    </Button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
          <Pagination
            page={notifications.page}
            pageCount={notifications.pageCount}
            total={notifications.total}
            href={(p) => pageHref(params, p)}
          />
        </>
      )}
    </ShopPage>
  );
}
