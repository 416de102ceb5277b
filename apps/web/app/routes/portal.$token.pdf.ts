import { fileDownload } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { portalCall } from "~/components/billing/portal.server";

/** The PDF of the invoice a portal link was made for, as an attachment download. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const { fileName, base64 } = await portalCall(request, context, (api) => api.billing.portal.pdf({ token }));
  return fileDownload(Buffer.from(base64, "base64"), {
    contentType: "application/pdf",
    fileName,
    size: null,
  });
}
