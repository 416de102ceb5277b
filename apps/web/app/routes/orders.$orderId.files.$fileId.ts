import { job } from "@ktizo/api";
import { requireSession, storedFileDownload } from "@ktizo/runtime/remix";
import { errorCode } from "@ktizo/ui";
import type { LoaderFunctionArgs } from "@remix-run/node";

/**
 * The customer downloads a file or photo the shop shared on their order's job: the order is checked as
 * theirs through the API first (another customer's order is not found), then only a shared file of
 * that order's job is sent, always as an attachment.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireSession(request, context);
  const orderId = params.orderId ?? "";
  const order = await api.marketplace.orders.get({ orderId }).catch((error) => {
    if (errorCode(error) === "NOT_FOUND") return null;
    throw error;
  });
  const shared = order?.sharedFiles.find((f) => f.id === params.fileId);
  if (!order || !shared) throw new Response("File not found", { status: 404 });
  const row = await job
    .getSharedJobFileForDownload(context.runtime.db, order.id, shared.id)
    .catch(() => null);
  if (!row) throw new Response("File not found", { status: 404 });
  return storedFileDownload(context, row);
}
