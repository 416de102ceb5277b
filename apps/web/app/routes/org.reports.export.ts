import { fileDownload } from "@ktizo/runtime/remix";
import { errorCode } from "@ktizo/ui";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

const FORMATS = ["plain", "quickbooks", "xero"] as const;

/**
 * Issued invoices and credit notes as a CSV download: plain, or the columns QuickBooks Online or Xero
 * import (`?format=`), optionally for an issue-date range (`?from=&to=`). The procedure checks the role.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const params = new URL(request.url).searchParams;
  const format = FORMATS.find((f) => f === params.get("format")) ?? "plain";
  try {
    const { csv, fileName } = await api.billing.reports.exportCsv({
      format,
      issuedFrom: params.get("from") || undefined,
      issuedTo: params.get("to") || undefined,
    });
    return fileDownload(csv, { contentType: "text/csv; charset=utf-8", fileName, size: null });
  } catch (error) {
    if (errorCode(error) === "BAD_REQUEST") {
      throw new Response("Use dates like 2026-05-31 for the range", { status: 400 });
    }
    throw error;
  }
}
