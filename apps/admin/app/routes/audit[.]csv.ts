import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlatformAdmin } from "~/lib/admin.server";
import { auditFilters, auditInput } from "~/lib/audit-query";

/** The audit search as a CSV download (the same filters as the page). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requirePlatformAdmin(request, context);
  const filters = auditFilters(new URL(request.url).searchParams);
  const out = await api.admin.audit.export(auditInput(filters));
  return new Response(out.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="ktizo-audit.csv"',
      "Cache-Control": "no-store",
      "X-Rows": String(out.rows),
      "X-Truncated": String(out.truncated),
    },
  });
}
