import { Alert, buttonClass, EmptyState, PagedTable, SearchForm, Td, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { InlineSelect, linkClass } from "~/components/shop/controls";
import { ShopPage } from "~/components/shop/shop-page";
import { useFormat } from "~/lib/format";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Customers · Ktizo" }];

const SORTS = [
  ["name", "Name"],
  ["-lastJobAt", "Latest job"],
  ["-createdAt", "Newest customers"],
] as const;
type Sort = (typeof SORTS)[number][0];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const sortParam = params.get("sort");
  const sort: Sort = SORTS.some(([s]) => s === sortParam) ? (sortParam as Sort) : "name";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const customers = await org.api.job.customers.list({
    search: params.get("q")?.trim() || undefined,
    sort,
    page,
    pageSize: 25,
  });
  return json({ ...shellData(org), customers, sort });
}

export default function Customers() {
  const { date: formatDate } = useFormat();
  const { customers, sort, ...shell } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const q = params.get("q") ?? "";
  return (
    <ShopPage
      shell={shell}
      title="Customers"
      description="Everyone you have made jobs for, with their history."
      actions={
        <>
          <a
            href={`/org/export/customers${q ? `?q=${encodeURIComponent(q)}` : ""}`}
            className={buttonClass("secondary")}
            download
          >
            Export CSV
          </a>
          <Link to="/org/customers/new" className={buttonClass("primary")}>
            New customer
          </Link>
        </>
      }
    >
      {params.get("deleted") ? <Alert tone="success">{params.get("deleted")} is deleted.</Alert> : null}
      <SearchForm label="Search customers" defaultValue={q}>
        <InlineSelect label="Sort by" name="sort" defaultValue={sort}>
          {SORTS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </InlineSelect>
      </SearchForm>
      <PagedTable
        caption="Customers"
        list={customers}
        params={params}
        empty={
          <EmptyState title={q ? "No customers match" : "No customers yet"}>
            {q ? "Try another search." : "Customers appear with their first job."}
          </EmptyState>
        }
        columns={
          <>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Phone</Th>
            <Th className="text-right">Jobs</Th>
            <Th>Latest job</Th>
          </>
        }
        row={(c) => (
          <tr key={c.id}>
            <Td>
              <Link to={`/org/customers/${c.id}`} className={linkClass}>
                {c.name}
              </Link>
              {c.company ? <span className="block text-xs text-slate-500">{c.company}</span> : null}
            </Td>
            <Td>{c.email ?? "—"}</Td>
            <Td>{c.phone ?? "—"}</Td>
            <Td className="text-right tabular-nums">{c.jobCount}</Td>
            <Td>{formatDate(c.lastJobAt)}</Td>
          </tr>
        )}
      />
    </ShopPage>
  );
}
