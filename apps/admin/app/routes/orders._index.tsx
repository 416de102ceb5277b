import { formatDateTime, formatMoney, isOrderStatus, ORDER_STATUSES } from "@ktizo/api/shared";
import {
  Alert,
  actionErrors,
  Badge,
  Button,
  EmptyState,
  listQuery,
  PagedTable,
  PageHeader,
  SelectField,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";
import { orderStatusLabel, orderStatusTone } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Orders · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const params = new URL(request.url).searchParams;
  const { page, search } = listQuery(params);
  const filters = {
    q: search,
    shop: params.get("shop") ?? "",
    status: params.get("status") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
  const input = {
    page,
    q: filters.q,
    shop: filters.shop,
    status: isOrderStatus(filters.status) ? filters.status : undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
  };
  try {
    return json({ orders: await api.admin.orders.list(input), filters, error: null });
  } catch (e) {
    return json(
      { orders: await api.admin.orders.list({ page: 1 }), filters, error: actionErrors(e) },
      { status: 400 },
    );
  }
}

export default function Orders() {
  const { orders, filters, error } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader title="Orders" description="Every marketplace and widget order, newest first." />
      <Form
        method="get"
        className="mb-4 grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:flex lg:flex-wrap"
      >
        <TextField
          label="Number or customer"
          name="q"
          type="search"
          defaultValue={filters.q}
          hint="#1042, a name or an email"
        />
        <TextField label="Shop" name="shop" type="search" defaultValue={filters.shop} />
        <SelectField label="Status" name="status" defaultValue={filters.status}>
          <option value="">Any</option>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {orderStatusLabel(s)}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Placed from"
          name="from"
          type="date"
          defaultValue={filters.from}
          error={error?.fieldErrors.from}
        />
        <TextField
          label="Placed to"
          name="to"
          type="date"
          defaultValue={filters.to}
          error={error?.fieldErrors.to}
        />
        <Button type="submit">Search</Button>
      </Form>
      {error?.formError ? <Alert tone="error">{error.formError}</Alert> : null}
      <PagedTable
        caption="Orders"
        list={orders}
        params={params}
        pagerWhenEmpty
        empty={<EmptyState title="No orders match">Try another number, customer, shop or date.</EmptyState>}
        columns={
          <>
            <Th>Order</Th>
            <Th>Shop</Th>
            <Th>Customer</Th>
            <Th>Status</Th>
            <Th className="text-right">Total</Th>
            <Th>Placed</Th>
          </>
        }
        row={(o) => (
          <tr key={o.id}>
            <Td>
              <Link to={`/orders/${o.id}`} className="font-semibold text-brand-700 underline">
                #{o.number}
              </Link>
            </Td>
            <Td>{o.shopName}</Td>
            <Td>
              <p>{o.customerName}</p>
              <p className="text-slate-600 dark:text-slate-400">{o.customerEmail}</p>
            </Td>
            <Td>
              <Badge tone={orderStatusTone(o.status)}>{orderStatusLabel(o.status)}</Badge>
            </Td>
            <Td className="whitespace-nowrap text-right">
              {formatMoney(o.totalMinor, o.currency)}
              {o.refundedMinor > 0 ? (
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  refunded {formatMoney(o.refundedMinor, o.currency)}
                </p>
              ) : null}
            </Td>
            <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatDateTime(o.createdAt)}
            </Td>
          </tr>
        )}
      />
    </>
  );
}
