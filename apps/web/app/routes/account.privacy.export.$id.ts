import { fileDownload, orNotFound, requireSession } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";

/** The data export file: the requester's own, unexpired, always as an attachment (never rendered). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const file = await orNotFound(
    () => api.privacy.exports.download({ id: params.id ?? "" }),
    "This download has expired or does not exist.",
  );
  // Streamed from storage as it is read: a large export never sits in the server's memory.
  return fileDownload(file.body, file);
}
