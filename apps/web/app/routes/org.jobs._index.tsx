import { Badge, buttonClass, EmptyState, PagedTable, Td, Th } from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { InlineSelect, linkClass, PriorityOptions } from "~/components/shop/controls";
import { JOB_STATUSES, jobFilters, PRIORITY_LABELS, STATUS_LABELS } from "~/components/shop/format";
import { ShopPage } from "~/components/shop/shop-page";
import { StatusBadge } from "~/components/shop/status-badge";
import { useFormat } from "~/lib/format";
import { requireOrg, shellData } from "~/lib/org.server";

export const meta: MetaFunction = () => [{ title: "Jobs · Ktizo" }];

const SORTS = [
  ["-number", "Newest first"],
  ["number", "Oldest first"],
  ["dueAt", "Due date (soonest)"],
  ["-dueAt", "Due date (latest)"],
  ["priority", "Priority (urgent first)"],
  ["-totalMinor", "Total (highest)"],
  ["-updatedAt", "Recently updated"],
] as const;
type Sort = (typeof SORTS)[number][0];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const org = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const sortParam = params.get("sort");
  const sort: Sort = SORTS.some(([s]) => s === sortParam) ? (sortParam as Sort) : "-number";
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const [jobs, printers] = await Promise.all([
    org.api.job.list({ ...jobFilters(params), sort, page, pageSize: 25 }),
    org.api.shop.printers.list({}),
  ]);
  return json({ ...shellData(org), jobs, sort, printers: printers.map((p) => ({ id: p.id, name: p.name })) });
}

export default function JobsList() {
  const { date: formatDate, money: formatMoney } = useFormat();
  const { jobs, sort, printers, ...shell } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const exportParams = new URLSearchParams(params);
  exportParams.delete("page");
  exportParams.delete("sort");
  const filtered = ["q", "status", "priority", "overdue", "printer"].some((k) => params.get(k));
  return (
    <ShopPage
      shell={shell}
      title="Jobs"
      description="Every job of the shop: search by title, customer or #number."
      actions={
        <>
          <a
            href={`/org/export/jobs?${exportParams.toString()}`}
            className={buttonClass("secondary")}
            download
          >
            Export CSV
          </a>
          <Link to="/org/jobs/new" className={buttonClass("primary")}>
            New job
          </Link>
        </>
      }
    >
      <Form method="get" aria-label="Filter jobs" className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <label htmlFor="jobs-q" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Search jobs
          </label>
          <input
            id="jobs-q"
            type="search"
            name="q"
            defaultValue={params.get("q") ?? ""}
            placeholder="Title, customer, email or #number"
            className="mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-brand-600 dark:bg-slate-900 dark:ring-slate-700"
          />
        </div>
        <InlineSelect label="Status" name="status" defaultValue={params.get("status") ?? ""}>
          <option value="">Any status</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </InlineSelect>
        <InlineSelect label="Priority" name="priority" defaultValue={params.get("priority") ?? ""}>
          <option value="">Any priority</option>
          <PriorityOptions />
        </InlineSelect>
        <InlineSelect label="Printer" name="printer" defaultValue={params.get("printer") ?? ""}>
          <option value="">Any printer</option>
          {printers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </InlineSelect>
        <InlineSelect label="Sort by" name="sort" defaultValue={sort}>
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </InlineSelect>
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input
            type="checkbox"
            name="overdue"
            value="1"
            defaultChecked={params.get("overdue") === "1"}
            className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
          />
          Overdue only
        </label>
        <button type="submit" className={buttonClass("secondary")}>
          Apply
        </button>
        {filtered ? (
          <Link to="/org/jobs" className={linkClass}>
            Clear
          </Link>
        ) : null}
      </Form>
      <PagedTable
        caption="Jobs"
        list={jobs}
        params={params}
        empty={
          <EmptyState title={filtered ? "No jobs match these filters" : "No jobs yet"}>
            {filtered ? "Change or clear the filters." : "Create a job by hand, or wait for the first order."}
          </EmptyState>
        }
        columns={
          <>
            <Th>Job</Th>
            <Th>Customer</Th>
            <Th>Status</Th>
            <Th>Priority</Th>
            <Th>Due</Th>
            <Th>Printer</Th>
            <Th className="text-right">Total</Th>
          </>
        }
        row={(j) => (
          <tr key={j.id}>
            <Td>
              <Link to={`/org/jobs/${j.id}`} className={linkClass}>
                #{j.number} {j.title}
              </Link>
            </Td>
            <Td>{j.customerName}</Td>
            <Td>
              <StatusBadge status={j.status} />
            </Td>
            <Td>
              {PRIORITY_LABELS[j.priority]}
              {j.rush ? (
                <>
                  {" "}
                  <Badge tone="red">Rush</Badge>
                </>
              ) : null}
            </Td>
            <Td>
              {formatDate(j.dueAt)}
              {j.overdue ? (
                <>
                  {" "}
                  <Badge tone="red">Overdue</Badge>
                </>
              ) : null}
            </Td>
            <Td>{j.printerName ?? "—"}</Td>
            <Td className="text-right tabular-nums">{formatMoney(j.totalMinor, j.currency)}</Td>
          </tr>
        )}
      />
    </ShopPage>
  );
}
