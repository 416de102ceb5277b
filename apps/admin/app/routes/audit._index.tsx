import { formatDateTime } from "@ktizo/api/shared";
import {
  Alert,
  actionErrors,
  Button,
  EmptyState,
  listQuery,
  PagedTable,
  PageHeader,
  Td,
  TextField,
  Th,
} from "@ktizo/ui";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePlatformAdmin } from "~/lib/admin.server";
import { auditFilters, auditInput } from "~/lib/audit-query";

export const meta: MetaFunction = () => [{ title: "Audit log · Ktizo admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const params = new URL(request.url).searchParams;
  const filters = auditFilters(params);
  const { page } = listQuery(params);
  try {
    return json({
      entries: await api.admin.audit.search({ page, ...auditInput(filters) }),
      filters,
      error: null,
    });
  } catch (e) {
    return json(
      { entries: await api.admin.audit.search({}), filters, error: actionErrors(e, "Check the search.") },
      { status: 400 },
    );
  }
}

export default function Audit() {
  const { entries, filters, error } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const csv = new URLSearchParams(params);
  csv.delete("page");
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what, across the platform (admin actions included), newest first. Times in UTC."
        actions={
          <a
            href={`/audit.csv?${csv.toString()}`}
            className="rounded-md bg-white px-3.5 py-2 text-sm font-semibold shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:ring-slate-700 dark:hover:bg-slate-800"
            download
          >
            Export CSV
          </a>
        }
      />
      <Form method="get" className="mb-4 grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <TextField
          label="Actor"
          name="actor"
          type="search"
          defaultValue={filters.actor}
          hint="Name, email or id"
        />
        <TextField
          label="Organization"
          name="organization"
          type="search"
          defaultValue={filters.organization}
        />
        <TextField
          label="Object"
          name="object"
          type="search"
          defaultValue={filters.object}
          hint="An id, or a type such as order"
        />
        <TextField
          label="Action"
          name="action"
          type="search"
          defaultValue={filters.action}
          hint="e.g. admin.order"
        />
        <TextField
          label="From"
          name="from"
          type="date"
          defaultValue={filters.from}
          error={error?.fieldErrors.from}
        />
        <TextField label="To" name="to" type="date" defaultValue={filters.to} error={error?.fieldErrors.to} />
        <Button type="submit">Search</Button>
      </Form>
      {error?.formError ? <Alert tone="error">{error.formError}</Alert> : null}
      <PagedTable
        caption="Audit log"
        list={entries}
        params={params}
        pagerWhenEmpty
        empty={<EmptyState title="No entries match" />}
        columns={
          <>
            <Th>Time</Th>
            <Th>Action</Th>
            <Th>Actor</Th>
            <Th>Organization</Th>
            <Th>Object</Th>
            <Th>Details</Th>
          </>
        }
        row={(e) => (
          <tr key={e.id}>
            <Td className="whitespace-nowrap text-slate-600 dark:text-slate-400">
              {formatDateTime(e.createdAt, { timeZone: "UTC" })}
            </Td>
            <Td className="font-medium">{e.action}</Td>
            <Td>{e.actor ? `${e.actor.name} (${e.actor.email})` : "system"}</Td>
            <Td>{e.organization?.name ?? "–"}</Td>
            <Td>
              <p>{e.subjectType}</p>
              <p className="break-all text-xs text-slate-600 dark:text-slate-400">{e.subjectId}</p>
            </Td>
            <Td>
              <code className="block max-w-xs break-all text-xs">{e.data}</code>
            </Td>
          </tr>
        )}
      />
    </>
  );
}
