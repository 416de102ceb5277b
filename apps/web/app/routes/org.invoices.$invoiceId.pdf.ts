import { privacy } from "@ktizo/api";
import { errorCode } from "@ktizo/ui";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOrg } from "~/lib/org.server";

/** An invoice or credit note of the active shop as a PDF download; another shop's answers 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireOrg(request, context);
  try {
    const { fileName, base64 } = await api.billing.invoices.pdf({ id: params.invoiceId ?? "" });
    const bytes = Buffer.from(base64, "base64");
    return new Response(bytes, {
      headers: privacy.attachmentHeaders({ contentType: "application/pdf", fileName, size: bytes.length }),
    });
  } catch (error) {
    if (errorCode(error) === "NOT_FOUND" || errorCode(error) === "BAD_REQUEST") {
      throw new Response("Invoice not found", { status: 404 });
    }
    throw error;
  }
}
