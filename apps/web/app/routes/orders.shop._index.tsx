import { Badge, EmptyState, Table, Td, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { OrgShell } from "~/components/org-shell";
import { useFormat } from "~/lib/format";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Marketplace orders · Ktizo" }];

/** The active shop's paid marketplace orders, in the workspace (its only organization opens by itself). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  return json({ ...shellData(org), orders: await org.api.marketplace.shop.orders() });
}

export default function ShopOrders() {
  const { money: formatMoney, dateTime: formatDateTime } = useFormat();
  const { orders, ...shell } = useLoaderData<typeof loader>();
  return (
    <OrgShell organization={shell.organization} memberships={shell.memberships}>
      <div className="space-y-6">
        <h1 className="text-2xl font-bold">Marketplace orders</h1>
        {orders.length === 0 ? (
          <EmptyState title="No marketplace orders yet" />
        ) : (
          <Table caption="Marketplace orders">
            <thead>
              <tr>
                <Th>Order</Th>
                <Th>Customer</Th>
                <Th>Status</Th>
                <Th>Total</Th>
                <Th>Placed</Th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <Td>
                    <Link to={`/orders/shop/${o.id}`} className="font-medium text-brand-600 hover:underline">
                      #{o.number}
                    </Link>
                    {Number(o.unreadMessages) > 0 ? (
                      <Badge tone="blue">{Number(o.unreadMessages)} new</Badge>
                    ) : null}
                  </Td>
                  <Td>{o.customerName}</Td>
                  <Td>{o.status.replace("_", " ")}</Td>
                  <Td>{formatMoney(o.totalMinor, o.currency)}</Td>
                  <Td>{formatDateTime(o.createdAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </div>
    </OrgShell>
  );
}
