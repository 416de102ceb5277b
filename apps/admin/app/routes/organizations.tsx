import { formatDateTime } from "@ktizo/api/shared";
import { EmptyState, listQuery, PagedTable, PageHeader, SearchForm, Td, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";

export const meta: MetaFunction = () => [{ title: "Organizations · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const query = listQuery(new URL(request.url).searchParams);
  return json({
    organizations: await api.admin.organizations.list({ page: query.page, search: query.search }),
    search: query.search,
  });
}

export default function Organizations() {
  const { organizations, search } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <PageHeader title="Organizations" description="Print shops and businesses on Ktizo." />
      <SearchForm label="Search by name or address" defaultValue={search} />
      <PagedTable
        caption="Organizations"
        list={organizations}
        params={params}
        pagerWhenEmpty
        empty={<EmptyState title="No organizations match">Try another name.</EmptyState>}
        columns={
          <>
            <Th>Name</Th>
            <Th>Address</Th>
            <Th>Country</Th>
            <Th>Members</Th>
            <Th>Created</Th>
          </>
        }
        row={(o) => (
          <tr key={o.id}>
            <Td className="font-medium">{o.name}</Td>
            <Td className="font-mono text-xs">{o.slug}</Td>
            <Td>{o.country ?? "—"}</Td>
            <Td>{o.memberCount}</Td>
            <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatDateTime(o.createdAt)}
            </Td>
          </tr>
        )}
      />
    </>
  );
}
