import { fileDownload } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

/** The shop's customers (optionally those matching the list's search) as a CSV download. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const search = new URL(request.url).searchParams.get("q")?.trim() || undefined;
  const { csv, fileName } = await api.job.customers.exportCsv({ search });
  return fileDownload(csv, { contentType: "text/csv; charset=utf-8", fileName, size: null });
}
