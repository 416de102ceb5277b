import { fileDownload } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { jobFilters } from "~/components/shop/format";
import { requireOrg } from "~/lib/org.server";

/** The jobs matching the list's filters as a CSV download. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const { csv, fileName } = await api.job.exportCsv(jobFilters(new URL(request.url).searchParams));
  return fileDownload(csv, { contentType: "text/csv; charset=utf-8", fileName, size: null });
}
