import { fileDownload, orNotFound } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

/** An invoice or credit note of the active shop as a PDF download; another shop's answers 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireOrg(request, context);
  const { fileName, base64 } = await orNotFound(
    () => api.billing.invoices.pdf({ id: params.invoiceId ?? "" }),
    "Invoice not found",
  );
  return fileDownload(Buffer.from(base64, "base64"), {
    contentType: "application/pdf",
    fileName,
    size: null,
  });
}
