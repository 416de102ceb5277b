import { formatDateTime } from "@ktizo/api/shared";
import {
  Badge,
  EmptyState,
  listQuery,
  PagedTable,
  PageHeader,
  SearchForm,
  SelectField,
  Td,
  Th,
} from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Shops · Ktizo admin" }];

const FILTERS = [
  ["listed", "Listed"],
  ["unlisted", "Unlisted"],
  ["flagged", "Unlisted by the platform"],
  ["stripe_ready", "Stripe ready"],
  ["verified", "Verified"],
  ["cancelled", "Cancelling"],
] as const;
type Filter = (typeof FILTERS)[number][0];
const isFilter = (v: string | null): v is Filter => FILTERS.some(([f]) => f === v);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const params = new URL(request.url).searchParams;
  const { page, search } = listQuery(params);
  const filter = params.get("filter");
  const shops = await api.admin.shops.list({
    page,
    q: search,
    filter: isFilter(filter) ? filter : undefined,
  });
  return json({ shops, search, filter: isFilter(filter) ? filter : "" });
}

export default function Shops() {
  const { shops, search, filter } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader title="Shops" description="Every shop on the platform: listing, payments, moderation." />
      <SearchForm label="Search by name or slug" defaultValue={search}>
        <SelectField label="Show" name="filter" defaultValue={filter}>
          <option value="">All shops</option>
          {FILTERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
      </SearchForm>
      <PagedTable
        caption="Shops"
        list={shops}
        params={params}
        pagerWhenEmpty
        empty={<EmptyState title="No shops match" />}
        columns={
          <>
            <Th>Shop</Th>
            <Th>Marketplace</Th>
            <Th>Payments</Th>
            <Th>Members</Th>
            <Th>Orders</Th>
            <Th>Created</Th>
          </>
        }
        row={(s) => (
          <tr key={s.id}>
            <Td>
              <Link to={`/shops/${s.id}`} className="font-semibold text-brand-700 underline">
                {s.name}
              </Link>
              <p className="text-xs text-slate-600 dark:text-slate-400">{s.slug}</p>
            </Td>
            <Td>
              <span className="flex flex-wrap gap-1">
                {s.holdReason !== null ? (
                  <Badge tone="red">Unlisted by the platform</Badge>
                ) : s.listed ? (
                  <Badge tone="green">Listed</Badge>
                ) : (
                  <Badge>Unlisted</Badge>
                )}
                {s.verified ? <Badge tone="blue">Verified</Badge> : null}
                {s.cancelling ? <Badge tone="amber">Cancelling</Badge> : null}
              </span>
            </Td>
            <Td>{s.chargesEnabled ? <Badge tone="green">Stripe ready</Badge> : <Badge>Not set up</Badge>}</Td>
            <Td>{s.memberCount}</Td>
            <Td>{s.orderCount}</Td>
            <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatDateTime(s.createdAt)}
            </Td>
          </tr>
        )}
      />
    </>
  );
}
