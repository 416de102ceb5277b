import { requireSession } from "@ktizo/runtime/remix";
import { Badge, EmptyState, Table, Td, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { claimAnonymousUploads } from "~/components/marketplace/server";
import { useFormat } from "~/lib/format";

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
  const { money: formatMoney, dateTime: formatDateTime } = useFormat();
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
        <Table caption="Your orders">
          <thead>
            <tr>
              <Th>Order</Th>
              <Th>Shop</Th>
              <Th>Status</Th>
              <Th>Total</Th>
              <Th>Placed</Th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <Td>
                  <Link to={`/orders/${o.id}`} className="font-medium text-brand-600 hover:underline">
                    #{o.number}
                  </Link>
                  {Number(o.unreadMessages) > 0 ? (
                    <Badge tone="blue">{Number(o.unreadMessages)} new messages</Badge>
                  ) : null}
                </Td>
                <Td>{o.shopName}</Td>
                <Td>{o.status.replace("_", " ")}</Td>
                <Td>{formatMoney(o.totalMinor, o.currency)}</Td>
                <Td>{formatDateTime(o.createdAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
