import { Badge, Table, Td, Th } from "@ktizo/ui";
import { Link } from "@remix-run/react";
import { useFormat } from "~/lib/format";

interface OrderRow {
  id: string;
  number: number;
  unreadMessages: number | string | null;
  status: string;
  totalMinor: number;
  currency: string;
  createdAt: string;
}

/**
 * A list of marketplace orders, the customer's or the shop's: number (a link, with the count of unread
 * messages), the other party (`party`: the shop or the customer), status, total and when it was placed.
 */
export function OrdersTable<T extends OrderRow>({
  caption,
  orders,
  partyHeading,
  party,
  href,
  unreadLabel,
}: {
  caption: string;
  orders: T[];
  partyHeading: string;
  party: (order: T) => string;
  href: (order: T) => string;
  unreadLabel: string;
}) {
  const { money: formatMoney, dateTime: formatDateTime } = useFormat();
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>Order</Th>
          <Th>{partyHeading}</Th>
          <Th>Status</Th>
          <Th>Total</Th>
          <Th>Placed</Th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id}>
            <Td>
              <Link to={href(o)} className="font-medium text-brand-600 hover:underline">
                #{o.number}
              </Link>
              {Number(o.unreadMessages) > 0 ? (
                <Badge tone="blue">
                  {Number(o.unreadMessages)} {unreadLabel}
                </Badge>
              ) : null}
            </Td>
            <Td>{party(o)}</Td>
            <Td>{o.status.replace("_", " ")}</Td>
            <Td>{formatMoney(o.totalMinor, o.currency)}</Td>
            <Td>{formatDateTime(o.createdAt)}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
