import { requireSession } from "@ktizo/runtime/remix";
import { EmptyState } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { OrdersTable } from "~/components/marketplace/orders-table";
import { claimAnonymousUploads } from "~/components/marketplace/server";

export const meta: MetaFunction = () => [{ title: "Your orders · Ktizo" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, session } = await requireSession(request, context);
  const headers = new Headers();
  const cleared = await claimAnonymousUploads(request, context, session.userId);
  if (cleared) headers.append("set-cookie", cleared);
  const [orders, notifications] = await Promise.all([
    api.marketplace.orders.list(),
    api.marketplace.notifications.list(),
  ]);
  return json({ orders, notifications }, { headers });
}

export default function Orders() {
  const { orders, notifications } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your orders</h1>
      {notifications.unread > 0 ? (
        <p className="text-sm">{notifications.unread} new updates on your orders.</p>
      ) : null}
      {orders.length === 0 ? (
        <EmptyState title="No orders yet">
          <Link to="/" className="text-brand-600 hover:underline">
            Get an instant quote
          </Link>
        </EmptyState>
      ) : (
        <OrdersTable
          caption="Your orders"
          orders={orders}
          partyHeading="Shop"
          party={(o) => o.shopName}
          href={(o) => `/orders/${o.id}`}
          unreadLabel="new messages"
        />
      )}
    </div>
  );
}
