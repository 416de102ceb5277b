import { EmptyState } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OrdersTable } from "~/components/marketplace/orders-table";
import { OrgShell } from "~/components/org-shell";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Marketplace orders · Ktizo" }];

/** The active shop's paid marketplace orders, in the workspace (its only organization opens by itself). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  return json({ ...shellData(org), orders: await org.api.marketplace.shop.orders() });
}

export default function ShopOrders() {
  const { orders, ...shell } = useLoaderData<typeof loader>();
  return (
    <OrgShell organization={shell.organization} memberships={shell.memberships}>
      <div className="space-y-6">
        <h1 className="text-2xl font-bold">Marketplace orders</h1>
        {orders.length === 0 ? (
          <EmptyState title="No marketplace orders yet" />
        ) : (
          <OrdersTable
            caption="Marketplace orders"
            orders={orders}
            partyHeading="Customer"
            party={(o) => o.customerName}
            href={(o) => `/orders/shop/${o.id}`}
            unreadLabel="new"
          />
        )}
      </div>
    </OrgShell>
  );
}
