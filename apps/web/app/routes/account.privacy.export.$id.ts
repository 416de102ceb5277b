import { requireSession } from "@ktizo/runtime/remix";
import type { LoaderFunctionArgs } from "@remix-run/node";

/** The data export file: the requester's own, unexpired, always as an attachment (never rendered). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  let file: Awaited<ReturnType<typeof api.privacy.exports.download>>;
  try {
    file = await api.privacy.exports.download({ id: params.id ?? "" });
  } catch {
    throw new Response("This download has expired or does not exist.", { status: 404 });
  }
  const ascii = file.fileName.replace(/[^\w.-]/g, "_");
  // Streamed from storage as it is read: a large export never sits in the server's memory.
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      ...(file.size === null ? {} : { "Content-Length": String(file.size) }),
      "Content-Disposition": `attachment; filename="${ascii}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
